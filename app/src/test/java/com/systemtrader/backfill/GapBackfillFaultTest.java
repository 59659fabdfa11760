package com.systemtrader.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.storage.StorageSink;
import com.systemtrader.collector.Gap;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test: a Polygon collector stores the simulator's stream; the simulator drops every connection
 * and refuses the next upgrades (HTTP 429), so the feed is away for several seconds while the market goes on. After
 * the reconnect the gap is backfilled automatically from the simulator's REST {@code /v3/trades} and
 * {@code /v3/quotes} (the feed subscribes to {@code T} and {@code Q}). Then {@code websocket_data} holds, without
 * duplicates, exactly the trades the simulator wrote to the socket (its truth file) plus the market's trades of the
 * backfill window, and for the outage window exactly the market's trades; the same holds for the quotes.
 */
class GapBackfillFaultTest {
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test void afterAnOutageAndTheAutomaticBackfillStoredTradesEqualTheMarketWithoutDuplicates() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Gap gap;
        BackfillResult result;
        Set<String> outageMarket;
        Set<String> windowMarket;
        Set<String> outageQuotes;
        Set<String> windowQuotes;
        try (BackfillTestSupport st = new BackfillTestSupport(dir)) {
            try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                    MarketConfig.defaults(11, SYMBOLS).withBarIntervalMs(1_000).withHalts(0).withMaxLateMs(300)).rate(800)
                    .truthFile(truth).build())) {
                APIKeyManager keys = BackfillTestSupport.keys(dir);
                GapBackfiller backfiller = st.backfiller(st.polygonRest(sim, keys, RestSettings.DEFAULTS),
                        BackfillConfig.DEFAULTS);
                FeedConfig feed = fast(sim);
                try (PolygonWebsocketCollector collector = new PolygonWebsocketCollector(feed, keys,
                        DataConfig.defaults(), st.registry);
                     AutoBackfill auto = new AutoBackfill(backfiller, st.registry)) {
                    collector.addSink(new StorageSink(st.writer, 500));
                    auto.watch(collector, null);
                    collector.start();
                    assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
                    // the stream before the outage: 1,600 messages on the socket (2 s at 800 a second)
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> sim.stats().dataMessages.sum() >= 1_600);

                    // the outage: every connection dropped, the next three upgrades refused (>= 1.5 s back-off each)
                    sim.faults().rejectUpgrades(3, 429).dropAllNow();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> collector.gapLedger().gaps().stream().anyMatch(g -> !g.isOpen()));
                    gap = collector.gapLedger().gaps().getFirst();
                    assertThat(gap.isOpen()).as("reconnected").isFalse();
                    assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(30))).isTrue();

                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !backfiller.recent().snapshot().isEmpty());
                    assertThat(auto.awaitIdle(Duration.ofSeconds(60))).isTrue();
                    // live data after the backfill, overlapping its margin: 1,200 more messages (1.5 s at 800/s)
                    long sent = sim.stats().dataMessages.sum();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> sim.stats().dataMessages.sum() >= sent + 1_200);
                    sim.faults().stall(Duration.ofMinutes(5)); // nothing more is sent; what was sent gets stored
                    // the collector has received every message the simulator wrote to a socket (its truth file)
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                            .until(() -> collector.qualityReport().received() == truthLines(sim, truth));
                    collector.stop();
                    st.awaitWritten();
                }
                List<BackfillResult> results = backfiller.recent().snapshot();
                assertThat(results).hasSize(1);
                result = results.getFirst();
                outageMarket = BackfillTestSupport.marketTrades(sim, SYMBOLS, gap.startNs(), gap.endNs());
                windowMarket = BackfillTestSupport.marketTrades(sim, SYMBOLS, result.fromNs(), result.toNs());
                outageQuotes = GapQuoteBackfillTest.marketQuotes(sim, SYMBOLS, gap.startNs(), gap.endNs());
                windowQuotes = GapQuoteBackfillTest.marketQuotes(sim, SYMBOLS, result.fromNs(), result.toNs());
            }

            // the backfill itself
            assertThat(result.outcome()).isEqualTo(BackfillOutcome.FILLED);
            assertThat(result.request().trigger()).isEqualTo(BackfillRequest.Trigger.GAP);
            assertThat(result.request().startNs()).isEqualTo(gap.startNs());
            assertThat(result.symbols()).extracting(SymbolBackfill::kind).containsOnly("trades+quotes");
            assertThat(result.newRows()).as("trades the live feed missed").isPositive();
            double gapSeconds = (gap.endNs() - gap.startNs()) / 1e9;
            assertThat(gapSeconds).as("outage length").isGreaterThan(3.0);

            // the stored trades
            List<String> all = st.storedTrades("");
            assertThat(new HashSet<>(all)).as("no duplicate trades").hasSize(all.size());
            assertThat(st.count("SELECT count(*) FROM websocket_data")).as("no duplicate rows by the unique key")
                    .isEqualTo(st.count("SELECT count(*) FROM (SELECT DISTINCT symbol, data_type, source, event_id "
                            + "FROM websocket_data) d"));
            Set<String> sent = truthTrades(truth);
            Set<String> expected = new HashSet<>(sent);
            expected.addAll(windowMarket);
            same("all stored trades vs truth + market trades of the backfill window", new HashSet<>(all), expected);

            List<String> outage = st.storedTrades("event_ns >= " + gap.startNs() + " AND event_ns < " + gap.endNs());
            same("stored trades of the outage window vs the market's", new HashSet<>(outage), outageMarket);
            Set<String> missedLive = new HashSet<>(outageMarket);
            missedLive.removeAll(sent);
            assertThat(missedLive).as("market trades of the outage the socket never carried").isNotEmpty();

            // the stored quotes: the same, by (symbol, sequence)
            List<String> allQuotes = GapQuoteBackfillTest.storedQuotes(st, "");
            assertThat(new HashSet<>(allQuotes)).as("no duplicate quotes").hasSize(allQuotes.size());
            Set<String> sentQuotes = truthQuotes(truth);
            Set<String> expectedQuotes = new HashSet<>(sentQuotes);
            expectedQuotes.addAll(windowQuotes);
            same("all stored quotes vs truth + market quotes of the backfill window", new HashSet<>(allQuotes),
                    expectedQuotes);
            List<String> outageStoredQuotes = GapQuoteBackfillTest.storedQuotes(st, "event_ns >= " + gap.startNs()
                    + " AND event_ns < " + gap.endNs());
            same("stored quotes of the outage window vs the market's", new HashSet<>(outageStoredQuotes),
                    outageQuotes);
            Set<String> missedQuotes = new HashSet<>(outageQuotes);
            missedQuotes.removeAll(sentQuotes);
            assertThat(missedQuotes).as("market quotes of the outage the socket never carried").isNotEmpty();

            // the gap_ledger row
            try (Connection c = st.db.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT source, feed, end_ns, backfilled_at, backfill_note, cause "
                         + "FROM gap_ledger")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("polygon");
                assertThat(r.getString(2)).isEqualTo("stocks");
                assertThat(r.getLong(3)).isEqualTo(gap.endNs());
                assertThat(r.getTimestamp(4)).isNotNull();
                assertThat(r.getString(5)).startsWith("filled: ");
                assertThat(r.next()).isFalse();
            }
            assertThat(st.registry.counter("backfill.gaps", "outcome", "filled").count()).isEqualTo(1.0);
            System.out.printf("fault test: outage %.1f s; %d trades sent on the socket, %d market trades in the outage "
                            + "window (%d never sent), backfill fetched %d, %d new, %d stored trades in all, %d ms%n",
                    gapSeconds, sent.size(), outageMarket.size(), missedLive.size(), result.fetched(),
                    result.newRows(), all.size(), result.durationMs());
        }
    }

    private static FeedConfig fast(ExchangeSimulator sim) {
        FeedConfig base = FeedConfig.polygonDefaults();
        return new FeedConfig(true, sim.uri("/stocks"), null, List.of("T", "Q"), SYMBOLS, Duration.ofMillis(100),
                Duration.ofMillis(400), Duration.ofMillis(1_500), Duration.ofMillis(500), Duration.ofMillis(400),
                Duration.ofSeconds(2), false, Duration.ofSeconds(1), 4_096, base.maxFrameBytes(), base.compression());
    }

    /** The messages the simulator has written to sockets so far: one truth-file line each. */
    static long truthLines(ExchangeSimulator sim, Path truth) throws java.io.IOException {
        sim.flushTruth();
        long n = 0;
        for (byte b : Files.readAllBytes(truth)) if (b == '\n') n++;
        return n;
    }

    /** The market's trades the simulator wrote to sockets (anomalies left out), as identity strings. */
    private static Set<String> truthTrades(Path file) throws Exception {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode l = JSON.readTree(line);
            if (l.has("anomaly") || !l.has("event")) continue;
            JsonNode e = l.path("event");
            if (e.path("ev").asText().equals("T")) {
                out.add(e.path("sym").asText() + "/" + e.path("x").asInt() + "/" + e.path("trfi").asInt(-1) + "/"
                        + e.path("i").asText());
            }
        }
        return out;
    }

    /** The market's quotes the simulator wrote to sockets (anomalies left out), as {@code symbol/sequence}. */
    private static Set<String> truthQuotes(Path file) throws Exception {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode l = JSON.readTree(line);
            if (l.has("anomaly") || !l.has("event")) continue;
            JsonNode e = l.path("event");
            if (e.path("ev").asText().equals("Q")) out.add(e.path("sym").asText() + "/" + e.path("q").asLong());
        }
        return out;
    }

    private static void same(String what, Set<String> stored, Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(stored);
        Set<String> extra = new TreeSet<>(stored);
        extra.removeAll(expected);
        assertThat(missing).as("%s: expected but not stored (%d of %d)", what, missing.size(), expected.size())
                .isEmpty();
        assertThat(extra).as("%s: stored but not expected", what).isEmpty();
    }
}
