package com.systemtrader.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The PostgreSQL-mode schema on a fresh database: migrations, partitions, tscompat, roll-ups, staging, status. */
class PostgresSchemaTest {
    private static TestDatabase db;
    private static MigrationRunner.Result first;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.create();
        first = MigrationRunner.migrate(db.database());
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @Test
    void freshDatabaseGetsEveryMigrationAndASecondRunIsANoOp() throws SQLException {
        assertThat(first.mode()).isEqualTo(StorageMode.POSTGRESQL);
        assertThat(first.reason()).contains("TimescaleDB");
        assertThat(first.applied()).containsExactly("V1__tscompat.sql", "V2__tables.sql", "V3__partitions.sql",
                "V4__rollups.sql", "V5__maintenance.sql", "V6__quarantine_element.sql", "V7__trade_id_index.sql",
                "V8__time_brin.sql", "V9__bar_tie_order.sql", "V10__gap_ledger_symbols_key.sql",
                "R__rollup_refresh.sql", "R__settings.sql");
        assertThat(first.version()).isEqualTo(10);
        MigrationRunner.Result again = MigrationRunner.migrate(db.database());
        assertThat(again.applied()).isEmpty();
        assertThat(again.reason()).isEqualTo("recorded in schema_version");
        assertThat(db.firstColumn("SELECT script || ' ' || mode FROM schema_version ORDER BY version, script")).containsExactly(
                "R__rollup_refresh.sql postgresql", "R__settings.sql postgresql", "V1__tscompat.sql postgresql",
                "V2__tables.sql postgresql", "V3__partitions.sql postgresql", "V4__rollups.sql postgresql",
                "V5__maintenance.sql postgresql", "V6__quarantine_element.sql postgresql",
                "V7__trade_id_index.sql postgresql", "V8__time_brin.sql postgresql", "V9__bar_tie_order.sql postgresql",
                "V10__gap_ledger_symbols_key.sql postgresql");
    }

