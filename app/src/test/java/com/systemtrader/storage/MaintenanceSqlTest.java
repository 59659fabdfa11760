package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The maintenance's schema and its TimescaleDB SQL checked as text (no TimescaleDB server here;
 * {@link MaintenanceTimescaleLiveTest} runs it on one when SYSTEM_TRADER_TIMESCALEDB_URL is set).
 */
class MaintenanceSqlTest {
    @Test
    void maintenanceRunsIsTheSameTableInBothModesAndAVersionedTransactionalMigration() {
        String pg = Migration.resource("db/postgresql/V5__maintenance.sql");
        String ts = Migration.resource("db/timescaledb/V3__maintenance.sql");
        assertThat(SqlScript.split(pg)).isEqualTo(SqlScript.split(ts)).hasSize(2);
        assertThat(SqlScript.split(pg).getFirst()).startsWith("CREATE TABLE maintenance_runs (")
                .contains("outcome     text        NOT NULL CHECK (outcome IN ('ok', 'skipped', 'failed'))");
        for (StorageMode m : StorageMode.values()) {
            List<Migration> all = Migration.load(m);
            Migration maintenance = all.stream().filter(x -> x.script().endsWith("__maintenance.sql")).findFirst()
                    .orElseThrow();
            assertThat(maintenance.repeatable()).isFalse();
            assertThat(maintenance.transactional()).isTrue();
        }
    }

    @Test
    void theQuarantineElementAndTradeIdIndexMigrationsAreTheSameInBothModesAndComeLastButTheBrin() {
        String pg = Migration.resource("db/postgresql/V6__quarantine_element.sql");
        String ts = Migration.resource("db/timescaledb/V4__quarantine_element.sql");
        assertThat(SqlScript.split(pg)).isEqualTo(SqlScript.split(ts)).hasSize(5);
        assertThat(Migration.resource("db/postgresql/V7__trade_id_index.sql"))
                .isEqualTo(Migration.resource("db/timescaledb/V5__trade_id_index.sql"));
        assertThat(Migration.resource("db/postgresql/V10__gap_ledger_symbols_key.sql"))
                .isEqualTo(Migration.resource("db/timescaledb/V6__gap_ledger_symbols_key.sql"));
        for (StorageMode m : StorageMode.values()) {
            List<Migration> all = Migration.load(m).stream().filter(x -> !x.repeatable()).toList();
            // the gap_ledger key comes last in both modes
            assertThat(all.get(all.size() - 1).script()).endsWith("__gap_ledger_symbols_key.sql");
            List<Migration> versioned = all.subList(0, all.size() - 1);
            // PostgreSQL mode has two more after them: the time BRIN the roll-up refreshes read through, and the
            // roll-ups' open/close order (TimescaleDB's first/last order by time only)
            int end = versioned.size() - (m == StorageMode.POSTGRESQL ? 2 : 0);
            if (m == StorageMode.POSTGRESQL) {
                assertThat(versioned.subList(end, versioned.size())).extracting(Migration::script)
                        .containsExactly("V8__time_brin.sql", "V9__bar_tie_order.sql");
            }
            assertThat(versioned.get(end - 2).script()).endsWith("__quarantine_element.sql");
            assertThat(versioned.get(end - 1).script()).endsWith("__trade_id_index.sql");
            assertThat(versioned).allMatch(x -> x.transactional() || x.script().endsWith("continuous_aggregates.sql"));
        }
    }

    @Test
    void rollupWindowsAreThoseOfTheTimescaleRefreshPolicies() {
        String policies = Migration.resource("db/timescaledb/R__policies.sql");
        Matcher m = Pattern.compile("add_continuous_aggregate_policy\\('ohlcv_(\\w+)', start_offset => INTERVAL '([^']+)',"
                + " end_offset => INTERVAL '([^']+)'").matcher(policies);
        int n = 0;
        while (m.find()) {
            String name = m.group(1);
            MaintenanceRollups.Level level = MaintenanceRollups.LEVELS.stream().filter(l -> l.name().equals(name))
                    .findFirst().orElseThrow();
            assertThat(level.window()).as(name).isEqualTo(duration(m.group(2)));
            assertThat(level.endOffset()).as(name).isEqualTo(duration(m.group(3)));
            n++;
        }
        assertThat(n).isEqualTo(MaintenanceRollups.LEVELS.size()).isEqualTo(5);
        assertThat(MaintenanceRollups.LEVELS).extracting(MaintenanceRollups.Level::view)
                .containsExactly("ohlcv_1m", "ohlcv_5m", "ohlcv_15m", "ohlcv_1h", "ohlcv_1d");
    }

