package com.systemtrader.storage;

import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.sip.Eligibility;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alpaca corrections and cancels applied to stored trades on a real PostgreSQL; their minutes handed to the
 * {@link RollupRefresher}, which recomputes the materialized roll-ups off the write path.
 */
class StorageCorrectionTest {
    /** 2024-11-19T07:06:00Z: the start of a minute on an old day. */
    private static final long M = 1_731_999_960_000_000_000L;
    private static final long S = 1_000_000_000L;
    private static final int EXCHANGE = 'V';
    private static final String CLOSED_PORT = "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1";
    private static TestDatabase db;

    @TempDir Path dir;
    private final AtomicReference<String> url = new AtomicReference<>();

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
        url.set(db.url);
        db.exec("TRUNCATE websocket_data, market_data, ohlcv_1m_mat, ohlcv_5m_mat, ohlcv_15m_mat, ohlcv_1h_mat, ohlcv_1d_mat,"
                + " rollup_watermark");
    }

    private StorageWriter writer(SpillJournal journal) {
        return writer(journal, DirtyRollups.NONE);
    }

    private StorageWriter writer(SpillJournal journal, DirtyRollups dirty) {
        return new StorageWriter(() -> java.sql.DriverManager.getConnection(url.get(), "postgres", ""), journal,
                StorageWriterConfig.defaults().withBatchRows(1000).withMaxAge(Duration.ofMillis(20))
                        .withRetry(Duration.ofMillis(20), Duration.ofMillis(100)),
                new SimpleMeterRegistry(), dirty).start();
    }

    private static RollupRefresher refresher() {
        return new RollupRefresher(() -> java.sql.DriverManager.getConnection(db.url, "postgres", ""),
                RollupRefresher.Settings.defaults().withInterval(Duration.ofMillis(50)), new SimpleMeterRegistry());
    }

    /** The corrections, cancels and a late trade of the first test, an hour after the minute M. */
    private static List<MarketEvent> fixes() {
        long later = M + 3600 * S;
        return List.of(cancel("2", 'C', later), correction("3", "3b", 97.5, 30, later),
                cancel("4", 'E', later), trade("5", M + 30 * S, 102, 20),
                correction("5", "5b", 103, 25, later), cancel("404", 'C', later));
    }

    private void storeAndMaterialize(StorageWriter w) throws Exception {
        w.add(List.of(trade("1", M + S, 100, 100), trade("2", M + 10 * S, 110, 200), trade("3", M + 20 * S, 95, 300),
                trade("4", M + 40 * S, 101, 50), trade("9", M + 50 * S, 104, 10)), eligible(5));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.rowsWritten() == 5);
        db.exec("CALL refresh_ohlcv_all('2024-11-19 07:00:00+00', '2024-11-19 08:00:00+00')"); // materialize
        assertThat(bar("ohlcv_1m_mat")).isEqualTo("100.0 110.0 95.0 104.0 660 5");
    }

    private static Trade trade(String id, long atNs, double price, long size) {
        return new Trade(DataSource.ALPACA, "CRX", atNs, atNs + 1000, price, size, EXCHANGE, id, 'C', Absent.LONG,
                Absent.INT, Absent.LONG, Conditions.ofLetters("@"));
    }

    private static TradeCancel cancel(String id, char action, long atNs) {
        return new TradeCancel(DataSource.ALPACA, "CRX", atNs, atNs, EXCHANGE, id, 0, 0, action, 'C');
    }

    private static TradeCorrection correction(String id, String newId, double price, long size, long atNs) {
        return new TradeCorrection(DataSource.ALPACA, "CRX", atNs, atNs, EXCHANGE, id, 0, 0, Conditions.ofLetters("@"),
                newId, price, size, Conditions.ofLetters("@"), 'C');
    }

    private static int[] eligible(int n) {
        int[] f = new int[n];
        java.util.Arrays.fill(f, Eligibility.ALL);
        return f;
    }

    /**
     * Trades stored after the roll-ups were refreshed past them (a backfill, a replayed journal, a restart's
     * backfill of an older gap), three hours and two days old: older than the refresh policies' window and than a
     * day. The writer hands their minutes to the refresher, which recomputes those buckets of every level: each
     * {@code ohlcv_*} holds them with the trades' values.
     */
    @Test
    void tradesStoredAfterTheRefreshForOldTimesReachEveryLevel() throws Exception {
        long now = com.systemtrader.codec.Timestamps.nowNs();
        long hours3 = Math.floorDiv(now - 3 * 3600 * S, 3600 * S) * 3600 * S;     // an hour bucket's start
        long days2 = Math.floorDiv(now - 2 * 86_400 * S, 86_400 * S) * 86_400 * S; // a day bucket's start
        db.exec("SELECT ensure_partitions_for('websocket_data', to_timestamp(" + days2 / S + "))");
        db.exec("CALL refresh_ohlcv_all(now() - interval '4 days', now())");   // every level materialized up to now
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); RollupRefresher r = refresher();
             StorageWriter w = writer(j, r)) {
            r.start();
            List<MarketEvent> old = List.of(trade("h1", hours3 + S, 50, 10), trade("h2", hours3 + 30 * S, 52, 20),
                    trade("d1", days2 + S, 40, 5), trade("d2", days2 + 59 * S, 41, 7));
            w.add(old, eligible(old.size()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.rowsWritten() == 4);
            for (String level : List.of("1m", "5m", "15m", "1h", "1d")) {
                for (long[] bucket : new long[][] {{hours3, 30}, {days2, 12}}) {
                    String sql = "SELECT open || ' ' || close || ' ' || volume || ' ' || trade_count FROM ohlcv_" + level
                            + " WHERE symbol = 'CRX' AND source = 'alpaca' AND bucket = (SELECT tscompat.time_bucket(width,"
                            + " to_timestamp(" + bucket[0] / S + ")) FROM ohlcv_levels WHERE name = '" + level + "')";
                    String expected = bucket[0] == hours3 ? "50 52 30 2" : "40 41 12 2";
                    await("ohlcv_" + level + " at " + bucket[0]).atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> db.firstColumn(sql),
                                    rows -> rows.equals(List.of(expected)));
                }
            }
            assertThat(r.failures()).isZero();
        }
        assertThat(db.firstColumn("SELECT count(*) FROM rollup_watermark w JOIN ohlcv_levels l USING (name)"
                + " WHERE w.refreshed_to < now() - l.width - interval '1 minute'"))
                .as("the watermarks stayed up: the old buckets were recomputed below them").containsExactly("0");
    }

    @Test
    void cancelsAndCorrectionsChangeStoredTradesAndTheRefresherTheMaterializedRollups() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); RollupRefresher r = refresher();
             StorageWriter w = writer(j, r)) {
            r.start();
            storeAndMaterialize(w);

            // an hour later: the high is cancelled, the low corrected, an error busts one, and a trade arrives with
            // its own correction in the same batch; one cancel names a trade that was never stored
            List<MarketEvent> batch = fixes();
            w.add(batch, eligible(batch.size()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.correctionsApplied() == 4 && w.correctionsUnmatched() == 1);
            assertThat(w.correctionsDropped()).isZero();
            // the minute M at 1m, 5m, 15m and 1h (1d is not materialized: its day is not over in the window); the
            // refresher may also have recomputed M once for the first inserts' marks (when it took them after the
            // materialization), so the wait is on the outcome, not on a count
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> r.idle() && r.refreshes() >= 4 && "100.0 104.0 97.5 104.0 165 4".equals(quietBar()));
            assertThat(r.failures()).isZero();
        }
        assertThat(db.firstColumn("SELECT trade_id || ' ' || status || ' ' || price || ' ' || size || ' '"
                + " || (status_at IS NOT NULL) FROM websocket_data ORDER BY time")).containsExactly(
                "1 0 100 100 false", "2 2 110 200 true", "3b 1 97.5 30 true", "5b 1 103 25 true", "4 3 101 50 true",
                "9 0 104 10 false");
        int expectedBits = TradeEligibility.standard().letters(Conditions.ofLetters("@"), 'C', M + 20 * S);
        assertThat(db.firstColumn("SELECT eligibility || ' ' || flags FROM websocket_data WHERE trade_id = '3b'"))
                .containsExactly(expectedBits + " " + expectedBits);

        String fromTrades = barFromStoredTrades();
        assertThat(fromTrades).isEqualTo("100.0 104.0 97.5 104.0 165 4");
        assertThat(bar("ohlcv_1m_mat")).isEqualTo(fromTrades); // refreshed by the refresher, not by the test
        assertThat(bar("ohlcv_1m")).isEqualTo(fromTrades);
        RollupRefresherTest.assertRollupsMatchTheTrades(db);
    }

    /**
     * The write path hands the changed minutes over and refreshes nothing itself: with no refresher behind it, the
     * materialized minute keeps its old bar after the corrections committed, and the marks name exactly minute M.
     */
    @Test
    void theWriterMarksTheChangedMinutesAndRefreshesNothingInItsTransaction() throws Exception {
        java.util.concurrent.ConcurrentLinkedQueue<String> marks = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, (from, to) -> marks.add(from + ".." + to))) {
            storeAndMaterialize(w);
            assertThat(marks).containsOnly(M / S + ".." + (M / S + 60));   // the written trades' minute
            marks.clear();
            String watermarks = String.join(",", db.firstColumn("SELECT name || refreshed_to || refreshed_at"
                    + " FROM rollup_watermark ORDER BY name"));
            List<MarketEvent> batch = fixes();
            w.add(batch, eligible(batch.size()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.correctionsApplied() == 4 && w.correctionsUnmatched() == 1);
            // the late trade's minute and the corrected trades' minute: both M
            assertThat(marks).containsOnly(M / S + ".." + (M / S + 60));
            assertThat(bar("ohlcv_1m_mat")).isEqualTo("100.0 110.0 95.0 104.0 660 5");   // untouched
            assertThat(String.join(",", db.firstColumn("SELECT name || refreshed_to || refreshed_at"
                    + " FROM rollup_watermark ORDER BY name"))).isEqualTo(watermarks);   // no refresh_ohlcv ran
        }
        assertThat(barFromStoredTrades()).isEqualTo("100.0 104.0 97.5 104.0 165 4");
    }

    /**
     * A trade written after its minute was materialized (late, replayed from the journal, backfilled) and changed by
     * nothing else: the writer's mark makes the refresher recompute the minute at every level below the watermark.
     */
    @Test
    void aLateTradeBelowTheWatermarkReachesTheMaterializedRollups() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); RollupRefresher r = refresher();
             StorageWriter w = writer(j, r)) {
            r.start();
            storeAndMaterialize(w);
            w.add(List.of(trade("6", M + 55 * S, 120, 7)), eligible(1));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.rowsWritten() == 6);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> r.idle() && "100.0 120.0 95.0 120.0 667 6".equals(quietBar()));
            assertThat(r.failures()).isZero();
        }
        assertThat(barFromStoredTrades()).isEqualTo("100.0 120.0 95.0 120.0 667 6");
        RollupRefresherTest.assertRollupsMatchTheTrades(db);
    }

    /** {@link #bar} of {@code ohlcv_1m_mat} for a wait: null while the row is absent or the query fails. */
    private static String quietBar() {
        try {
            List<String> r = db.firstColumn(barSql("ohlcv_1m_mat"));
            return r.size() == 1 ? normalize(r.getFirst()) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    @Test
    void aCancelBeforeItsTradeIsCountedKeptPendingAndAppliedLater() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); StorageWriter w = writer(j)) {
            w.add(List.of(cancel("7", 'C', M + 5 * S)));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.correctionsUnmatched() == 1);
            assertThat(w.correctionsApplied()).isZero();
            w.add(List.of(trade("7", M + 2 * S, 50, 10), trade("8", M + 3 * S, 51, 10)), eligible(2));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.rowsWritten() == 2 && w.correctionsApplied() == 1);
        }
        assertThat(db.firstColumn("SELECT trade_id || ' ' || status FROM websocket_data ORDER BY time"))
                .containsExactly("7 2", "8 0");
    }

    @Test
    void correctionsAndCancelsAreJournaledAndReplayed() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults()); StorageWriter w = writer(j)) {
            url.set(CLOSED_PORT); // the database is away: trades and their fixes go to the journal
            w.add(List.of(trade("1", M + S, 100, 100), trade("2", M + 2 * S, 101, 100)), eligible(2));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 1);
            w.add(List.of(cancel("1", 'C', M + 60 * S), correction("2", "2b", 99, 7, M + 60 * S)));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 2);
            assertThat(w.correctionsApplied() + w.correctionsUnmatched()).isZero();
            url.set(db.url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> j.batchesPending() == 0 && w.correctionsApplied() == 2);
        }
        assertThat(db.firstColumn("SELECT trade_id || ' ' || status || ' ' || price FROM websocket_data ORDER BY time"))
                .containsExactly("1 2 100", "2b 1 99");
    }

    /** open high low close volume trade_count of CRX's minute M in {@code relation}. */
    private static String barSql(String relation) {
        return "SELECT open || ' ' || high || ' ' || low || ' ' || close || ' ' || volume || ' ' || trade_count FROM "
                + relation + " WHERE symbol = 'CRX' AND bucket = to_timestamp(" + M / S + ")";
    }

    private static String bar(String relation) throws SQLException {
        List<String> r = db.firstColumn(barSql(relation));
        assertThat(r).hasSize(1);
        return normalize(r.getFirst());
    }

    /** The minute bar computed here from the stored trades that count (status 0/1, not suspicious), by their bits. */
    private static String barFromStoredTrades() throws SQLException {
        double open = Double.NaN, close = Double.NaN, high = Double.NEGATIVE_INFINITY, low = Double.POSITIVE_INFINITY;
        long volume = 0, count = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT price, size, eligibility, status, flags FROM websocket_data"
                     + " WHERE symbol = 'CRX' AND data_type = 'trade' ORDER BY time")) {
            while (rs.next()) {
                double p = rs.getDouble(1);
                long size = rs.getLong(2);
                int bits = rs.getInt(3);
                int status = rs.getInt(4);
                if (status > 1 || (rs.getInt(5) & Flags.SUSPICIOUS) != 0) continue;
                if (Eligibility.updatesBarOpenClose(bits)) {
                    if (Double.isNaN(open)) open = p;
                    close = p;
                }
                if (Eligibility.updatesBarHighLow(bits)) {
                    high = Math.max(high, p);
                    low = Math.min(low, p);
                }
                if (Eligibility.updatesVolume(bits)) {
                    volume += size;
                    count++;
                }
            }
        }
        return String.format(Locale.ROOT, "%s %s %s %s %d %d", open, high, low, close, volume, count);
    }

    /** Doubles as Java prints them, so that SQL text and the computed bar compare. */
    private static String normalize(String row) {
        String[] p = row.split(" ");
        return String.format(Locale.ROOT, "%s %s %s %s %s %s", Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                Double.parseDouble(p[2]), Double.parseDouble(p[3]), p[4], p[5]);
    }

}
