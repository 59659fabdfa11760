package com.systemtrader.storage;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** StorageWriter on a real PostgreSQL: rows arrive, replays add nothing, bars upsert, outages spill and recover. */
class StorageWriterTest {
    /** 2024-11-19T07:06:40.123456789Z: an old day, so its partitions are made on the first write. */
    private static final long T0 = 1_732_000_000_123_456_789L;
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
        db.exec("TRUNCATE websocket_data, market_data");
    }

    private StorageWriter writer(SpillJournal journal, StorageWriterConfig config) {
        return new StorageWriter(() -> DriverManager.getConnection(url.get(), "postgres", ""), journal, config,
                new SimpleMeterRegistry()).start();
    }

    /** Connections to the test database, refused to shard 1's thread ({@code storage-writer-1}) while {@code down}. */
    private static StorageWriter.ConnectionSource shardOneRefused(java.util.concurrent.atomic.AtomicBoolean down) {
        return () -> {
            if (down.get() && Thread.currentThread().getName().equals("storage-writer-1")) {
                throw new SQLException("connection refused (test)", "08001");
            }
            return DriverManager.getConnection(db.url, "postgres", "");
        };
    }

    private static StorageWriterConfig fast() {
        return StorageWriterConfig.defaults().withBatchRows(1000).withMaxAge(Duration.ofMillis(20))
                .withRetry(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    @Test
    void tradesQuotesAndBarsAreWrittenAndReadable() throws Exception {
        Quote quote = new Quote(DataSource.ALPACA, "SPY", T0, T0 + 1, 'V', 590.01, 3, 'V', 590.02, 7,
                Conditions.ofLetters("R"), Conditions.NONE, 'B', Absent.LONG);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            w.add(List.of(
                    new Trade(DataSource.POLYGON, "AAPL", T0, T0 + 5_000, 190.25, 100, 4, "52983525029461", 'C', 77,
                            202, T0 - 1_000, Conditions.of(12, 37)),
                    quote,
                    minuteBar("QQQ", 500.0)));
        }
        assertThat(db.firstColumn("SELECT symbol || ' ' || data_type || ' ' || source || ' ' || event_id || ' '"
                + " || coalesce(price::text, '-') || ' ' || coalesce(size::text, '-') || ' '"
                + " || coalesce(bid_price::text, '-') || ' ' || coalesce(ask_size::text, '-') || ' '"
                + " || coalesce(conditions::text, '-') || ' ' || coalesce(tape, '-') || ' '"
                + " || extract(epoch FROM time)::numeric(20, 6) || ' ' || event_ns"
                + " FROM websocket_data ORDER BY symbol")).containsExactly(
                "AAPL trade polygon 4:202:52983525029461 190.25 100 - - {12,37} C 1732000000.123456 " + T0,
                "SPY quote alpaca " + EventIds.quote(quote) + " - - 590.01 7 {82} B 1732000000.123456 " + T0);
        assertThat(EventIds.quote(quote)).as("no sequence: time and content").startsWith("t" + T0 + ":");
        assertThat(db.firstColumn("SELECT symbol || ' ' || timeframe || ' ' || source || ' ' || origin || ' ' || close"
                + " || ' ' || volume || ' ' || coalesce(trade_count::text, '-') FROM market_data"))
                .containsExactly("QQQ 1m alpaca alpaca 500 1000 42");
    }

    @Test
    void theSameBatchTwiceWritesNoDuplicates() throws Exception {
        List<Trade> batch = trades(0, 500);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            w.add(batch);
            w.add(batch);
            w.add(batch.subList(100, 200));
        }
        assertThat(count("websocket_data")).isEqualTo(500);
    }

    @Test
    void aRevisedBarReplacesTheStoredOne() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            w.add(List.of(minuteBar("QQQ", 500.0)));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.rowsWritten() == 1);
            w.add(List.of(minuteBar("QQQ", 501.0), minuteBar("QQQ", 502.5))); // two revisions in one batch
        }
        assertThat(db.firstColumn("SELECT close::text FROM market_data")).containsExactly("502.5");
    }

    @Test
    void anOutageSpillsToTheJournalAndEveryRowArrivesOnceAfterRecovery() throws Exception {
        url.set(CLOSED_PORT);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            for (int i = 0; i < 10; i++) w.add(trades(i * 300L, 300));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 2);
            assertThat(w.writeErrors()).isPositive();
            assertThat(count("websocket_data")).isZero();
            url.set(db.url);
            for (int i = 10; i < 20; i++) w.add(trades(i * 300L, 300));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> j.batchesPending() == 0 && w.batchesReplayed() >= 2);
            w.add(trades(5_000, 1_000)); // overlaps what was already written
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(w::idle);
            assertThat(w.eventsLost()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(6_000);
        assertThat(db.firstColumn("SELECT count(DISTINCT event_id)::text FROM websocket_data")).containsExactly("6000");
    }

    /** The hook of the bus consumer: called after the database commit, in order, never for a spilled batch. */
    @Test
    void theCommitCallbackRunsAfterTheDatabaseCommitInOrderAndNeverForASpilledBatch() throws Exception {
        List<String> called = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> rowsAtCall = java.util.Collections.synchronizedList(new ArrayList<>());
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            w.add(trades(0, 300), null, () -> {
                called.add("a");
                try {
                    rowsAtCall.add(count("websocket_data"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            w.add(trades(300, 300), null, () -> called.add("b"));
            w.add(List.of(), null, () -> called.add("empty")); // nothing to store: at once, on this thread
            assertThat(called).contains("empty");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> called.size() == 3);
            assertThat(called).containsSubsequence("a", "b");
            assertThat(rowsAtCall).allMatch(n -> n >= 300); // committed before the callback ran

            url.set(CLOSED_PORT); // and the writer's open connections are ended: its next write fails
            db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name
                    + "' AND pid <> pg_backend_pid()");
            w.add(trades(600, 300), null, () -> called.add("spilled"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 1);
            url.set(db.url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(w::idle);
            assertThat(called).doesNotContain("spilled");
        }
        assertThat(count("websocket_data")).isEqualTo(900);
    }

    @Test
    void aJournalLeftBehindIsReplayedAtStart() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults())) {
            j.append(trades(0, 200));
            j.append(List.of(minuteBar("IWM", 200.0)));
            j.append(List.of(minuteBar("IWM", 201.0)));
        }
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> j.batchesPending() == 0);
            assertThat(w.batchesReplayed()).isEqualTo(3);
        }
        assertThat(count("websocket_data")).isEqualTo(200);
        assertThat(db.firstColumn("SELECT close::text FROM market_data")).containsExactly("201");
    }

    @Test
    void storeFlagsFilterTradesAndQuotes() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withStore(false, true))) {
            List<MarketEvent> mixed = new ArrayList<>(trades(0, 10));
            mixed.add(new Quote(DataSource.POLYGON, "MSFT", T0, T0, 11, 410.01, 3, 12, 410.02, 7,
                    Conditions.of(1), Conditions.of(604), 'C', 9));
            w.add(mixed);
        }
        assertThat(db.firstColumn("SELECT data_type || ' ' || indicators::text FROM websocket_data"))
                .containsExactly("quote {604}");
    }

    @Test
    void aFullQueueSpillsToTheJournalAndNothingIsLost() throws Exception {
        url.set(CLOSED_PORT);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withQueueBatches(1).withRetry(Duration.ofMillis(200),
                     Duration.ofMillis(200)))) {
            for (int i = 0; i < 50; i++) w.add(trades(i * 20L, 20));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.spillEpisodes() > 0);
            url.set(db.url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(w::idle);
        }
        assertThat(count("websocket_data")).isEqualTo(1_000);
    }

    @Test
    void aFullJournalIsCountedAsLoss() throws Exception {
        url.set(CLOSED_PORT);
        JournalConfig tiny = JournalConfig.defaults().withSegmentBytes(4096).withDiskBudgetBytes(4096);
        try (SpillJournal j = SpillJournal.open(dir, tiny);
             StorageWriter w = writer(j, fast().withRetry(Duration.ofSeconds(5), Duration.ofSeconds(5)))) {
            w.add(trades(0, 2_000));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> w.eventsLost() > 0);
            assertThat(w.eventsLost()).isEqualTo(2_000);
        }
    }

    @Test
    void aBatchTheDatabaseRejectsIsDroppedLoudlyAndDoesNotBlockLaterOnes() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast())) {
            w.add(List.of(new Trade(DataSource.POLYGON, "BAD\0", T0, T0, 1, 1, 4, "1", 'C', 1, Absent.INT,
                    Absent.LONG, Conditions.NONE))); // text with NUL: SQLSTATE 22021 every time
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.eventsRejected() == 1);
            w.add(trades(0, 10));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.rowsWritten() == 10);
            assertThat(j.batchesPending()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(10);
    }

    /** Bad input loses nothing else: the part holding the bad event is bisected until the event is alone. */
    @Test
    void oneBadEventIsDroppedAloneAndTheRestOfItsBatchIsStoredInOrder() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withWriters(1).withBatchRows(1_000))) {
            List<Trade> batch = new ArrayList<>(trades(0, 300));
            batch.add(137, new Trade(DataSource.POLYGON, "AAPL", T0 + 137_500, T0, 1, 1, 4, "B\0D", 'C', 1, Absent.INT,
                    Absent.LONG, Conditions.NONE)); // a trade id with NUL: SQLSTATE 22021 every time
            w.add(batch);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.eventsRejected() == 1 && w.rowsWritten() == 300);
            assertThat(j.batchesPending()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(300);
        assertThat(db.firstColumn("SELECT count(DISTINCT trade_id)::text FROM websocket_data")).containsExactly("300");
    }

    @Test
    void measuresOneHundredThousandTrades() throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        List<List<Trade>> batches = new ArrayList<>();
        for (int b = 0; b < 100; b++) {
            List<Trade> batch = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                long n = b * 1000L + i;
                batch.add(new Trade(DataSource.POLYGON, "S" + (n % 50), now + n, now + n, 100 + (n % 100) * 0.01,
                        100, 4, Long.toString(n), 'C', n, Absent.INT, Absent.LONG, Conditions.of(12)));
            }
            batches.add(batch);
        }
        // warm-up on other rows, so the partition for today exists and the JIT has run once
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withBatchRows(10_000))) {
            w.add(trades(0, 10_000));
        }
        long start = System.nanoTime();
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withBatchRows(10_000).withMaxAge(Duration.ofMillis(200)))) {
            for (List<Trade> b : batches) w.add(b);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(count("websocket_data")).isEqualTo(110_000);
        System.out.printf("StorageWriter: 100000 trades in %.2f s = %.0f rows/s (defaults: 2 writers, direct binary COPY)%n",
                seconds, 100_000 / seconds);
    }

    @Test
    void theFastPathFallsBackWhenTheBatchRepeatsAKey() throws Exception {
        List<Trade> batch = new ArrayList<>(trades(0, 300));
        batch.add(batch.get(17)); // the same trade twice in one COPY: unique_violation, redone through staging
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withWriters(1))) {
            w.add(batch);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesWritten() == 1);
            assertThat(w.fastPathFallbacks()).isEqualTo(1);
            assertThat(w.eventsRejected()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(300);
    }

    @Test
    void theFastPathFallsBackOnRowsAlreadyStoredAndThenReturns() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withWriters(1))) {
            w.add(trades(0, 500));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesWritten() == 1);
            assertThat(w.fastPathFallbacks()).isZero();
            w.add(trades(250, 500)); // half stored already
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesWritten() == 2);
            assertThat(w.fastPathFallbacks()).isEqualTo(1);
            // the next batches go through staging for a while, then the fast path is tried again
            for (int i = 0; i < BatchWrite.SAFE_AFTER_FALLBACK + 2; i++) {
                long first = 1_000 + i * 100L;
                w.add(trades(first, 100));
                int expected = 3 + i;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> w.batchesWritten() == expected);
            }
            w.add(trades(0, 100)); // stored: falls back a second time, no error, nothing added
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesWritten() == BatchWrite.SAFE_AFTER_FALLBACK + 5);
            assertThat(w.fastPathFallbacks()).isEqualTo(2);
            assertThat(w.writeErrors()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(750 + (BatchWrite.SAFE_AFTER_FALLBACK + 2) * 100);
        assertThat(db.firstColumn("SELECT count(DISTINCT event_id)::text FROM websocket_data"))
                .containsExactly(Long.toString(750 + (BatchWrite.SAFE_AFTER_FALLBACK + 2) * 100));
    }

    @Test
    void theStagingPathAloneWritesNoDuplicates() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withFastPath(false))) {
            w.add(trades(0, 500));
            w.add(trades(0, 500));
            w.add(trades(400, 200));
            w.add(List.of(minuteBar("QQQ", 500.0)));
        }
        assertThat(count("websocket_data")).isEqualTo(600);
        assertThat(count("market_data")).isEqualTo(1);
    }

    @Test
    void shardedWritersWriteEveryRowOnceAndKeepEachSymbolsOrder() throws Exception {
        List<Trade> all = multiSymbolTrades(12_000, 23);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withWriters(3).withBatchRows(1_500))) {
            assertThat(w.writers()).isEqualTo(3);
            for (int i = 0; i < all.size(); i += 500) w.add(all.subList(i, i + 500));
            w.add(all.subList(3_000, 4_000)); // a re-send: nothing new
            w.add(List.of(minuteBar("QQQ", 500.0), minuteBar("SPY", 600.0), minuteBar("IWM", 200.0)));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.idle() && w.rowsWritten() >= 13_003);
            assertThat(w.eventsLost() + w.eventsRejected() + w.batchesSpilled()).isZero();
            // several connections really were used: more transactions than batches
            long transactions = Long.parseLong(db.firstColumn("SELECT count(DISTINCT xmin::text)::text FROM websocket_data")
                    .getFirst());
            assertThat(transactions).isGreaterThan(w.batchesWritten());
        }
        assertThat(count("websocket_data")).isEqualTo(12_000);
        assertThat(db.firstColumn("SELECT count(DISTINCT (symbol, event_id))::text FROM websocket_data"))
                .containsExactly("12000");
        assertThat(count("market_data")).isEqualTo(3);
        // per symbol, a later sequence number was never committed by an earlier transaction
        assertThat(db.firstColumn("SELECT count(*)::text FROM (SELECT xmin::text::bigint AS x, lag(xmin::text::bigint)"
                + " OVER (PARTITION BY symbol ORDER BY sequence) AS before FROM websocket_data) s WHERE x < before"))
                .containsExactly("0");
        // and each transaction holds the symbols of one shard only: hash(symbol) % writers chose the connection
        java.util.Map<String, java.util.Set<Integer>> shardsPerTransaction = new java.util.HashMap<>();
        for (String row : db.firstColumn("SELECT DISTINCT xmin::text || ' ' || symbol FROM websocket_data")) {
            String[] f = row.split(" ");
            shardsPerTransaction.computeIfAbsent(f[0], k -> new java.util.HashSet<>())
                    .add(StorageWriter.shardOf(f[1], 3));
        }
        assertThat(shardsPerTransaction.values()).allSatisfy(set -> assertThat(set).hasSize(1));
        assertThat(shardsPerTransaction.values().stream().flatMap(java.util.Set::stream).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void aShardThatFailsAloneWithTheJournalFullCountsOnlyItsOwnPartLost() throws Exception {
        StorageWriter.ConnectionSource source = shardOneRefused(new java.util.concurrent.atomic.AtomicBoolean(true));
        List<Trade> batch = multiSymbolTrades(900, 17); // one batch: fewer than batchRows
        long shardOne = batch.stream().filter(t -> StorageWriter.shardOf(t.symbol(), 2) == 1).count();
        assertThat(shardOne).isBetween(1L, 899L);
        JournalConfig tiny = JournalConfig.defaults().withSegmentBytes(4096).withDiskBudgetBytes(4096);
        try (SpillJournal j = SpillJournal.open(dir, tiny);
             StorageWriter w = new StorageWriter(source, j, fast().withWriters(2).withRetry(Duration.ofSeconds(5),
                     Duration.ofSeconds(5)), new SimpleMeterRegistry()).start()) {
            w.add(batch);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.eventsLost() > 0 && w.eventsInFlight() == 0);
            assertThat(w.eventsLost()).as("the part that did not commit").isEqualTo(shardOne);
        }
        assertThat(count("websocket_data")).as("the part that did").isEqualTo(900 - shardOne);
    }

    @Test
    void aShardThatFailsAloneJournalsOnlyItsPart() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean shardOneDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        StorageWriter.ConnectionSource source = shardOneRefused(shardOneDown);
        List<Trade> batch = multiSymbolTrades(900, 17); // one batch: fewer than batchRows
        long shardOne = batch.stream().filter(t -> StorageWriter.shardOf(t.symbol(), 2) == 1).count();
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = new StorageWriter(source, j, fast().withWriters(2), new SimpleMeterRegistry()).start()) {
            w.add(batch);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 1 && w.eventsInFlight() == 0);
            assertThat(count("websocket_data")).as("shard 0's part committed").isEqualTo(900 - shardOne);
            shardOneDown.set(false);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.idle() && w.batchesReplayed() >= 1);
            assertThat(w.eventsReplayed()).as("the replay held shard 1's part alone").isEqualTo(shardOne);
            assertThat(w.fastPathFallbacks()).as("so it met no stored row").isZero();
            assertThat(w.eventsLost() + w.eventsRejected()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(900);
    }

    @Test
    void aShardThatFailsAloneLosesNothingAndTheReplayWritesEachRowOnce() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean shardOneDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        StorageWriter.ConnectionSource source = shardOneRefused(shardOneDown);
        List<Trade> all = multiSymbolTrades(6_000, 17);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = new StorageWriter(source, j, fast().withWriters(2), new SimpleMeterRegistry()).start()) {
            for (int i = 0; i < 3_000; i += 500) w.add(all.subList(i, i + 500));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 1);
            assertThat(count("websocket_data")).isPositive().isLessThan(3_000); // shard 0's parts committed
            shardOneDown.set(false);
            for (int i = 3_000; i < 6_000; i += 500) w.add(all.subList(i, i + 500));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.idle() && w.batchesReplayed() >= 1
                            && w.rowsWritten() >= 6_000);
            assertThat(w.eventsLost() + w.eventsRejected()).isZero();
        }
        assertThat(count("websocket_data")).isEqualTo(6_000);
        assertThat(db.firstColumn("SELECT count(DISTINCT (symbol, event_id))::text FROM websocket_data"))
                .containsExactly("6000");
    }

    @Test
    void anOutageWithSeveralWritersSpillsAndRecoversExactlyOnce() throws Exception {
        url.set(CLOSED_PORT);
        List<Trade> all = multiSymbolTrades(8_000, 11);
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults());
             StorageWriter w = writer(j, fast().withWriters(3))) {
            for (int i = 0; i < 4_000; i += 400) w.add(all.subList(i, i + 400));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.batchesSpilled() >= 2);
            url.set(db.url);
            for (int i = 4_000; i < 8_000; i += 400) w.add(all.subList(i, i + 400));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.idle() && w.batchesReplayed() >= 2);
            w.add(all.subList(2_000, 5_000)); // overlaps what was already written
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(w::idle);
        }
        assertThat(count("websocket_data")).isEqualTo(8_000);
        assertThat(db.firstColumn("SELECT count(*)::text FROM (SELECT xmin::text::bigint AS x, lag(xmin::text::bigint)"
                + " OVER (PARTITION BY symbol ORDER BY sequence) AS before FROM websocket_data) s WHERE x < before"))
                .containsExactly("0");
    }

    @Test
    void aSymbolAlwaysMapsToOneShard() {
        for (String s : List.of("AAPL", "MSFT", "SPY", "QQQ", "BRK.B", "Ä")) {
            int shard = StorageWriter.shardOf(s, 3);
            assertThat(shard).isBetween(0, 2).isEqualTo(StorageWriter.shardOf(new String(s), 3));
        }
        assertThat(StorageWriter.shardOf("AAPL", 1)).isZero();
    }

    private static Bar minuteBar(String symbol, double close) {
        return new Bar(DataSource.ALPACA, symbol, BarInterval.MINUTE, T0 - 123_456_789L, T0 + 59_876_543_211L, T0,
                499.0, 503.0, 498.0, close, 1000, 500.5, 42, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    private static List<Trade> trades(long first, int n) {
        List<Trade> out = new ArrayList<>(n);
        for (long i = first; i < first + n; i++) {
            out.add(new Trade(DataSource.POLYGON, "AAPL", T0 + i * 1000, T0 + i * 1000 + 7, 190 + i * 0.01, 100, 4,
                    Long.toString(i), 'C', i, Absent.INT, Absent.LONG, Conditions.NONE));
        }
        return out;
    }

    /** Trades over {@code symbols} symbols, each symbol's sequence numbers counting up in event order. */
    private static List<Trade> multiSymbolTrades(int n, int symbols) {
        List<Trade> out = new ArrayList<>(n);
        long[] seq = new long[symbols];
        for (int i = 0; i < n; i++) {
            int s = (i * 7 + i / 13) % symbols;
            out.add(new Trade(DataSource.POLYGON, "SYM" + s, T0 + i * 1000L, T0 + i * 1000L + 7, 50 + s, 100,
                    4 + (i % 3), Long.toString(100_000 + i), 'C', ++seq[s], Absent.INT, Absent.LONG,
                    Conditions.of(12)));
        }
        return out;
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(db.firstColumn("SELECT count(*)::text FROM " + table).getFirst());
    }

}
