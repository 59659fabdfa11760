package com.systemtrader.storage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link RollupRefresher}: its coalescing, bounded pending set (no database), and on a real PostgreSQL its
 * refreshes racing the maintenance scheduler's roll-up task over the same buckets.
 */
class RollupRefresherTest {
    private static final long T0 = 1_700_000_040L;   // 2023-11-14T22:14:00Z, a minute start
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        db.exec("TRUNCATE websocket_data, ohlcv_1m_mat, ohlcv_5m_mat, ohlcv_15m_mat, ohlcv_1h_mat, ohlcv_1d_mat,"
                + " rollup_watermark");
    }

    private static RollupRefresher refresher(RollupRefresher.Settings settings) {
        return new RollupRefresher(() -> DriverManager.getConnection(db.url, "postgres", ""), settings,
                new SimpleMeterRegistry());
    }

    @Test
    void theSameMinuteTwiceIsOneEntryAndRangesMerge() {
        try (RollupRefresher r = refresher(RollupRefresher.Settings.defaults())) {   // never started
            r.markMinute(T0 + 5);
            r.markMinute(T0 + 59);
            r.markDirty(T0, T0 + 60);
            assertThat(r.pending()).isEqualTo(1);
            assertThat(r.coalesced()).isEqualTo(2);
            r.markMinute(T0 + 60);
            r.markMinute(T0 + 600);
            assertThat(r.pendingRanges()).containsExactly(new long[] {T0, T0 + 120}, new long[] {T0 + 600, T0 + 660});
            assertThat(r.widened()).isZero();
        }
    }

    @Test
    void aFullSetWidensToOneSpanAndNeverLosesARange() {
        try (RollupRefresher r = refresher(RollupRefresher.Settings.defaults().withCapacity(3))) {
            r.markMinute(T0 + 600);
            r.markMinute(T0);
            r.markMinute(T0 + 1200);
            assertThat(r.pending()).isEqualTo(3);
            r.markMinute(T0 + 300);   // the fourth: everything folds into [min, max)
            assertThat(r.widened()).isEqualTo(1);
            assertThat(r.pendingRanges()).containsExactly(new long[] {T0, T0 + 1260});
            r.markMinute(T0 + 900);   // inside the span
            assertThat(r.coalesced()).isEqualTo(1);
            r.markMinute(T0 + 3600);  // outside: a minute of its own again
            r.markDirty(T0 - 7200, T0 - 7200 + 4 * 60);   // four minutes do not fit: the span stretches
            assertThat(r.pendingRanges()).containsExactly(new long[] {T0 - 7200, T0 + 3660});
            assertThat(r.widened()).isEqualTo(2);
            assertThat(r.pending()).isEqualTo(1);
        }
    }

    @Test
    void aFailedCycleKeepsItsRangesPendingAndCountsTheFailure() throws Exception {
        try (RollupRefresher r = new RollupRefresher(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "postgres", ""),
                RollupRefresher.Settings.defaults().withInterval(Duration.ofHours(1)), new SimpleMeterRegistry())) {
            r.start();
            r.markMinute(T0);
            r.markMinute(T0 + 120);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> r.failures() == 1 && r.idle() == false && r.pending() == 2);
            assertThat(r.pendingRanges()).containsExactly(new long[] {T0, T0 + 60}, new long[] {T0 + 120, T0 + 180});
            assertThat(r.cycles()).isEqualTo(1);   // the next try waits for the interval
        }
    }

    @Test
    void aDatabaseWithoutPostgresqlModeRollupsGetsNothing() throws Exception {
        try (TestDatabase empty = TestDatabase.create();
             RollupRefresher r = new RollupRefresher(() -> DriverManager.getConnection(empty.url, "postgres", ""),
                     RollupRefresher.Settings.defaults().withInterval(Duration.ZERO), new SimpleMeterRegistry())) {
            r.start();
            r.markDirty(T0, T0 + 600);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> r.idle() && r.discarded() == 1);
            assertThat(r.failures()).isZero();
            assertThat(r.refreshes()).isZero();
        }
    }

    /**
     * The refresher and the maintenance's roll-up task refresh the same materialized buckets at the same time, many
     * times. Before refresh_ohlcv took its per-level advisory lock this failed with duplicate key ...
     * ohlcv_1m_mat_pkey (23505) on one side or the other.
     */
    @Test
    void theRefresherAndTheMaintenanceNeverRaceAndAgreeWithTheTrades() throws Exception {
        String minute = "date_trunc('minute', '" + db.rows("SELECT now()::text").getFirst() + "'::timestamptz)";
        db.exec("SELECT ensure_partitions_for('websocket_data', " + minute + " - interval '1 day')");
        db.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, price,"
                + " size, eligibility, flags) SELECT t, (extract(epoch FROM t) * 1e9)::bigint, s, 'trade', 'alpaca',"
                + " 'V::' || g, t, 100 + g % 17 + length(s), 1 + g % 9, 28, 28"
                + " FROM generate_series(1, 3000) g, unnest(ARRAY['AAA', 'BB', 'C']) s,"
                + " LATERAL (SELECT " + minute + " - interval '100 minutes' + g * interval '1.2 seconds' AS t) x");
        long from = Long.parseLong(db.rows("SELECT extract(epoch FROM " + minute + " - interval '100 minutes')::bigint")
                .getFirst());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<MaintenanceRun> runs = new ArrayList<>();
        try (MaintenanceScheduler maintenance = new MaintenanceScheduler(db.database(), MaintenanceConfig.defaults(),
                registry);
             RollupRefresher refresher = refresher(RollupRefresher.Settings.defaults().withInterval(Duration.ZERO))) {
            runs.add(maintenance.run(MaintenanceTask.ROLLUPS));   // materializes every level
            refresher.start();
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Thread marker = Thread.ofPlatform().name("marker").start(() -> {
                try {
                    for (int i = 0; !done.get(); i++) {
                        long cycles = refresher.cycles();   // before the mark: a cycle may take it at once
                        refresher.markDirty(from + (i % 7) * 60, from + 3600);   // the same buckets as the task
                        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                                .until(() -> refresher.idle() && refresher.cycles() > cycles);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            });
            try {
                // at least 40 runs, and on until the refresher has cycled often enough among them
                for (int i = 0; i < 40 || refresher.cycles() <= 10; i++) runs.add(maintenance.run(MaintenanceTask.ROLLUPS));
            } finally {
                done.set(true);
                marker.join();
            }
            assertThat(errors).isEmpty();
            assertThat(runs).allSatisfy(r -> assertThat(r.outcome().failed()).as(r.outcome().detail()).isFalse());
            assertThat(refresher.failures()).isZero();
            assertThat(refresher.cycles()).isGreaterThan(10);
            assertThat(refresher.refreshes()).isGreaterThan(100);

            // a last change: a cancel straight in the table, then the refresher alone
            db.exec("UPDATE websocket_data SET status = 2 WHERE event_id = 'V::1500'");
            long cycles = refresher.cycles();
            refresher.markDirty(from + 1800, from + 1801);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> refresher.idle() && refresher.cycles() > cycles);
            assertThat(refresher.failures()).isZero();
        }
        assertRollupsMatchTheTrades(db);
    }

    /**
     * Every materialized bucket of every level (below its watermark) equals the bar computed here straight from the
     * raw trades at that level's width, and no bucket with trades is missing below the watermark.
     */
    static void assertRollupsMatchTheTrades(TestDatabase db) throws SQLException {
        for (String level : db.firstColumn("SELECT name FROM ohlcv_levels ORDER BY position")) {
            String expected = "SELECT tscompat.time_bucket(l.width, time) AS bucket, source, symbol,"
                    + " tscompat.first(price, time) FILTER (WHERE eligibility & 8 <> 0) AS open,"
                    + " max(price) FILTER (WHERE eligibility & 16 <> 0) AS high,"
                    + " min(price) FILTER (WHERE eligibility & 16 <> 0) AS low,"
                    + " tscompat.last(price, time) FILTER (WHERE eligibility & 8 <> 0) AS close,"
                    + " COALESCE(sum(size) FILTER (WHERE eligibility & 4 <> 0), 0)::bigint AS volume,"
                    + " round(sum(price * size) FILTER (WHERE eligibility & 4 <> 0)::numeric, 6) AS notional,"
                    + " count(*) FILTER (WHERE eligibility & 4 <> 0) AS trade_count"
                    + " FROM websocket_data, ohlcv_levels l WHERE l.name = '" + level + "' AND data_type = 'trade'"
                    + " AND status IN (0, 1) AND flags & 256 = 0 AND eligibility & 28 <> 0"
                    + " GROUP BY 1, 2, 3, l.width HAVING tscompat.time_bucket(l.width, time) + l.width"
                    + " <= ohlcv_watermark('" + level + "')";
            String actual = "SELECT bucket, source, symbol, open, high, low, close, volume,"
                    + " round(notional::numeric, 6), trade_count FROM ohlcv_" + level + "_mat";
            List<String> diff = db.rows("(" + expected + " EXCEPT " + actual + ") UNION ALL (" + actual + " EXCEPT "
                    + expected + ")");
            assertThat(diff).as("level %s: rows only on one side", level).isEmpty();
        }
        assertThat(db.firstColumn("SELECT count(*) FROM ohlcv_1m_mat")).isNotEqualTo(List.of("0"));
    }
}
