package com.systemtrader.simulator;

import static com.systemtrader.provider.alpaca.AlpacaChannel.BARS;
import static com.systemtrader.provider.alpaca.AlpacaChannel.QUOTES;
import static com.systemtrader.provider.alpaca.AlpacaChannel.TRADES;
import static com.systemtrader.simulator.WireAnomalies.sorted;
import static com.systemtrader.simulator.WireAnomalies.truthAnomalies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.schema.Bar;
import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.provider.alpaca.AlpacaChannel;
import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.provider.alpaca.AlpacaSubscription;
import com.systemtrader.provider.polygon.PolygonStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data anomalies injected on the wire ({@link Faults#outlierEvery} and the others): over real sockets, what the
 * client received, parsed independently ({@link WireAnomalies}), equals the simulator's exact counts
 * ({@link Faults#injectedBySymbol()}) and the truth file's tagged lines; the frames still decode with the project's
 * own decoders; and the market's own data (bars) never sees the anomalies.
 */
class AnomalyInjectionTest extends SimulatorTestSupport {
    /** The kinds every all-anomalies test waits for, with the least count each must reach first. */
    private static final Map<String, Long> MINIMUM = minimum();

    @TempDir Path dir;
    private Path truth;

    private static Map<String, Long> minimum() {
        Map<String, Long> m = new TreeMap<>();
        for (Anomaly a : List.of(Anomaly.OUTLIER, Anomaly.BAD_PRICE_ZERO, Anomaly.BAD_SIZE_ZERO,
                Anomaly.BAD_PRICE_NEGATIVE, Anomaly.CROSSED_QUOTE, Anomaly.LOCKED_QUOTE, Anomaly.ONE_SIDED_QUOTE,
                Anomaly.FUTURE_TIMESTAMP, Anomaly.TEST_SYMBOL, Anomaly.DUPLICATE_TRADE, Anomaly.DUPLICATE_QUOTE)) {
            m.put(a.label(), 6L);
        }
        m.put(Anomaly.DUPLICATE_OTHER.label(), 2L);
        return m;
    }

    private ExchangeSimulator startWithTruth(SimulatorConfig.Builder builder) {
        truth = dir.resolve("truth.jsonl");
        return start(builder.truthFile(truth));
    }

    private static void everyDataAnomaly(Faults f) {
        f.outlierEvery(7).badPrintEvery(5).futureTimestampEvery(11).testSymbolEvery(4).crossedQuoteEvery(6)
                .lockedQuoteEvery(9).oneSidedQuoteEvery(8).duplicateEvery(3);
    }

    private static AlpacaClientMessage subscribe(Map<AlpacaChannel, List<String>> m) {
        return new AlpacaClientMessage.Subscribe(AlpacaSubscription.of(m));
    }

    private void awaitInjected(Map<String, Long> minimum) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, Long> injected = sim.faults().injected();
            return minimum.entrySet().stream().allMatch(m -> injected.getOrDefault(m.getKey(), 0L) >= m.getValue());
        });
    }

    /**
     * Stops the data and waits until every client has parsed as many data elements as the truth file lists (the
     * simulator counts an anomaly just before it writes the truth line, when Netty reports the frame written).
     */
    private List<WireAnomalies> quiesce(List<WsProbe> probes, List<Boolean> polygon) {
        sim.faults().stall(Duration.ofMinutes(5));
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        List<WireAnomalies> out = new ArrayList<>();
        await().atMost(WsProbe.TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            sim.flushTruth();
            out.clear();
            long parsed = 0;
            for (int i = 0; i < probes.size(); i++) {
                WireAnomalies w = WireAnomalies.of(probes.get(i).rawFrames(), polygon.get(i));
                out.add(w);
                parsed += w.elements.size();
            }
            long lines = WireAnomalies.truthLines(truth).stream().filter(l -> l.has("event")).count();
            return parsed == lines;
        });
        return out;
    }

    private WireAnomalies quiesce(WsProbe probe, boolean polygon) {
        return quiesce(List.of(probe), List.of(polygon)).getFirst();
    }

    /** Client counts = simulator counts = truth-file lines, per kind and symbol, and the totals too. */
    private void assertCountsMatch(Map<String, Map<String, Long>> received) {
        Map<String, Map<String, Long>> injected = sorted(sim.faults().injectedBySymbol());
        assertThat(sorted(received)).as("anomalies the client received").isEqualTo(injected);
        assertThat(new TreeMap<>(sim.faults().injected())).isEqualTo(WireAnomalies.totals(injected));
        assertThat(truthAnomalies(truth, -1)).as("tagged truth lines").isEqualTo(injected);
    }

    /** Bars come from the market's own trades: an injected outlier or bad print would stretch them. */
    private static void assertBarsUntouched(WireAnomalies w, String barType, boolean polygon) {
        List<JsonNode> bars = w.elements.stream().map(WireAnomalies.Element::node)
                .filter(n -> (polygon ? n.path("ev") : n.path("T")).asText().equals(barType)).toList();
        assertThat(bars).as("bars received").isNotEmpty();
        for (JsonNode b : bars) {
            double high = b.get("h").asDouble();
            double low = b.get("l").asDouble();
            assertThat(low).as("bar low %s", b).isPositive();
            assertThat(high / low).as("bar range %s", b).isLessThan(1.2);
        }
    }

    @Test
    void polygonAnomaliesMatchWhatTheClientReceivedAndTheTruthFile() throws Exception {
        startWithTruth(config());
        WsProbe p = polygonAuthenticated("/stocks").keepRawFrames();
        p.polygonSubscribe("T.*", "Q.*", "A.*");
        p.awaitEvents(50);
        everyDataAnomaly(sim.faults());
        awaitInjected(MINIMUM);
        p.awaitEvents(1, e -> e instanceof Bar); // a bar to check; they come once per bar interval
        WireAnomalies w = quiesce(p, true);

        assertCountsMatch(w.bySymbol);
        assertThat(w.bySymbol.get("test-symbol")).containsOnlyKeys("ZVZZT", "ZXZZT", "NTEST");
        // the project's own decoder reads every injected element: the frames stay protocol-conformant
        assertThat(p.malformed()).isEmpty();
        assertThat(p.eventCount()).isEqualTo(w.elements.size());
        assertBarsUntouched(w, "A", true);
        // both outlier directions
        List<Double> ratios = new ArrayList<>();
        Map<String, Double> last = new TreeMap<>();
        for (WireAnomalies.Element e : w.elements) {
            if (!e.node().path("ev").asText().equals("T")) continue;
            if (e.kind() == null) last.put(e.symbol(), e.node().get("p").asDouble());
            if ("outlier".equals(e.kind())) ratios.add(e.node().get("p").asDouble() / last.get(e.symbol()));
        }
        assertThat(ratios).anyMatch(r -> r > 1.5).anyMatch(r -> r < 0.5);
    }

    @Test
    void alpacaJsonAnomaliesMatchWhatTheClientReceivedAndTheTruthFile() throws Exception {
        alpacaAnomalies("/v2/iex", WsProbe.Codec.ALPACA_JSON);
    }

    @Test
    void alpacaMsgpackAnomaliesMatchWhatTheClientReceivedAndTheTruthFile() throws Exception {
        alpacaAnomalies("/v2/sip", WsProbe.Codec.ALPACA_MSGPACK);
    }

    private void alpacaAnomalies(String path, WsProbe.Codec codec) throws Exception {
        startWithTruth(config());
        WsProbe p = alpacaAuthenticated(path, codec).keepRawFrames();
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("*"), QUOTES, List.of("*"), BARS, List.of("*"))));
        p.awaitEvents(50);
        everyDataAnomaly(sim.faults());
        awaitInjected(MINIMUM);
        p.awaitEvents(1, e -> e instanceof Bar); // a bar to check; they come once per bar interval
        WireAnomalies w = quiesce(p, false);

        assertCountsMatch(w.bySymbol);
        assertThat(p.malformed()).isEmpty();
        assertThat(p.eventCount()).isEqualTo(w.elements.size());
        if (codec == WsProbe.Codec.ALPACA_MSGPACK) assertThat(p.textFrames()).isEqualTo(0);
        assertBarsUntouched(w, "b", false);
    }

    @Test
    void malformedFramesAreCountedOnBothProviders() throws Exception {
        startWithTruth(config());
        WsProbe polygon = polygonAuthenticated("/stocks").keepRawFrames();
        polygon.polygonSubscribe("T.*", "Q.*");
        WsProbe alpaca = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_MSGPACK).keepRawFrames();
        alpaca.alpacaSend(subscribe(Map.of(TRADES, List.of("*"))));
        polygon.awaitEvents(50);
        alpaca.awaitEvents(50);
        sim.faults().malformedEvery(7).injectMalformed(3);
        awaitInjected(Map.of("malformed-frame", 40L));
        List<WireAnomalies> w = quiesce(List.of(polygon, alpaca), List.of(true, false));

        long received = 0;
        for (WireAnomalies x : w) received += x.totals().getOrDefault("malformed-frame", 0L);
        assertThat(received).isEqualTo(sim.faults().anomalies().count(Anomaly.MALFORMED_FRAME));
        assertThat(sim.faults().injectedBySymbol()).containsOnlyKeys("malformed-frame");
        assertThat(sim.faults().injectedBySymbol().get("malformed-frame")).containsOnlyKeys(InjectedAnomalies.NO_SYMBOL);
        assertThat(truthAnomalies(truth, -1)).isEqualTo(sorted(sim.faults().injectedBySymbol()));
        // the project's decoders reject exactly those frames
        assertThat(polygon.malformed().size() + alpaca.malformed().size()).isEqualTo(received);
        assertThat(w.get(0).totals().get("malformed-frame")).isPositive();
        assertThat(w.get(1).totals().get("malformed-frame")).isPositive();
    }

    @Test
    void polygonReorderedEventsAreCountedBySequenceInversions() throws Exception {
        startWithTruth(SimulatorConfig.builder(market(7, List.of("AAPL"))).rate(2_000));
        WsProbe p = polygonAuthenticated("/stocks").keepRawFrames();
        p.polygonSubscribe("T.AAPL", "Q.AAPL");
        p.awaitEvents(50);
        sim.faults().reorderEvery(7);
        awaitInjected(Map.of("reordered", 50L));
        WireAnomalies w = quiesce(p, true);
        assertCountsMatch(inversions(w, "T", "q"));
    }

    @Test
    void alpacaMsgpackReorderedTradesAreCountedByTradeIdInversions() throws Exception {
        startWithTruth(SimulatorConfig.builder(market(7, List.of("AAPL"))).rate(2_000));
        WsProbe p = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_MSGPACK).keepRawFrames();
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"))));
        // trades only: corrections and cancels (whose ids are older trades') would be swapped too, unseen
        p.alpacaSend(new AlpacaClientMessage.Unsubscribe(AlpacaSubscription.of(Map.of(
                AlpacaChannel.CORRECTIONS, List.of("AAPL"), AlpacaChannel.CANCEL_ERRORS, List.of("AAPL")))));
        p.awaitControl(m -> m instanceof AlpacaSubscription s && s.symbols(AlpacaChannel.CANCEL_ERRORS).isEmpty()
                && !s.symbols(TRADES).isEmpty());
        p.awaitEvents(50);
        sim.faults().reorderEvery(5);
        awaitInjected(Map.of("reordered", 30L));
        WireAnomalies w = quiesce(p, false);
        assertCountsMatch(inversions(w, "t", "i"));
    }

    /**
     * Adjacent inversions of a field that increases in market order (one symbol; Polygon trades and quotes share
     * the sequence, so {@code tradeType} "T" also takes quotes), each one a swap: {reordered: {symbol: n}}.
     */
    private static Map<String, Map<String, Long>> inversions(WireAnomalies w, String tradeType, String field) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        long previous = Long.MIN_VALUE;
        for (WireAnomalies.Element e : w.elements) {
            String type = e.node().has("ev") ? e.node().get("ev").asText() : e.node().path("T").asText();
            boolean counted = type.equals(tradeType) || tradeType.equals("T") && type.equals("Q");
            if (!counted || !e.node().has(field)) continue;
            long v = e.node().get(field).asLong();
            if (v < previous) out.computeIfAbsent("reordered", k -> new TreeMap<>()).merge(e.symbol(), 1L, Long::sum);
            previous = v;
        }
        return out;
    }

    @Test
    void alpacaJsonLingerSendsExactlyKMoreMessagesOfTheUnsubscribedSymbol() throws Exception {
        linger(WsProbe.Codec.ALPACA_JSON);
    }

    @Test
    void alpacaMsgpackLingerSendsExactlyKMoreMessagesOfTheUnsubscribedSymbol() throws Exception {
        linger(WsProbe.Codec.ALPACA_MSGPACK);
    }

    private void linger(WsProbe.Codec codec) throws Exception {
        int k = 5;
        startWithTruth(config());
        WsProbe p = alpacaAuthenticated("/v2/iex", codec).keepRawFrames();
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL", "MSFT"), QUOTES, List.of("AAPL", "MSFT"))));
        p.awaitEvents(20, e -> e.symbol().equals("MSFT"));
        sim.faults().lingerAfterUnsubscribe(k);
        p.alpacaSend(new AlpacaClientMessage.Unsubscribe(AlpacaSubscription.of(Map.of(
                TRADES, List.of("MSFT"), QUOTES, List.of("MSFT")))));
        awaitInjected(Map.of("linger-unsubscribed", (long) k));
        // another second or so of AAPL data: no more MSFT
        p.awaitEvents(p.count(e -> e.symbol().equals("AAPL")) + 1_000, e -> e.symbol().equals("AAPL"));
        WireAnomalies w = quiesce(p, false);

        int echo = -1;
        for (WireAnomalies.Control c : w.controls) {
            if (c.node().path("T").asText().equals("subscription") && c.node().get("trades").size() == 1) {
                echo = c.frame();
            }
        }
        assertThat(echo).as("frame of the unsubscribe acknowledgement").isPositive();
        int ack = echo;
        long msftAfter = w.elements.stream().filter(e -> e.frame() > ack && e.symbol().equals("MSFT")).count();
        assertThat(msftAfter).as("MSFT messages after the acknowledgement").isEqualTo(k);
        assertThat(w.elements.stream().filter(e -> e.frame() > ack && e.symbol().equals("AAPL")).count())
                .isGreaterThan(1_000);
        Map<String, Map<String, Long>> expected = Map.of("linger-unsubscribed", Map.of("MSFT", (long) k));
        assertThat(sorted(sim.faults().injectedBySymbol())).isEqualTo(sorted(expected));
        assertThat(truthAnomalies(truth, -1)).isEqualTo(sorted(expected));
    }

    @Test
    void withoutLingerNoDataOfAnUnsubscribedSymbolFollowsTheAcknowledgement() throws Exception {
        startWithTruth(config().rate(20_000));
        WsProbe polygon = polygonAuthenticated("/stocks").keepRawFrames();
        polygon.polygonSubscribe("T.AAPL", "T.MSFT", "Q.AAPL", "Q.MSFT");
        WsProbe alpaca = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON).keepRawFrames();
        alpaca.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL", "MSFT"), QUOTES, List.of("AAPL", "MSFT"))));
        polygon.awaitEvents(500, e -> e.symbol().equals("MSFT"));
        alpaca.awaitEvents(500, e -> e.symbol().equals("MSFT"));
        polygon.polygonUnsubscribe("T.MSFT", "Q.MSFT");
        alpaca.alpacaSend(new AlpacaClientMessage.Unsubscribe(AlpacaSubscription.of(Map.of(
                TRADES, List.of("MSFT"), QUOTES, List.of("MSFT")))));
        polygon.awaitStatusMessage(PolygonStatus.UNSUBSCRIBED_PREFIX + "Q.MSFT");
        polygon.awaitEvents(polygon.eventCount() + 5_000);
        alpaca.awaitEvents(alpaca.eventCount() + 5_000);
        List<WireAnomalies> w = quiesce(List.of(polygon, alpaca), List.of(true, false));

        int polygonAck = w.get(0).controls.stream()
                .filter(c -> c.node().path("message").asText().equals(PolygonStatus.UNSUBSCRIBED_PREFIX + "Q.MSFT"))
                .mapToInt(WireAnomalies.Control::frame).findFirst().orElseThrow();
        int alpacaAck = w.get(1).controls.stream()
                .filter(c -> c.node().path("T").asText().equals("subscription") && c.node().get("trades").size() == 1)
                .mapToInt(WireAnomalies.Control::frame).findFirst().orElseThrow();
        assertThat(w.get(0).elements).filteredOn(e -> e.frame() > polygonAck).isNotEmpty()
                .noneMatch(e -> e.symbol().equals("MSFT"));
        assertThat(w.get(1).elements).filteredOn(e -> e.frame() > alpacaAck).isNotEmpty()
                .noneMatch(e -> e.symbol().equals("MSFT"));
        assertThat(sim.faults().injected()).isEmpty();
    }

    @Test
    void testSymbolsGoOnlyToSessionsSubscribedToAllTrades() throws Exception {
        startWithTruth(config());
        WsProbe polygon = polygonAuthenticated("/stocks").keepRawFrames();
        polygon.polygonSubscribe("T.AAPL", "T.MSFT", "Q.*");
        WsProbe alpaca = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON).keepRawFrames();
        alpaca.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"), QUOTES, List.of("*"))));
        polygon.awaitEvents(50);
        alpaca.awaitEvents(50);
        sim.faults().testSymbolEvery(1).outlierEvery(2);
        awaitInjected(Map.of("outlier", 100L));
        List<WireAnomalies> w = quiesce(List.of(polygon, alpaca), List.of(true, false));

        assertThat(sim.faults().injected()).containsOnlyKeys("outlier");
        Map<String, Map<String, Long>> received = new TreeMap<>();
        for (WireAnomalies x : w) {
            x.bySymbol.forEach((kind, m) -> m.forEach((s, n) ->
                    received.computeIfAbsent(kind, q -> new TreeMap<>()).merge(s, n, Long::sum)));
        }
        assertCountsMatch(received);
        assertThat(received.get("outlier")).containsOnlyKeys("AAPL", "MSFT");
    }
}
