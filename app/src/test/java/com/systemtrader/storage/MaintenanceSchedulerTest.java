package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The maintenance scheduler in PostgreSQL mode on the real local (or embedded) PostgreSQL: partitions ahead,
 * retention by dropping partitions, roll-up refresh, failures recorded without stopping the other tasks, a lost
 * connection re-opened, runs in {@code maintenance_runs}, {@code db status} and the meters.
 */
class MaintenanceSchedulerTest {
    private static final EnumSet<MaintenanceTask> ALL = EnumSet.allOf(MaintenanceTask.class);
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @Test
    void partitionsAreMadeAheadForEveryDailyPartitionedTable() throws SQLException {
        db.exec("CREATE TABLE extra_series (time timestamptz NOT NULL, v int) PARTITION BY RANGE (time);"
                + "CREATE TABLE extra_series_p20200101 PARTITION OF extra_series"
                + " FOR VALUES FROM ('2020-01-01 00:00+00') TO ('2020-01-02 00:00+00');"
                + "CREATE TABLE not_daily (time timestamptz NOT NULL) PARTITION BY RANGE (time)");
        try {
            assertThat(partitions("websocket_data")).isEqualTo(9);   // yesterday .. today + 7 (migrate)
            StorageConfig twenty = premake(db.config(), 20);
            try (MaintenanceScheduler s = new MaintenanceScheduler(new Database(twenty, null),
                    MaintenanceConfig.defaults(), new SimpleMeterRegistry())) {
                MaintenanceRun run = s.run(MaintenanceTask.PARTITIONS);
                assertThat(run.outcome().status()).isEqualTo(MaintenanceOutcome.Status.OK);
                assertThat(run.mode()).isEqualTo(StorageMode.POSTGRESQL);
                assertThat(run.outcome().detail()).startsWith("48 partitions created (extra_series 22, market_data 13, "
                        + "websocket_data 13); daily partitions through ");
                assertThat(partitions("websocket_data")).isEqualTo(22);
                assertThat(partitions("market_data")).isEqualTo(22);
                assertThat(partitions("extra_series")).isEqualTo(23);
                assertThat(partitions("not_daily")).isZero();
                assertThat(db.rows("SELECT to_regclass('websocket_data_p' || to_char((now() AT TIME ZONE 'UTC')::date"
                        + " + 20, 'YYYYMMDD')) IS NOT NULL")).containsExactly("t");
                assertThat(s.run(MaintenanceTask.PARTITIONS).outcome().detail()).startsWith("0 partitions created");
            }
        } finally {
            db.exec("DROP TABLE extra_series; DROP TABLE not_daily");
        }
    }

    @Test
    void retentionDropsPartitionsOlderThanTheConfiguredDaysAndKeepsRecentOnes() throws SQLException {
        db.exec("SELECT ensure_daily_partitions('websocket_data', '2020-01-01', 1);"
                + "SELECT ensure_daily_partitions('market_data', '2020-01-01', 1)");
        db.exec(trade("OLD", "2020-01-01 15:00:00+00", "1") + ";" + trade("NEW", "now()", "1"));
        try (MaintenanceScheduler s = scheduler(db.config(), MaintenanceConfig.defaults())) {
            MaintenanceRun run = s.run(MaintenanceTask.RETENTION);
            assertThat(run.outcome().status()).isEqualTo(MaintenanceOutcome.Status.OK);
            assertThat(run.outcome().detail()).isEqualTo("dropped 1 partition (websocket_data 1 (older than 30 days));"
                    + " quarantine: deleted 0 rows older than 30 days");
        }
        assertThat(db.rows("SELECT to_regclass('websocket_data_p20200101') IS NULL,"
                + " to_regclass('market_data_p20200101') IS NOT NULL")).containsExactly("t t");
        assertThat(db.rows("SELECT symbol FROM websocket_data WHERE symbol IN ('OLD', 'NEW')")).containsExactly("NEW");
        assertThat(partitions("websocket_data")).isGreaterThanOrEqualTo(9);
        StorageConfig bars = retention(db.config(), 30, 10, 0);   // bar retention from the configuration
        try (MaintenanceScheduler s = scheduler(bars, MaintenanceConfig.defaults())) {
            assertThat(s.run(MaintenanceTask.RETENTION).outcome().detail()).isEqualTo("dropped 1 partition "
                    + "(websocket_data 0 (older than 30 days), market_data 1 (older than 10 days));"
                    + " quarantine: deleted 0 rows older than 30 days");
        }
        assertThat(db.rows("SELECT to_regclass('market_data_p20200101') IS NULL")).containsExactly("t");
        try (MaintenanceScheduler s = scheduler(retention(db.config(), 0, 0, 0).withQuarantineRetentionDays(0),
                MaintenanceConfig.defaults())) {
            MaintenanceRun run = s.run(MaintenanceTask.RETENTION);
            assertThat(run.outcome().status()).isEqualTo(MaintenanceOutcome.Status.SKIPPED);
            assertThat(run.outcome().detail()).contains("keep forever").endsWith("; quarantine kept forever");
        }
    }

