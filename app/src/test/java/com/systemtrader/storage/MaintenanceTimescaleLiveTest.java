package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The maintenance in TimescaleDB mode on a real server, when SYSTEM_TRADER_TIMESCALEDB_URL is set (as for
 * {@link TimescaleLiveTest}): with every policy job paused (as good as failing), it refreshes the continuous
 * aggregates, drops expired chunks and compresses old ones itself; with healthy jobs it leaves the work to them.
 */
class MaintenanceTimescaleLiveTest {

    @Test
    void whenTheJobsDoNotRunTheMaintenanceDoesTheirWork() throws SQLException {
        try (TimescaleTestDatabase server = TimescaleTestDatabase.create("the maintenance's TimescaleDB SQL is "
                + "still checked as text by MaintenanceSqlTest")) {
            Database db = server.db;
            MigrationRunner.migrate(db);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at,
                                                    price, size, eligibility, flags, status) VALUES
                        (now() - INTERVAL '40 days', 1, 'MNT', 'trade', 'polygon', '4::1', now(), 10.0, 100, 31, 31, 0),
                        (now() - INTERVAL '1 day', 2, 'MNT', 'trade', 'polygon', '4::2', now(), 11.0, 100, 31, 31, 0),
                        (now() - INTERVAL '10 minutes', 3, 'MNT', 'trade', 'polygon', '4::3', now(), 12.0, 100, 31, 31, 0)""");
                s.execute("SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs"
                        + " WHERE job_id >= 1000");
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (MaintenanceScheduler m = new MaintenanceScheduler(db, MaintenanceConfig.defaults(), registry)) {
                List<MaintenanceRun> runs = m.runOnce(EnumSet.allOf(MaintenanceTask.class));
                assertThat(runs).extracting(r -> r.task().label() + " " + r.outcome().status().label())
                        .as(runs.toString())
                        .containsExactly("partitions skipped", "rollups ok", "retention ok", "compression ok");
                assertThat(runs.get(1).outcome().detail()).startsWith("refreshed ohlcv_1m (from the start: first "
                        + "materialization), ohlcv_5m (from the start").contains("; jobs not healthy: [ohlcv_1m (job ");
                // the second refresh covers the policy windows only
                MaintenanceRun again = m.run(MaintenanceTask.ROLLUPS);
                assertThat(again.outcome().detail()).startsWith("refreshed ohlcv_1m, ohlcv_5m, ohlcv_15m, ohlcv_1h, "
                        + "ohlcv_1d; ");
                assertThat(runs.get(2).outcome().detail()).startsWith("dropped ").contains("websocket_data");
                assertThat(runs.get(3).outcome().detail()).startsWith("compressed ");
            }
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertThat(one(s, "SELECT count(*) FROM websocket_data WHERE symbol = 'MNT'")).isEqualTo("2");
                assertThat(one(s, "SELECT count(*) FROM timescaledb_information.chunks"
                        + " WHERE hypertable_name = 'websocket_data' AND is_compressed")).isNotEqualTo("0");
                // the first refresh materialized all three trades; dropping raw chunks leaves the aggregates
                assertThat(one(s, "SELECT sum(volume) FROM ohlcv_1d WHERE symbol = 'MNT'")).isEqualTo("300");
            }
            String status = StorageStatus.read(db).render();
            assertThat(status).contains("paused (the application's maintenance does its work)", "maintenance:\n");
            assertThat(status).containsPattern("rollups +ok ");
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
