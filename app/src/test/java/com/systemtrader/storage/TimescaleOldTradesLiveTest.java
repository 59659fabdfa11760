package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.sip.Eligibility;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real TimescaleDB, <b>with its own jobs running</b> (not paused): trades stored through the writer after the
 * continuous aggregates were first refreshed, three hours and two days old (older than the 1-minute policy's 2-hour
 * window and than a day), reach every {@code ohlcv_*} through the {@link RollupRefresher}. Runs when
 * SYSTEM_TRADER_TIMESCALEDB_URL is set ({@link TimescaleTestDatabase}).
 */
class TimescaleOldTradesLiveTest {
    private static final long S = 1_000_000_000L;

    @TempDir Path dir;

    @Test void oldTradesReachEveryContinuousAggregate() throws Exception {
        try (TimescaleTestDatabase server = TimescaleTestDatabase.create("PostgreSQL mode runs the same in "
                + "StorageCorrectionTest")) {
            Database db = server.db;
            assertThat(MigrationRunner.migrate(db).mode()).isEqualTo(StorageMode.TIMESCALEDB);
            long now = com.systemtrader.codec.Timestamps.nowNs();
            long hours3 = Math.floorDiv(now - 3 * 3600 * S, 3600 * S) * 3600 * S;
            long days2 = Math.floorDiv(now - 2 * 86_400 * S, 86_400 * S) * 86_400 * S;
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                // a first trade now and every aggregate refreshed once: their watermarks are past the old trades
                s.execute("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at,"
                        + " price, size, eligibility) VALUES (now() - interval '10 minutes', 1, 'OLDT', 'trade',"
                        + " 'alpaca', 'V::0', now(), 60, 1, 28)");
                for (MaintenanceRollups.Level l : MaintenanceRollups.LEVELS) {
                    s.execute("CALL refresh_continuous_aggregate('" + l.view() + "', NULL, now() - interval '"
                            + l.endOffset().toSeconds() + " seconds')");
                }
            }
            try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
                 RollupRefresher r = new RollupRefresher(db::connect,
                         RollupRefresher.Settings.defaults().withInterval(Duration.ofMillis(200)), new SimpleMeterRegistry());
                 StorageWriter w = new StorageWriter(db::connect, j, StorageWriterConfig.defaults().withBatchRows(100)
                         .withMaxAge(Duration.ofMillis(20)), new SimpleMeterRegistry(), r).start()) {
                r.start();
                List<MarketEvent> old = List.of(trade("h1", hours3 + S, 50, 10), trade("h2", hours3 + 30 * S, 52, 20),
                        trade("d1", days2 + S, 40, 5), trade("d2", days2 + 59 * S, 41, 7));
                int[] flags = new int[old.size()];
                Arrays.fill(flags, Eligibility.ALL);
                w.add(old, flags);
                await().atMost(Duration.ofSeconds(60)).until(() -> w.rowsWritten() == 4);
                for (MaintenanceRollups.Level l : MaintenanceRollups.LEVELS) {
                    for (long[] bucket : new long[][] {{hours3, 30}, {days2, 12}}) {
                        long w0 = l.width().toNanos();
                        long start = Math.floorDiv(bucket[0], w0) * w0;
                        if (start + w0 > now - 600 * S) continue;   // today's day bucket holds the first trade too
                        String expected = bucket[0] == hours3 ? "50 52 30 2" : "40 41 12 2";
                        String sql = "SELECT open || ' ' || close || ' ' || volume || ' ' || trade_count FROM "
                                + l.view() + " WHERE symbol = 'OLDT' AND bucket = to_timestamp(" + start / S + ")";
                        await(l.view() + " at " + start).atMost(Duration.ofSeconds(120))
                                .pollInterval(Duration.ofMillis(200)).until(() -> rows(db, sql), v -> v.equals(List.of(expected)));
                    }
                }
                // a policy job refreshing an overlapping window at the same moment makes our refresh fail (2.28:
                // overlapping refreshes of one aggregate do not run concurrently); it is retried, so nothing is left
                await("pending roll-up ranges").atMost(Duration.ofSeconds(60)).until(r::idle);
                assertThat(r.discarded()).as("ranges discarded").isZero();
            }
        }
    }

    private static Trade trade(String id, long atNs, double price, long size) {
        return new Trade(DataSource.ALPACA, "OLDT", atNs, atNs + 1000, price, size, 'V', id, 'C', Absent.LONG,
                Absent.INT, Absent.LONG, Conditions.ofLetters("@"));
    }

    private static List<String> rows(Database db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) out.add(r.getString(1));
        }
        return out;
    }
}