    @Test
    void rollupsMaterializeTheRecentWindowAndAtFirstEverythingBelowIt() throws SQLException {
        try (TestDatabase fresh = TestDatabase.create()) {
            MigrationRunner.migrate(fresh.database());
            fresh.exec("SELECT ensure_partitions_for('websocket_data', now() - interval '3 days')");
            // one reference minute for the inserts and the checks: now() moves on between statements, and a
            // minute boundary in between made the bucket comparison fail
            String minute = "date_trunc('minute', '" + fresh.rows("SELECT date_trunc('minute', now())::text").getFirst()
                    + "'::timestamptz)";
            fresh.exec(trade("RLUP", minute + " - interval '10 minutes' + interval '5 seconds'", "1")
                    + ";" + trade("RLUP", minute + " - interval '10 minutes' + interval '20 seconds'", "2")
                    + ";" + trade("RLUP", minute + " - interval '3 days'", "3"));
            assertThat(fresh.rows("SELECT count(*) FROM rollup_watermark")).containsExactly("0");
            try (MaintenanceScheduler s = scheduler(fresh.config(), MaintenanceConfig.defaults())) {
                MaintenanceRun run = s.run(MaintenanceTask.ROLLUPS);
                assertThat(run.outcome().status()).as(run.outcome().detail()).isEqualTo(MaintenanceOutcome.Status.OK);
                assertThat(run.outcome().detail()).startsWith("refreshed 1m, 5m, 15m, 1h, 1d; 1m materialized to ");
                // up to SETTLE (15 s) before now: the minute just ended waits for its late trades
                assertThat(fresh.rows("SELECT refreshed_to BETWEEN " + minute + " - interval '1 minute'"
                        + " AND tscompat.time_bucket('1 minute', now() - interval '15 seconds')"
                        + " FROM rollup_watermark WHERE name = '1m'")).containsExactly("t");
                // the task summarized the time BRIN's new page ranges (the refreshes read through them)
                assertThat(fresh.rows("SELECT sum(brin_summarize_new_values(inhrelid)) FROM pg_inherits"
                        + " WHERE inhparent = 'websocket_data_time_brin'::regclass")).containsExactly("0");
                assertThat(fresh.rows("SELECT bucket = " + minute + " - interval '10 minutes'"
                        + " OR bucket = " + minute + " - interval '3 days', volume, trade_count"
                        + " FROM ohlcv_1m_mat WHERE symbol = 'RLUP' ORDER BY bucket"))
                        .as("the 3-day-old bucket is materialized too: the first refresh starts at the oldest trade")
                        .containsExactly("t 100 1", "t 300 2");
                // a trade stored below the watermark behind the writer's back (no roll-up mark): the later runs
                // are incremental from the watermark and leave its minute alone...
                fresh.exec(trade("RLUP", minute + " - interval '10 minutes' + interval '30 seconds'", "4"));
                // a second run within the minute refreshes only the levels that are due
                MaintenanceRun again = s.run(MaintenanceTask.ROLLUPS);
                assertThat(again.outcome().detail()).startsWith("refreshed 1m;");
                assertThat(fresh.rows("SELECT volume FROM ohlcv_1m_mat WHERE symbol = 'RLUP'"
                        + " AND bucket = " + minute + " - interval '10 minutes'")).containsExactly("300");
            }
            // ...until the first run after a restart recomputes the lookback window (marks a crash lost)
            try (MaintenanceScheduler s = scheduler(fresh.config(), MaintenanceConfig.defaults())) {
                assertThat(s.run(MaintenanceTask.ROLLUPS).outcome().status()).isEqualTo(MaintenanceOutcome.Status.OK);
            }
            assertThat(fresh.rows("SELECT volume || ' ' || trade_count FROM ohlcv_1m_mat WHERE symbol = 'RLUP'"
                    + " AND bucket = " + minute + " - interval '10 minutes'")).containsExactly("400 3");
            // the views read the materialized buckets below the watermark
            assertThat(fresh.rows("SELECT sum(volume) FROM ohlcv_1h WHERE symbol = 'RLUP'")).containsExactly("500");
        }
    }

