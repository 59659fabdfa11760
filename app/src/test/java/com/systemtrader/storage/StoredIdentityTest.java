package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identities on a real PostgreSQL, through the {@link StorageWriter} (fast COPY path and staging path): events without
 * a provider id that share a nanosecond are each stored once, a replay of them inserts nothing, the {@code event_id}
 * written in place by the writer is {@link EventIds}'s, and the cleaner's flagged quotes (crossed, locked, one-sided,
 * empty) are stored with their flags rather than swallowed by the key of the quote they were derived from.
 */
class StoredIdentityTest {
    /** 2024-11-19T07:06:40.123456789Z. */
    private static final long T = 1_732_000_000_123_456_789L;
    private static TestDatabase db;

    @TempDir Path dir;

    @BeforeAll static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll static void drop() {
        if (db != null) db.close();
    }

    @BeforeEach void clean() throws SQLException {
        db.exec("TRUNCATE websocket_data");
    }

    @ParameterizedTest(name = "fast path {0}")
    @ValueSource(booleans = {true, false})
    void twentyDistinctQuotesOfOneNanosecondAreStoredOnceEachAndAReplayAddsNothing(boolean fastPath) throws Exception {
        List<Quote> quotes = new ArrayList<>();
        for (int k = 0; k < 20; k++) quotes.add(quote(189.45, 10 + k, 189.46, 5));
        write(fastPath, quotes, null);
        assertThat(db.firstColumn("SELECT event_id FROM websocket_data ORDER BY event_id"))
                .as("one row per quote, keyed as EventIds says")
                .containsExactlyElementsOf(quotes.stream().map(EventIds::quote).sorted().toList());

        write(fastPath, quotes, null);                  // a replay of the whole batch
        write(fastPath, quotes.subList(5, 12), null);   // a reconnect's overlap
        write(fastPath, List.of(copyOf(quotes.get(3))), null); // the same quote decoded again (other receive time)
        assertThat(count()).isEqualTo(20);
    }

    @Test void crossedLockedOneSidedAndEmptyQuotesOfTheSameNanosecondAreStoredWithTheirFlags() throws Exception {
        Quote normal = quote(189.45, 29, 189.46, 1);
        Quote crossed = quote(189.46, 1, 189.45, 29);   // bid and ask swapped, as the simulator injects it
        Quote locked = quote(189.46, 29, 189.46, 1);
        Quote noBid = quote(0, 0, 189.46, 1);
        Quote noAsk = quote(189.45, 29, 0, 0);
        Quote empty = quote(0, 0, 0, 0);
        List<Quote> quotes = List.of(normal, crossed, locked, noBid, noAsk, empty);
        DataCleaner cleaner = DataCleaner.withDefaults("alpaca", "v2/sip");
        int[] verdicts = new int[quotes.size()];
        for (int i = 0; i < verdicts.length; i++) {
            verdicts[i] = cleaner.clean(quotes.get(i), true);
            assertThat(Flags.kept(verdicts[i])).as("kept: %s", quotes.get(i)).isTrue();
        }

        write(true, quotes, verdicts);
        write(true, quotes, verdicts); // and once more: nothing new
        assertThat(db.rows("SELECT bid_price, ask_price, flags FROM websocket_data ORDER BY bid_price, ask_price"))
                .containsExactlyInAnyOrder(
                        "189.45 189.46 0",
                        "189.46 189.45 " + Flags.CROSSED,
                        "189.46 189.46 " + Flags.LOCKED,
                        "0 189.46 " + Flags.ONE_SIDED,
                        "189.45 0 " + Flags.ONE_SIDED,
                        "0 0 " + Flags.EMPTY_QUOTE);
    }

    @Test void tradesWithoutAnIdAreKeptApartByTheirContent() throws Exception {
        List<Trade> trades = List.of(trade("", 100), trade("", 200), trade(null, 300), trade("", 100));
        write(true, trades, null);
        write(false, trades, null);
        assertThat(db.firstColumn("SELECT size || ' ' || event_id FROM websocket_data ORDER BY size"))
                .containsExactly(trades.subList(0, 3).stream().map(t -> t.size() + " " + EventIds.trade(t)).toList()
                        .toArray(String[]::new));
        assertThat(trades.stream().map(EventIds::trade).collect(Collectors.toSet())).hasSize(3);
    }

    private void write(boolean fastPath, List<? extends MarketEvent> events, int[] verdicts) throws Exception {
        StorageWriterConfig config = StorageWriterConfig.defaults().withBatchRows(1000).withMaxAge(Duration.ofMillis(20))
                .withRetry(Duration.ofMillis(20), Duration.ofMillis(100)).withFastPath(fastPath);
        try (SpillJournal j = SpillJournal.open(dir.resolve("j" + System.nanoTime()), JournalConfig.defaults());
             StorageWriter w = new StorageWriter(() -> DriverManager.getConnection(db.url, "postgres", ""), j, config,
                     new SimpleMeterRegistry()).start()) {
            if (verdicts == null) w.add(events); else w.add(events, verdicts);
        } // close drains
    }

    private static long count() throws SQLException {
        return Long.parseLong(db.firstColumn("SELECT count(*) FROM websocket_data").get(0));
    }

    private static Quote quote(double bid, long bidSize, double ask, long askSize) {
        return new Quote(DataSource.ALPACA, "AAPL", T, T + 1_000_000, 'V', bid, bidSize, 'V', ask, askSize,
                Conditions.ofLetters("R"), Conditions.NONE, 'C', Absent.LONG);
    }

    private static Quote copyOf(Quote q) {
        return new Quote(q.source(), q.symbol(), q.eventTimeNs(), q.receiveTimeNs() + 77, q.bidExchange(), q.bidPrice(),
                q.bidSize(), q.askExchange(), q.askPrice(), q.askSize(), Conditions.ofLetters("R"), Conditions.NONE,
                q.tape(), q.sequence());
    }

    private static Trade trade(String id, long size) {
        return new Trade(DataSource.ALPACA, "AAPL", T, T + 1_000_000, 189.43, size, 'V', id, 'C', Absent.LONG,
                Absent.INT, Absent.LONG, Conditions.ofLetters("@"));
    }
}