    @Test
    void continuousAggregatesAreRefreshedDirectlyOverTheirPolicyWindow() {
        MaintenanceRollups r = new MaintenanceRollups(Duration.ofHours(2));
        MaintenanceRollups.Level m1 = MaintenanceRollups.LEVELS.getFirst();
        MaintenanceRollups.Level d1 = MaintenanceRollups.LEVELS.getLast();
        assertThat(MaintenanceRollups.refreshSql(m1, r.window(m1))).isEqualTo("CALL refresh_continuous_aggregate("
                + "'ohlcv_1m', now() - INTERVAL '7200 seconds', now() - INTERVAL '60 seconds')");
        assertThat(MaintenanceRollups.refreshSql(d1, r.window(d1))).isEqualTo("CALL refresh_continuous_aggregate("
                + "'ohlcv_1d', now() - INTERVAL '604800 seconds', now() - INTERVAL '86400 seconds')");
        assertThat(MaintenanceRollups.refreshSql(m1, null)).isEqualTo("CALL refresh_continuous_aggregate("
                + "'ohlcv_1m', NULL, now() - INTERVAL '60 seconds')");
        assertThat(MaintenanceRollups.MATERIALIZATION).contains("materialization_hypertable_schema",
                "FROM timescaledb_information.continuous_aggregates WHERE view_name = ?");
        MaintenanceRollups longer = new MaintenanceRollups(Duration.ofHours(12));
        assertThat(longer.window(m1)).isEqualTo(Duration.ofHours(12));
        assertThat(longer.window(MaintenanceRollups.LEVELS.get(1))).isEqualTo(Duration.ofHours(12));
        assertThat(longer.window(d1)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void jobHealthComesFromJobsAndJobStatsWithCaggsMappedToTheirViews() {
        String q = MaintenanceJobs.QUERY;
        assertThat(q).contains("FROM timescaledb_information.jobs j",
                "LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id",
                "ON ca.materialization_hypertable_schema = j.hypertable_schema",
                "AND ca.materialization_hypertable_name = j.hypertable_name",
                "WHEN NOT j.scheduled THEN 'paused'", "WHEN s.last_run_status = 'Failed' THEN 'failing'",
                "WHERE j.job_id >= 1000");
        List<MaintenanceJobs.Job> jobs = List.of(
                new MaintenanceJobs.Job("ohlcv_1m", MaintenanceJobs.REFRESH, 1003, "failing", "00:01:00", "Failed", 9, 9, null),
                new MaintenanceJobs.Job("ohlcv_5m", MaintenanceJobs.REFRESH, 1004, "healthy", "00:05:00", "Success", 0, 3, null),
                new MaintenanceJobs.Job("ohlcv_15m", MaintenanceJobs.REFRESH, 1005, "pending", "00:15:00", "never", 0, 0, null),
                new MaintenanceJobs.Job("ohlcv_1h", MaintenanceJobs.REFRESH, 1006, "paused", "00:15:00", "never", 0, 0, null));
        assertThat(MaintenanceJobs.unhealthy(jobs, MaintenanceJobs.REFRESH,
                List.of("ohlcv_1m", "ohlcv_5m", "ohlcv_15m", "ohlcv_1h", "ohlcv_1d")))
                .hasToString("[ohlcv_1m (job 1003 failing), ohlcv_1h (job 1006 paused), ohlcv_1d (no job)]");
        assertThat(jobs.getFirst().line()).isEqualTo("job 1003 policy_refresh_continuous_aggregate on ohlcv_1m: every "
                + "00:01:00, last run Failed, failures 9/9, failing (the application's maintenance does its work)");
        assertThat(jobs.get(1).line()).endsWith("failures 0/3, healthy");
    }

    @Test
    void compressionUsesTheColumnstoreNamesWithTheLegacyOnesAsFallback() {
        assertThat(MaintenanceCompression.CONVERT).isEqualTo("CALL convert_to_columnstore(?::regclass, "
                + "if_not_columnstore => true)");
        assertThat(MaintenanceCompression.COMPRESS).isEqualTo("SELECT compress_chunk(?::regclass, "
                + "if_not_compressed => true)");
        assertThat(MaintenanceCompression.CHUNKS).contains("FROM timescaledb_information.chunks",
                "NOT is_compressed", "range_end <= now() - make_interval(secs => ?)", "ORDER BY range_start");
        assertThat(MaintenanceRetention.dropChunksSql()).isEqualTo("SELECT count(*) FROM drop_chunks(?::regclass, "
                + "older_than => now() - make_interval(days => ?))");
    }

    @Test
    void retentionTargetsComeFromTheConfiguration() {
        StorageConfig d = StorageConfig.defaults();
        assertThat(new MaintenanceRetention(d).retained()).containsExactly(java.util.Map.entry("websocket_data", 30));
        assertThat(new MaintenanceRetention(MaintenanceSchedulerTest.retention(d, 7, 400, 90)).retained().keySet())
                .containsExactly("websocket_data", "market_data", "ohlcv_1m", "ohlcv_5m", "ohlcv_15m", "ohlcv_1h",
                        "ohlcv_1d");
        assertThat(new MaintenanceRetention(MaintenanceSchedulerTest.retention(d, 0, 0, 0)).retained()).isEmpty();
    }

    @Test
    void tasksHaveStableLabels() {
        assertThat(MaintenanceTask.labels()).isEqualTo("partitions, rollups, retention, compression");
        assertThat(MaintenanceTask.ofLabel(" Rollups")).isEqualTo(MaintenanceTask.ROLLUPS);
    }

    /** {@code 2 hours}, {@code 1 day}, {@code 15 minutes}. */
    private static Duration duration(String interval) {
        String[] p = interval.split(" ");
        long n = Long.parseLong(p[0]);
        return switch (p[1].replaceAll("s$", "")) {
            case "minute" -> Duration.ofMinutes(n);
            case "hour" -> Duration.ofHours(n);
            case "day" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException(interval);
        };
    }
}