    @Test
    void aFailingTaskIsRecordedAndTheNextTasksStillRunThenItRecovers() throws SQLException {
        try (TestDatabase fresh = TestDatabase.create()) {
            MigrationRunner.migrate(fresh.database());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (MaintenanceScheduler s = new MaintenanceScheduler(fresh.database(), MaintenanceConfig.defaults(),
                    registry)) {
                fresh.exec("ALTER FUNCTION ensure_daily_partitions(regclass, date, int) RENAME TO edp_gone");
                List<MaintenanceRun> runs = s.runOnce(ALL);
                assertThat(runs).extracting(r -> r.task().label() + " " + r.outcome().status().label())
                        .containsExactly("partitions failed", "rollups ok", "retention ok", "compression skipped");
                assertThat(runs.getFirst().outcome().detail()).contains("ensure_daily_partitions", "does not exist");
                assertThat(runs.get(3).outcome().detail()).isEqualTo("not applicable in postgresql mode (no compression)");
                assertThat(fresh.rows("SELECT task || ' ' || outcome FROM maintenance_runs ORDER BY id"))
                        .containsExactly("partitions failed", "rollups ok", "retention ok", "compression skipped");
                assertThat(count(registry, "partitions", "failed")).isEqualTo(1.0);
                assertThat(count(registry, "rollups", "ok")).isEqualTo(1.0);
                assertThat(registry.get("storage.maintenance.last.success").tag("task", "partitions").gauge().value())
                        .isZero();
                assertThat(registry.get("storage.maintenance.last.success").tag("task", "rollups").gauge().value())
                        .isGreaterThan(1.7e9);
                assertThat(registry.get("storage.maintenance.duration").tag("task", "retention").timer().count())
                        .isEqualTo(1);
                String status = StorageStatus.read(fresh.database()).render();
                assertThat(status).contains("maintenance:\n");
                assertThat(status).containsPattern("partitions +failed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  .*"
                        + "does not exist.*; 1 failed in 24 h, last success never\n");
                assertThat(status).containsPattern("rollups +ok +\\S+ \\S+  refreshed 1m, 5m, 15m, 1h, 1d; .*; 0 failed in 24 h\n");
                assertThat(status).containsPattern("compression +skipped .* not applicable in postgresql mode");

                fresh.exec("ALTER FUNCTION edp_gone(regclass, date, int) RENAME TO ensure_daily_partitions");
                assertThat(s.run(MaintenanceTask.PARTITIONS).outcome().status()).isEqualTo(MaintenanceOutcome.Status.OK);
                assertThat(StorageStatus.read(fresh.database()).render())
                        .containsPattern("partitions +ok +\\S+ \\S+  0 partitions created .*; 1 failed in 24 h\n");
                assertThat(count(registry, "partitions", "ok")).isEqualTo(1.0);
            }
        }
    }

    @Test
    void aLostConnectionIsReopenedOnTheNextRun() throws SQLException {
        try (MaintenanceScheduler s = scheduler(db.config(), MaintenanceConfig.defaults())) {
            assertThat(s.run(MaintenanceTask.PARTITIONS).outcome().failed()).isFalse();
            assertThat(db.rows("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = 'system-trader maintenance'"))
                    .containsExactly("1");
            await().atMost(Duration.ofSeconds(10)).until(() -> maintenanceSessions().equals("0"));
            MaintenanceRun after = s.run(MaintenanceTask.PARTITIONS);
            assertThat(after.outcome().status()).as(after.outcome().detail()).isEqualTo(MaintenanceOutcome.Status.OK);
        }
    }

    @Test
    void anUnreachableDatabaseFailsEveryTaskWithoutThrowing() {
        StorageConfig nowhere = db.config().withUrl("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2");
        try (MaintenanceScheduler s = scheduler(nowhere, MaintenanceConfig.defaults())) {
            List<MaintenanceRun> runs = s.runOnce(ALL);
            assertThat(runs).hasSize(4).allSatisfy(r -> {
                assertThat(r.outcome().failed()).isTrue();
                assertThat(r.outcome().detail()).startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere");
            });
        }
    }

    @Test
    void aNeverMigratedDatabaseIsSkippedUntilItIsMigrated() throws SQLException {
        try (TestDatabase fresh = TestDatabase.create();
             MaintenanceScheduler s = scheduler(fresh.config(), MaintenanceConfig.defaults())) {
            assertThat(s.runOnce(ALL)).hasSize(4).allSatisfy(r -> {
                assertThat(r.outcome().status()).isEqualTo(MaintenanceOutcome.Status.SKIPPED);
                assertThat(r.outcome().detail()).isEqualTo("database never migrated (run: system-trader db migrate)");
                assertThat(r.mode()).isNull();
            });
            MigrationRunner.migrate(fresh.database());
            MaintenanceRun run = s.run(MaintenanceTask.PARTITIONS);
            assertThat(run.outcome().status()).isEqualTo(MaintenanceOutcome.Status.OK);
            assertThat(fresh.rows("SELECT task || ' ' || outcome || ' ' || mode FROM maintenance_runs"))
                    .containsExactly("partitions ok postgresql");
        }
    }

