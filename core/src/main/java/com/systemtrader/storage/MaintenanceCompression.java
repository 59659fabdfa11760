package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TimescaleDB: nothing while the columnstore (compression) jobs are healthy; for each hypertable whose job fails or
 * is missing, compresses its uncompressed chunks that ended before now minus compress-after
 * ({@code storage.tick_compress_after_hours}, {@code bar_compress_after_days}), oldest first, at most
 * {@link #MAX_CHUNKS} per run, each chunk in its own transaction ({@code convert_to_columnstore} on 2.18+,
 * {@code compress_chunk} before). PostgreSQL has no compression: not applicable there.
 */
final class MaintenanceCompression implements MaintenanceWork {
    /** Chunks compressed per run at most, so that a backlog does not hold the maintenance thread for hours. */
    static final int MAX_CHUNKS = 20;
    static final String CHUNKS = """
            SELECT format('%I.%I', chunk_schema, chunk_name)
            FROM timescaledb_information.chunks
            WHERE hypertable_schema = current_schema() AND hypertable_name = ? AND NOT is_compressed
              AND range_end <= now() - make_interval(secs => ?)
            ORDER BY range_start""";
    static final String CONVERT = "CALL convert_to_columnstore(?::regclass, if_not_columnstore => true)";
    static final String COMPRESS = "SELECT compress_chunk(?::regclass, if_not_compressed => true)";

    private final StorageConfig config;

    MaintenanceCompression(StorageConfig config) {
        this.config = config;
    }

    @Override public MaintenanceOutcome run(Connection c, StorageMode mode) throws SQLException {
        if (mode == StorageMode.POSTGRESQL) {
            return MaintenanceOutcome.skipped("not applicable in postgresql mode (no compression)");
        }
        Map<String, Duration> after = new LinkedHashMap<>();
        after.put("websocket_data", config.tickCompressAfter());
        after.put("market_data", config.barCompressAfter());
        List<MaintenanceJobs.Unhealthy> bad = MaintenanceJobs.unhealthy(MaintenanceJobs.read(c),
                MaintenanceJobs.COMPRESSION, after.keySet());
        if (bad.isEmpty()) return MaintenanceOutcome.skipped("timescaledb job healthy (columnstore)");
        boolean columnstore = MaintenanceJobs.columnstore(c);
        int done = 0;
        int left = 0;
        List<String> per = new ArrayList<>();
        for (MaintenanceJobs.Unhealthy u : bad) {
            List<String> chunks = chunks(c, u.target(), after.get(u.target()));
            int n = 0;
            try (PreparedStatement p = c.prepareStatement(columnstore ? CONVERT : COMPRESS)) {
                for (String chunk : chunks) {
                    if (done == MAX_CHUNKS) break;
                    p.setString(1, chunk);
                    p.execute();
                    n++;
                    done++;
                }
            }
            left += chunks.size() - n;
            per.add(u.target() + " " + n);
        }
        return MaintenanceOutcome.ok("compressed " + done + (done == 1 ? " chunk" : " chunks") + " ("
                + String.join(", ", per) + ")" + (left > 0 ? ", " + left + " left for the next run" : "")
                + "; jobs not healthy: " + bad);
    }

    private static List<String> chunks(Connection c, String table, Duration after) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(CHUNKS)) {
            p.setString(1, table);
            p.setLong(2, after.toSeconds());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) out.add(r.getString(1));
            }
        }
        return out;
    }
}
