package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.clean.Flags;
import com.systemtrader.codec.RecordingHandler;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.alpaca.AlpacaDecoder;
import com.systemtrader.simulator.wire.AlpacaEncoder;
import com.systemtrader.provider.alpaca.AlpacaMsgpackDecoder;
import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.EventIds;
import com.systemtrader.storage.StorageSink;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.storage.StorageWriterConfig;
import com.systemtrader.storage.TestDatabase;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alpaca quotes carry no id. The simulator sends bursts of distinct quotes that share one nanosecond
 * ({@code Faults.sameTimeQuotes}), crossed, locked and one-sided quotes stamped with the time of the quote they
 * follow, and duplicates; the Alpaca collector (real socket, real decoder and cleaner) hands them through the
 * {@link StorageSink} to the {@link StorageWriter} on a real PostgreSQL. Afterwards {@code websocket_data} holds each
 * distinct quote of the truth file exactly once, every one of a burst included, the flagged ones with their flags;
 * and re-sending everything (the events as delivered, and the truth's elements again as MessagePack) inserts nothing.
 */
class AlpacaQuoteIdentityGroundTruthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private static final int BURST = 20;

    @TempDir Path dir;
    private TestDatabase db;

    @AfterEach void drop() {
        if (db != null) db.close();
    }

    @Test void everyDistinctQuoteOfOneNanosecondIsStoredOnceAndAReplayInsertsNothing() throws Exception {
        db = TestDatabase.migrated();
        Path truth = dir.resolve("truth.jsonl");
        List<MarketEvent> delivered = new ArrayList<>();
        List<Integer> verdicts = new ArrayList<>();
        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                MarketConfig.defaults(11, SYMBOLS).withBarIntervalMs(1_000).withHalts(0)).rate(1_000).truthFile(truth)
                .build());
             SpillJournal journal = SpillJournal.open(dir.resolve("journal"), JournalConfig.defaults());
             StorageWriter writer = writer(journal)) {
            sim.faults().sameTimeQuotes(15, BURST).crossedQuoteEvery(7).lockedQuoteEvery(11).oneSidedQuoteEvery(9)
                    .duplicateEvery(5);
            try (AlpacaWebsocketCollector collector = new AlpacaWebsocketCollector(feed(sim), keys())) {
                StorageSink sink = new StorageSink(writer, 500);
                collector.addSink(sink);
                collector.addListener(new MarketDataListener() {
                    @Override public void onEvent(MarketEvent e) { onEvent(e, 0); }

                    @Override public void onEvent(MarketEvent e, int flags) {
                        synchronized (delivered) {
                            delivered.add(e);
                            verdicts.add(flags);
                        }
                    }
                });
                SYMBOLS.forEach(collector::addSymbol);
                collector.start();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Map<String, Long> n = sim.faults().injected();
                    return n.getOrDefault("same-time-quote", 0L) >= 3L * BURST
                            && n.getOrDefault("crossed-quote", 0L) >= 3 && n.getOrDefault("locked-quote", 0L) >= 3
                            && n.getOrDefault("one-sided-quote", 0L) >= 4 && n.getOrDefault("duplicate-quote", 0L) >= 3;
                });
                sim.faults().stall(Duration.ofMinutes(5)); // nothing more is sent; what was sent gets stored
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    sim.flushTruth();
                    return storedQuotes().equals(Truth.read(truth).ids());
                });
            }
            Truth expected = Truth.read(truth);
            assertStoredExactly(expected);

            // a replay (journal, redelivery) of every quote the collector delivered, with its verdicts
            List<MarketEvent> again = new ArrayList<>();
            List<Integer> againFlags = new ArrayList<>();
            synchronized (delivered) {
                for (int i = 0; i < delivered.size(); i++) {
                    if (delivered.get(i) instanceof Quote) {
                        again.add(delivered.get(i));
                        againFlags.add(verdicts.get(i));
                    }
                }
            }
            List<MarketEvent> msgpack = expected.quotesAsMessagePack();
            long before = writer.rowsWritten();
            writer.add(again, againFlags.stream().mapToInt(Integer::intValue).toArray());
            // the same quotes reaching us again as MessagePack (the other wire format), verdicts unknown
            writer.add(msgpack);
            // rows sent to the database and committed (duplicates skipped there), not merely queued or journaled
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> writer.rowsWritten() >= before + again.size() + msgpack.size());
            assertThat(writer.eventsLost()).isZero();
            assertThat(writer.batchesSpilled()).as("nothing went to the journal").isZero();
            assertStoredExactly(expected);
        }
    }

    /** The table holds each distinct quote of the truth once; bursts complete; flagged quotes with their flags. */
    private void assertStoredExactly(Truth expected) throws SQLException {
        List<String> rows = db.firstColumn("SELECT symbol || '/' || event_id FROM websocket_data"
                + " WHERE data_type = 'quote'");
        assertThat(new HashSet<>(rows)).as("no quote stored twice").hasSize(rows.size());
        Set<String> missing = new TreeSet<>(expected.ids());
        missing.removeAll(rows);
        Set<String> extra = new TreeSet<>(rows);
        extra.removeAll(expected.ids());
        assertThat(missing).as("quotes sent but not stored (of %d)", expected.ids().size()).isEmpty();
        assertThat(extra).as("quotes stored but never sent").isEmpty();
        assertThat(expected.lines()).as("the truth lists duplicates, which are not rows").isGreaterThan(rows.size());

        // every burst: the quote it follows and its BURST siblings, all of one nanosecond, all stored
        assertThat(expected.bursts()).hasSizeGreaterThanOrEqualTo(3);
        for (Map.Entry<String, Set<String>> burst : expected.bursts().entrySet()) {
            String[] key = burst.getKey().split("/");
            // independent of EventIds: the distinct JSON elements sent at that nanosecond (a duplicate is byte-equal)
            int sent = expected.burstElements().get(burst.getKey()).size();
            assertThat(sent).as("distinct quotes sent at %s", burst.getKey()).isGreaterThan(BURST);
            assertThat(burst.getValue()).as("distinct identities at %s", burst.getKey()).hasSize(sent);
            assertThat(db.firstColumn("SELECT symbol || '/' || event_id FROM websocket_data WHERE data_type = 'quote'"
                    + " AND symbol = '" + key[0] + "' AND event_ns = " + key[1]))
                    .as("rows of %s", burst.getKey()).containsExactlyInAnyOrderElementsOf(burst.getValue());
        }

        Map<String, Integer> flags = new HashMap<>();
        for (String r : db.rows("SELECT symbol || '/' || event_id, flags FROM websocket_data WHERE data_type = 'quote'")) {
            String[] f = r.split(" ");
            flags.put(f[0], Integer.parseInt(f[1]));
        }
        expect(expected, flags, "crossed-quote", Flags.CROSSED);
        expect(expected, flags, "locked-quote", Flags.LOCKED);
        expect(expected, flags, "one-sided-quote", Flags.ONE_SIDED);
        for (String id : expected.byAnomaly().getOrDefault("same-time-quote", Set.of())) {
            assertThat(flags.get(id) & Flags.QUALITY_MASK).as("a same-time quote is a normal quote: %s", id).isZero();
        }
    }

    private static void expect(Truth t, Map<String, Integer> stored, String anomaly, int flag) {
        Set<String> ids = t.byAnomaly().getOrDefault(anomaly, Set.of());
        assertThat(ids).as(anomaly).isNotEmpty();
        for (String id : ids) {
            assertThat(stored).as("%s %s stored", anomaly, id).containsKey(id);
            assertThat(stored.get(id) & flag).as("%s %s flagged", anomaly, id).isEqualTo(flag);
        }
    }

    private Set<String> storedQuotes() throws SQLException {
        return new HashSet<>(db.firstColumn("SELECT symbol || '/' || event_id FROM websocket_data"
                + " WHERE data_type = 'quote'"));
    }

    /**
     * The quote lines of the truth file, decoded by the Alpaca decoder: their identities ({@code symbol/event_id}),
     * those of each anomaly kind, and the same-time bursts ({@code symbol/ns} -> identities at that nanosecond, and
     * the distinct JSON elements sent at it).
     */
    private record Truth(Set<String> ids, Map<String, Set<String>> byAnomaly, Map<String, Set<String>> bursts,
                         Map<String, Set<String>> burstElements, List<Quote> quotes, int lines) {
        static Truth read(Path file) throws IOException {
            Set<String> ids = new HashSet<>();
            Map<String, Set<String>> byAnomaly = new HashMap<>();
            Map<String, Set<String>> byTime = new HashMap<>();
            Map<String, Set<String>> elementsByTime = new HashMap<>();
            Set<String> burstTimes = new HashSet<>();
            List<Quote> quotes = new ArrayList<>();
            int lines = 0;
            for (String line : Files.readAllLines(file)) {
                JsonNode l = JSON.readTree(line);
                JsonNode e = l.path("event");
                if (!"alpaca".equals(l.path("provider").asText()) || !"q".equals(e.path("T").asText())) continue;
                lines++;
                Quote q = decode(e);
                quotes.add(q);
                String id = q.symbol() + "/" + EventIds.quote(q);
                String time = q.symbol() + "/" + q.eventTimeNs();
                ids.add(id);
                byTime.computeIfAbsent(time, k -> new HashSet<>()).add(id);
                elementsByTime.computeIfAbsent(time, k -> new HashSet<>()).add(e.toString());
                if (l.has("anomaly")) {
                    String kind = l.get("anomaly").asText();
                    byAnomaly.computeIfAbsent(kind, k -> new HashSet<>()).add(id);
                    if (kind.equals("same-time-quote")) burstTimes.add(time);
                }
            }
            Map<String, Set<String>> bursts = new HashMap<>();
            Map<String, Set<String>> burstElements = new HashMap<>();
            for (String t : burstTimes) {
                bursts.put(t, byTime.get(t));
                burstElements.put(t, elementsByTime.get(t));
            }
            return new Truth(ids, byAnomaly, bursts, burstElements, quotes, lines);
        }

        private static Quote decode(JsonNode element) {
            byte[] frame = ("[" + element + "]").getBytes(StandardCharsets.UTF_8);
            RecordingHandler r = new RecordingHandler();
            try {
                new AlpacaDecoder(new SymbolTable()).decode(frame, 0, frame.length, 1L, r);
            } catch (Exception e) {
                throw new AssertionError("truth line does not decode: " + element, e);
            }
            return (Quote) r.events.get(0);
        }

        /** Every quote of the truth, written as Alpaca MessagePack and decoded again. */
        List<MarketEvent> quotesAsMessagePack() throws Exception {
            AlpacaEncoder enc = AlpacaEncoder.msgpack();
            RecordingHandler r = new RecordingHandler();
            AlpacaMsgpackDecoder decoder = new AlpacaMsgpackDecoder(new SymbolTable());
            for (Quote q : quotes) {
                byte[] frame = enc.frame(List.of(q));
                decoder.decode(frame, 0, frame.length, 2L, r);
            }
            assertThat(r.events).hasSize(quotes.size());
            return r.events;
        }
    }

    private StorageWriter writer(SpillJournal journal) {
        String url = db.url;
        return new StorageWriter(() -> DriverManager.getConnection(url, "postgres", ""), journal,
                StorageWriterConfig.defaults().withBatchRows(500).withMaxAge(Duration.ofMillis(50))
                        .withRetry(Duration.ofMillis(50), Duration.ofMillis(500)),
                new SimpleMeterRegistry()).start();
    }

    private static FeedConfig feed(ExchangeSimulator sim) {
        return new FeedConfig(true, URI.create("ws://127.0.0.1:" + sim.port() + "/v2"), "sip", List.of("quotes"),
                List.of(), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1_500),
                Duration.ofMillis(500), Duration.ofMillis(400), Duration.ofSeconds(2), false, Duration.ofSeconds(1),
                4_096, FeedConfig.alpacaDefaults().maxFrameBytes(), FeedConfig.alpacaDefaults().compression());
    }

    private static APIKeyManager keys() {
        return APIKeyManager.load(Path.of("does-not-exist.yaml"), Map.of(
                "APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY,
                "APCA_API_SECRET_KEY", SimulatorConfig.DEFAULT_ALPACA_SECRET), Clock.systemUTC());
    }
}