    @Test
    void aRunWaitingForAnotherMigrationSaysSoThenReportsEachScript() throws Exception {
        StorageConfig c = db.config();
        StorageConfig changed = new StorageConfig(c.url(), c.user(), c.mode(), true, c.tickChunkInterval(),
                c.barChunkInterval(), c.tickCompressAfter(), c.barCompressAfter(), 11, 0, 0, 7);
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        MigrationRunner.Progress progress = new MigrationRunner.Progress() {
            @Override public void waitingForLock() { heard.add("waiting"); }
            @Override public void starting(String script, int statements) { heard.add("starting " + script); }
            @Override public void applied(String script, long ms) { heard.add("applied " + script); }
        };
        var result = new java.util.concurrent.CompletableFuture<MigrationRunner.Result>();
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MigrationRunner.LOCK + ")");
            Thread t = new Thread(() -> {
                try {
                    result.complete(MigrationRunner.migrate(new Database(changed, null), progress));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            t.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> heard.contains("waiting"));
            assertThat(result).as("no script runs while another migration holds the lock").isNotDone();
            s.execute("SELECT pg_advisory_unlock(" + MigrationRunner.LOCK + ")");
            assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS).applied()).containsExactly("R__settings.sql");
            t.join();
        }
        assertThat(heard).containsExactly("waiting", "starting R__settings.sql", "applied R__settings.sql");
        MigrationRunner.migrate(db.database());
    }

    @Test
    void changedSettingsReRunOnlyTheRepeatableScript() throws SQLException {
        StorageConfig c = db.config();
        StorageConfig changed = new StorageConfig(c.url(), c.user(), c.mode(), true, c.tickChunkInterval(),
                c.barChunkInterval(), c.tickCompressAfter(), c.barCompressAfter(), 9, 0, 0, 7);
        assertThat(MigrationRunner.migrate(new Database(changed, null)).applied()).containsExactly("R__settings.sql");
        assertThat(db.firstColumn("SELECT value FROM storage_settings WHERE name = 'tick_retention_days'")).containsExactly("9");
        assertThat(MigrationRunner.migrate(new Database(changed, null)).applied()).isEmpty();
        MigrationRunner.migrate(db.database());
    }

    @Test
    void anEditedAppliedMigrationStopsTheRun() throws SQLException {
        String original = db.firstColumn("SELECT checksum FROM schema_version WHERE script = 'V2__tables.sql'").getFirst();
        db.exec("UPDATE schema_version SET checksum = 'edited' WHERE script = 'V2__tables.sql'");
        try {
            assertThatThrownBy(() -> MigrationRunner.migrate(db.database())).isInstanceOf(StorageException.class)
                    .hasMessageContaining("V2__tables.sql changed since it was applied");
        } finally {
            db.exec("UPDATE schema_version SET checksum = '" + original + "' WHERE script = 'V2__tables.sql'");
        }
    }

    @Test
    void nonTransactionalScriptsRunStatementByStatementAndTransactionalOnesRollBack() throws SQLException {
        // CREATE INDEX CONCURRENTLY fails inside a transaction block, like TimescaleDB's WITH DATA caggs
        String concurrently = Migration.NO_TRANSACTION + "\nCREATE TABLE t9 (a int);\nCREATE INDEX CONCURRENTLY t9_a ON t9 (a);\n";
        try (Connection c = db.connect()) {
            MigrationRunner.run(c, new Migration("V99__t.sql", 99, "t", concurrently, false), concurrently, "x",
                    StorageMode.POSTGRESQL, MigrationRunner.Progress.NONE);
            assertThatThrownBy(() -> MigrationRunner.run(c, new Migration("V99__t.sql", 99, "t", concurrently, true),
                    concurrently.replace("t9", "t10"), "x", StorageMode.POSTGRESQL, MigrationRunner.Progress.NONE))
                    .hasMessageContaining("failed at statement 2 of 2 (rolled back)")
                    .hasMessageContaining("cannot run inside a transaction block");
            String bad = "CREATE TABLE t11 (a int);\nSELECT 1 / 0;";
            assertThatThrownBy(() -> MigrationRunner.run(c, new Migration("V101__t.sql", 101, "t", bad, true), bad, "x",
                    StorageMode.POSTGRESQL, MigrationRunner.Progress.NONE)).hasMessageContaining("V101__t.sql failed at statement 2 of 2 (rolled back)");
        }
        assertThat(db.firstColumn("SELECT to_regclass('t9_a') IS NOT NULL, to_regclass('t10') IS NULL, to_regclass('t11') IS NULL"))
                .containsExactly("t");
        assertThat(db.firstColumn("SELECT (to_regclass('t10') IS NULL AND to_regclass('t11') IS NULL)::text")).containsExactly("true");
        db.exec("DROP TABLE t9; DELETE FROM schema_version WHERE script = 'V99__t.sql'");
    }

    @Test
    void aModeOtherThanTheRecordedOneIsRefused() {
        assertThatThrownBy(() -> MigrationRunner.migrate(new Database(db.config().withMode("timescaledb"), null)))
                .hasMessageContaining("migrated in postgresql mode but storage.mode is timescaledb");
    }

    @Test
    void tablesArePartitionedDailyAheadOfTime() throws SQLException {
        String ahead = "SELECT count(*) FROM pg_inherits WHERE inhparent = '%s'::regclass AND inhrelid::regclass::text"
                + " BETWEEN '%<s_p' || to_char(now() AT TIME ZONE 'UTC' - interval '1 day', 'YYYYMMDD')"
                + " AND '%<s_p' || to_char(now() AT TIME ZONE 'UTC' + interval '7 days', 'YYYYMMDD')";
        assertThat(db.firstColumn(ahead.formatted("websocket_data"))).as("yesterday to a week ahead").containsExactly("9");
        assertThat(db.firstColumn(ahead.formatted("market_data"))).containsExactly("9");
        assertThat(db.firstColumn("SELECT ensure_partitions_for('websocket_data', '2020-03-01 23:59:59+00')")).containsExactly("2");
        assertThat(db.firstColumn("SELECT to_regclass('websocket_data_p20200301') IS NOT NULL")).containsExactly("t");
        assertThat(db.firstColumn("SELECT ensure_partitions_for('websocket_data', '2020-03-01 12:00+00')")).containsExactly("0");
        assertThat(db.firstColumn("SELECT drop_old_partitions('websocket_data', '2020-03-02 00:00+00')")).containsExactly("1");
        assertThat(db.firstColumn("SELECT drop_old_partitions('websocket_data', '2020-03-03 00:00+00')")).containsExactly("1");
        assertThatThrownBy(() -> db.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id,"
                + " received_at) VALUES ('2019-01-01', 0, 'X', 'trade', 'polygon', '1::1', now())"))
                .hasMessageContaining("no partition of relation");
    }

    @Test
    void tscompatMatchesTimescaleDbSemantics() throws SQLException {
        assertThat(db.firstColumn("SELECT time_bucket('15 minutes', TIMESTAMPTZ '2026-11-24 14:44:59.999+00') AT TIME ZONE 'UTC'"))
                .containsExactly("2026-11-24 14:30:00");
        assertThat(db.firstColumn("SELECT time_bucket('7 days', TIMESTAMPTZ '2026-11-26 10:00+00') AT TIME ZONE 'UTC'"))
                .containsExactly("2026-11-23 00:00:00");   // a Monday, TimescaleDB's origin
        assertThat(db.firstColumn("SELECT first(v, t) || ' ' || last(v, t) FROM (VALUES (2.0, TIMESTAMPTZ '2026-01-01 10:00+00'),"
                + " (1.0, '2026-01-01 09:00+00'), (3.0, '2026-01-01 11:00+00')) x(v, t)")).containsExactly("1 3");
    }

    @Test
    void rollupsUseEligibleTradesOnlyAndRefreshIdempotently() throws SQLException {
        resetRollups();
        db.exec("SELECT ensure_partitions_for('websocket_data', '2026-01-05 15:00+00')");
        // 15:00:10 regular, 15:00:20 odd lot (volume only), 15:00:30 cancelled, 15:00:40 suspicious,
        // 15:00:50 regular; 15:01:05 regular; a quote that must be ignored
        db.exec("""
                INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, price,
                                            size, eligibility, flags, status) VALUES
                ('2026-01-05 15:00:10+00', 1, 'RLUP', 'trade', 'polygon', '4::1', now(), 10.0, 100, 31, 31, 0),
                ('2026-01-05 15:00:20+00', 2, 'RLUP', 'trade', 'polygon', '4::2', now(), 50.0, 10, 4, 4, 0),
                ('2026-01-05 15:00:30+00', 3, 'RLUP', 'trade', 'polygon', '4::3', now(), 99.0, 100, 31, 31, 2),
                ('2026-01-05 15:00:40+00', 4, 'RLUP', 'trade', 'polygon', '4::4', now(), 1.0, 100, 31, 287, 0),
                ('2026-01-05 15:00:50+00', 5, 'RLUP', 'trade', 'polygon', '4::5', now(), 12.0, 200, 31, 31, 0),
                ('2026-01-05 15:01:05+00', 6, 'RLUP', 'trade', 'polygon', '4::6', now(), 11.0, 100, 31, 31, 0)""");
        db.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, bid_price,"
                + " ask_price) VALUES ('2026-01-05 15:00:15+00', 7, 'RLUP', 'quote', 'polygon', '7', now(), 500, 501)");
        String minute = "SELECT to_char(bucket AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || open || ' ' || high || ' '"
                + " || low || ' ' || close || ' ' || volume || ' ' || round(vwap::numeric, 4) || ' ' || trade_count"
                + " FROM ohlcv_1m WHERE symbol = 'RLUP' ORDER BY bucket";
        List<String> expected = List.of("15:00 10 12 10 12 310 12.5806 3", "15:01 11 11 11 11 100 11.0000 1");
        assertThat(db.firstColumn(minute)).as("real-time view before any refresh").isEqualTo(expected);
        db.exec("CALL refresh_ohlcv_all('2026-01-05 14:00+00', '2026-01-05 16:00+00')");
        assertThat(db.firstColumn("SELECT count(*) FROM ohlcv_1m_mat WHERE symbol = 'RLUP'")).containsExactly("2");
        assertThat(db.firstColumn(minute)).as("materialized").isEqualTo(expected);
        db.exec("CALL refresh_ohlcv_all('2026-01-05 14:00+00', '2026-01-05 16:00+00')");
        assertThat(db.firstColumn(minute)).as("refresh twice").isEqualTo(expected);
        assertThat(db.firstColumn("SELECT open || ' ' || high || ' ' || low || ' ' || close || ' ' || volume || ' ' || trade_count"
                + " FROM ohlcv_1h WHERE symbol = 'RLUP'")).containsExactly("10 12 10 11 410 4");
        assertThat(db.firstColumn("SELECT volume || ' ' || trade_count FROM ohlcv_1d WHERE symbol = 'RLUP'"))
                .as("1d not closed, comes from the live part").containsExactly("410 4");
        // a cancel arrives: the refreshed bucket follows
        db.exec("UPDATE websocket_data SET status = 2 WHERE symbol = 'RLUP' AND event_id = '4::6'");
        db.exec("CALL refresh_ohlcv_all('2026-01-05 15:00+00', '2026-01-05 16:00+00')");
        assertThat(db.firstColumn(minute)).containsExactly("15:00 10 12 10 12 310 12.5806 3");
        assertThat(db.firstColumn("SELECT volume FROM ohlcv_5m WHERE symbol = 'RLUP'")).containsExactly("310");
    }

    @Test
    void aRefreshAboveTheWatermarkLeavesNoHoleBelowIt() throws SQLException {
        resetRollups();
        db.exec("SELECT ensure_partitions_for('websocket_data', '2026-01-07 10:00+00')");
        db.exec("""
                INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, price,
                                            size, eligibility) VALUES
                ('2026-01-07 10:00:10+00', 1, 'HOLE', 'trade', 'alpaca', 'V::1', now(), 5.0, 10, 31),
                ('2026-01-07 10:05:10+00', 2, 'HOLE', 'trade', 'alpaca', 'V::2', now(), 6.0, 10, 31),
                ('2026-01-07 10:40:10+00', 3, 'HOLE', 'trade', 'alpaca', 'V::3', now(), 7.0, 10, 31)""");
        db.exec("CALL refresh_ohlcv('1m', '2026-01-07 10:00+00', '2026-01-07 10:01+00')");
        db.exec("CALL refresh_ohlcv('1m', '2026-01-07 10:30+00', '2026-01-07 10:45+00')");
        assertThat(db.firstColumn("SELECT count(*) FROM ohlcv_1m_mat WHERE symbol = 'HOLE'")).containsExactly("3");
        assertThat(db.firstColumn("SELECT string_agg(close::text, ' ' ORDER BY bucket) FROM ohlcv_1m WHERE symbol = 'HOLE'"))
                .containsExactly("5 6 7");
    }

    @Test
    void stagingCopyThenInsertOnConflictIsIdempotent() throws SQLException {
        db.exec("SELECT ensure_partitions_for('websocket_data', '2026-02-02 10:00+00')");
        String csv = """
                2026-02-02 10:00:00.000001+00,1770026400000001000,STG,trade,alpaca,V::7,2026-02-02 10:00:00.1+00,10.5,100
                2026-02-02 10:00:00.000002+00,1770026400000002000,STG,trade,alpaca,V::8,2026-02-02 10:00:00.1+00,10.6,200
                2026-02-02 10:00:00.000002+00,1770026400000002000,STG,trade,alpaca,V::8,2026-02-02 10:00:00.1+00,10.6,200
                """;
        try (Connection c = db.connect()) {
            for (int round = 0; round < 2; round++) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS ws_stage (LIKE websocket_data_stage INCLUDING DEFAULTS)"
                            + " ON COMMIT DELETE ROWS");
                }
                c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                        "COPY ws_stage (time, event_ns, symbol, data_type, source, event_id, received_at, price, size)"
                                + " FROM STDIN (FORMAT csv)", new java.io.StringReader(csv));
                try (Statement s = c.createStatement()) {
                    int inserted = s.executeUpdate("INSERT INTO websocket_data SELECT * FROM ws_stage"
                            + " ON CONFLICT DO NOTHING");
                    assertThat(inserted).isEqualTo(round == 0 ? 2 : 0);
                }
                c.commit();
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(db.firstColumn("SELECT count(*) FROM websocket_data WHERE symbol = 'STG'")).containsExactly("2");
    }

    @Test
    void revisedBarsUpsertOnTheirKey() throws SQLException {
        db.exec("SELECT ensure_partitions_for('market_data', '2026-02-03 10:00+00')");
        String upsert = "INSERT INTO market_data (time, end_time, symbol, timeframe, source, origin, open, high, low,"
                + " close, volume, received_at) VALUES ('2026-02-03 10:00+00', '2026-02-03 10:01+00', 'BAR', '1m',"
                + " 'alpaca', 'alpaca', 1, 2, 1, %s, %s, now()) ON CONFLICT ON CONSTRAINT market_data_uq DO UPDATE"
                + " SET close = EXCLUDED.close, volume = EXCLUDED.volume";
        db.exec(upsert.formatted("1.5", "100"));
        db.exec(upsert.formatted("1.7", "120"));
        assertThat(db.firstColumn("SELECT close || ' ' || volume FROM market_data WHERE symbol = 'BAR'")).containsExactly("1.7 120");
    }

    /** Rows inserted into a table never analyzed (autovacuum may be off) show in the estimate, not as ~0. */
    @Test
    void statusRowEstimatesFollowInsertsWithoutAnalyze() throws Exception {
        try (TestDatabase fresh = TestDatabase.create()) {
            MigrationRunner.migrate(fresh.database());
            fresh.exec("SELECT ensure_partitions_for('websocket_data', now())");
            fresh.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at)"
                    + " SELECT now(), g, 'EST', 'quote', 'polygon', 'q' || g, now() FROM generate_series(1, 1234) g");
            // the inserting session's statistics reach the others when it ends (or within a second)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> StorageStatus.read(fresh.database()).render()
                            .matches("(?s).*websocket_data +\\d+ partitions +~1234 rows.*"));
            assertThat(fresh.rows("SELECT count(*) FROM pg_stat_user_tables WHERE relname LIKE 'websocket_data_p%'"
                    + " AND last_analyze IS NULL AND last_autoanalyze IS NULL AND n_live_tup = 1234")).containsExactly("1");
        }
    }

    @Test
    void statusShowsModeVersionPartitionsAndRollups() {
        String out = StorageStatus.read(db.database()).render();
        assertThat(out).contains("mode:        postgresql", "schema:      version 10, up to date", "websocket_data",
                "market_data", "quarantine", "gap_ledger", "ohlcv_1m: materialized to", "none on the server");
        assertThat(out).containsPattern("websocket_data +\\d+ partitions");
        assertThat(out).containsPattern("quarantine +kept 30 days +~\\d+ rows");
    }

    /** Roll-up tests share the per-level watermarks: each starts from none materialized. */
    private static void resetRollups() throws SQLException {
        db.exec("DELETE FROM rollup_watermark; TRUNCATE ohlcv_1m_mat, ohlcv_5m_mat, ohlcv_15m_mat, ohlcv_1h_mat, ohlcv_1d_mat");
    }

}