    @Test
    void aTaskHeldByAnotherProcessIsSkipped() throws SQLException {
        try (Connection other = db.connect(); Statement st = other.createStatement();
             MaintenanceScheduler s = scheduler(db.config(), MaintenanceConfig.defaults())) {
            st.execute("SELECT pg_advisory_lock(" + 0x53544D54 + ", " + MaintenanceTask.RETENTION.ordinal() + ")");
            MaintenanceRun run = s.run(MaintenanceTask.RETENTION);
            assertThat(run.outcome().status()).isEqualTo(MaintenanceOutcome.Status.SKIPPED);
            assertThat(run.outcome().detail()).contains("another process");
        }
    }

    @Test
    void onlyTheNewestRunsOfATaskAreKept() throws SQLException {
        MaintenanceConfig keep3 = new MaintenanceConfig(true, Duration.ofHours(1), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofHours(2), 3, Duration.ofSeconds(10));
        try (MaintenanceScheduler s = scheduler(db.config(), keep3)) {
            for (int i = 0; i < 5; i++) s.run(MaintenanceTask.COMPRESSION);
            long newest = Long.parseLong(db.rows("SELECT max(id) FROM maintenance_runs").getFirst());
            assertThat(db.rows("SELECT id FROM maintenance_runs WHERE task = 'compression' ORDER BY id"))
                    .containsExactly(String.valueOf(newest - 2), String.valueOf(newest - 1), String.valueOf(newest));
        }
    }

    @Test
    void startedItRunsEveryTaskOnItsDaemonThreadAndCloseStopsIt() throws Exception {
        MaintenanceConfig fast = new MaintenanceConfig(true, Duration.ofMillis(200), Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofHours(2), 50, Duration.ofSeconds(10));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MaintenanceScheduler s = new MaintenanceScheduler(db.database(), fast, registry);
        try {
            s.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(registry, "rollups", "ok") >= 3
                    && count(registry, "partitions", "ok") >= 3 && count(registry, "compression", "skipped") >= 3);
            assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
                assertThat(t.getName()).isEqualTo("storage-maintenance");
                assertThat(t.isDaemon()).isTrue();
            });
        } finally {
            s.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("storage-maintenance")));
        double after = count(registry, "rollups", "ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> maintenanceSessions().equals("0"));
        Thread.sleep(500); // deliberate: shows that no maintenance run is counted within 500 ms of the close
        assertThat(count(registry, "rollups", "ok")).isEqualTo(after);
    }

    // --- helpers

    private static MaintenanceScheduler scheduler(StorageConfig c, MaintenanceConfig m) {
        return new MaintenanceScheduler(new Database(c, null), m, new SimpleMeterRegistry());
    }

    private static double count(SimpleMeterRegistry r, String task, String outcome) {
        return r.get("storage.maintenance.runs").tag("task", task).tag("outcome", outcome).counter().count();
    }

    static StorageConfig premake(StorageConfig c, int days) {
        return new StorageConfig(c.url(), c.user(), c.mode(), c.migrateOnStart(), c.tickChunkInterval(),
                c.barChunkInterval(), c.tickCompressAfter(), c.barCompressAfter(), c.tickRetentionDays(),
                c.barRetentionDays(), c.rollupRetentionDays(), days);
    }

    static StorageConfig retention(StorageConfig c, int ticks, int bars, int rollups) {
        return new StorageConfig(c.url(), c.user(), c.mode(), c.migrateOnStart(), c.tickChunkInterval(),
                c.barChunkInterval(), c.tickCompressAfter(), c.barCompressAfter(), ticks, bars, rollups,
                c.partitionPremakeDays());
    }

    /** An eligible trade of 100 (event 1) or 200 shares at the SQL expression {@code time}. */
    static String trade(String symbol, String time, String event) {
        String t = time.startsWith("now") || time.startsWith("date_trunc") ? time : "'" + time + "'";
        return "INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, price, size,"
                + " eligibility, flags, status) VALUES (" + t + ", " + event + ", '" + symbol + "', 'trade', 'polygon', '4::"
                + event + "', now(), 10.0, " + (event.equals("2") ? 200 : 100) + ", 31, 31, 0)";
    }

    private static String maintenanceSessions() throws SQLException {
        return db.rows("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND application_name = 'system-trader maintenance'").getFirst();
    }

    private static int partitions(String table) throws SQLException {
        return Integer.parseInt(db.rows("SELECT count(*) FROM pg_inherits WHERE inhparent = '" + table + "'::regclass")
                .getFirst());
    }
}
