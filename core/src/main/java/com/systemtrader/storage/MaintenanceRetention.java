package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention from the configuration ({@code storage.tick_retention_days}, {@code bar_retention_days},
 * {@code rollup_retention_days}, {@code quarantine_retention_days}; 0 keeps data forever).
 * <ul>
 *   <li>PostgreSQL: {@code drop_old_partitions} on {@code websocket_data} and {@code market_data} (a partition goes
 *       when its upper bound is older than the retention), and a DELETE of roll-up buckets from the
 *       {@code ohlcv_L_mat} tables.</li>
 *   <li>TimescaleDB: nothing while the retention jobs are healthy; {@code drop_chunks} for every table or
 *       continuous aggregate whose job fails or is missing.</li>
 *   <li>Both modes: a DELETE of {@code quarantine} rows received before the quarantine retention, in batches of
 *       {@link #QUARANTINE_BATCH} rows, each its own transaction (the table is a plain table in both modes, small next
 *       to the data tables, with an index on {@code received_at}; no partitions or chunks to drop).</li>
 * </ul>
 */
final class MaintenanceRetention implements MaintenanceWork {
    /** Quarantine rows deleted per statement (and per transaction: the maintenance connection autocommits). */
    static final int QUARANTINE_BATCH = 10_000;
    static final String DELETE_QUARANTINE = "DELETE FROM quarantine WHERE ctid = ANY (ARRAY(SELECT ctid FROM quarantine"
            + " WHERE received_at < now() - make_interval(days => ?) LIMIT " + QUARANTINE_BATCH + "))";

    private final StorageConfig config;

    MaintenanceRetention(StorageConfig config) {
        this.config = config;
    }

    /** table or view -> days kept, for those with a retention (insertion order: ticks, bars, roll-ups). */
    Map<String, Integer> retained() {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (config.tickRetentionDays() > 0) out.put("websocket_data", config.tickRetentionDays());
        if (config.barRetentionDays() > 0) out.put("market_data", config.barRetentionDays());
        if (config.rollupRetentionDays() > 0) {
            for (MaintenanceRollups.Level l : MaintenanceRollups.LEVELS) out.put(l.view(), config.rollupRetentionDays());
        }
        return out;
    }

    @Override public MaintenanceOutcome run(Connection c, StorageMode mode) throws SQLException {
        Map<String, Integer> targets = retained();
        MaintenanceOutcome data = targets.isEmpty()
                ? MaintenanceOutcome.skipped("retention is 0 (keep forever) for ticks, bars and roll-ups")
                : mode == StorageMode.POSTGRESQL ? dropPartitions(c, targets) : dropChunks(c, targets);
        int days = config.quarantineRetentionDays();
        if (days == 0) {
            return new MaintenanceOutcome(data.status(), data.detail() + "; quarantine kept forever");
        }
        long deleted = deleteQuarantine(c, days);
        return MaintenanceOutcome.ok(data.detail() + "; quarantine: deleted " + deleted
                + (deleted == 1 ? " row" : " rows") + " older than " + days + " days");
    }

    /** Deletes quarantine rows received more than {@code days} ago, batch by batch; how many. */
    static long deleteQuarantine(Connection c, int days) throws SQLException {
        long total = 0;
        try (PreparedStatement p = c.prepareStatement(DELETE_QUARANTINE)) {
            p.setInt(1, days);
            int n;
            do {
                n = p.executeUpdate();
                total += n;
            } while (n == QUARANTINE_BATCH);
        }
        return total;
    }

    private static MaintenanceOutcome dropPartitions(Connection c, Map<String, Integer> targets) throws SQLException {
        int partitions = 0;
        long buckets = 0;
        List<String> per = new ArrayList<>();
        try (PreparedStatement drop = c.prepareStatement(
                "SELECT drop_old_partitions(?::regclass, now() - make_interval(days => ?))")) {
            for (Map.Entry<String, Integer> e : targets.entrySet()) {
                if (e.getKey().startsWith("ohlcv_")) {
                    try (PreparedStatement p = c.prepareStatement("DELETE FROM " + e.getKey()
                            + "_mat WHERE bucket < now() - make_interval(days => ?)")) {
                        p.setInt(1, e.getValue());
                        buckets += p.executeUpdate();
                    }
                    continue;
                }
                drop.setString(1, e.getKey());
                drop.setInt(2, e.getValue());
                try (ResultSet r = drop.executeQuery()) {
                    r.next();
                    partitions += r.getInt(1);
                    per.add(e.getKey() + " " + r.getInt(1) + " (older than " + e.getValue() + " days)");
                }
            }
        }
        String rollups = targets.keySet().stream().anyMatch(t -> t.startsWith("ohlcv_"))
                ? "; deleted " + buckets + " roll-up buckets older than " + targets.get("ohlcv_1m") + " days" : "";
        return MaintenanceOutcome.ok("dropped " + partitions + (partitions == 1 ? " partition" : " partitions")
                + (per.isEmpty() ? "" : " (" + String.join(", ", per) + ")") + rollups);
    }

    private static MaintenanceOutcome dropChunks(Connection c, Map<String, Integer> targets) throws SQLException {
        List<MaintenanceJobs.Unhealthy> bad = MaintenanceJobs.unhealthy(MaintenanceJobs.read(c),
                MaintenanceJobs.RETENTION, targets.keySet());
        if (bad.isEmpty()) return MaintenanceOutcome.skipped("timescaledb job healthy (retention)");
        int total = 0;
        List<String> per = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(dropChunksSql())) {
            for (MaintenanceJobs.Unhealthy u : bad) {
                p.setString(1, u.target());
                p.setInt(2, targets.get(u.target()));
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    total += r.getInt(1);
                    per.add(u.target() + " " + r.getInt(1));
                }
            }
        }
        return MaintenanceOutcome.ok("dropped " + total + (total == 1 ? " chunk" : " chunks") + " ("
                + String.join(", ", per) + "); jobs not healthy: " + bad);
    }

    static String dropChunksSql() {
        return "SELECT count(*) FROM drop_chunks(?::regclass, older_than => now() - make_interval(days => ?))";
    }
}
