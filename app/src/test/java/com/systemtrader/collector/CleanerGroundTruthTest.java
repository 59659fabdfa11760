package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.alpacaFeed;
import static com.systemtrader.collector.CollectorTestSupport.defaultKeys;
import static com.systemtrader.collector.CollectorTestSupport.market;
import static com.systemtrader.collector.CollectorTestSupport.polygonFeed;
import static com.systemtrader.collector.CollectorTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.clean.CleanerSnapshot;
import com.systemtrader.clean.Outcome;
import com.systemtrader.clean.QualityReport;
import com.systemtrader.clean.Rule;
import com.systemtrader.config.DataConfig;
import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.Faults;
import com.systemtrader.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaner's counts on a simulator stream with injected anomalies (bad prints, future timestamps, outliers,
 * duplicates, crossed, locked and one-sided quotes, exchange test symbols, malformed frames) equal, exactly, what an
 * independent replay of the simulator's ground-truth file says they must be; and every received message is
 * accounted for.
 */
class CleanerGroundTruthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** What the truth file says the cleaner must count, derived here without the cleaner's code. */
    private static final class Expected {
        long received, priceRange, sizeRange, future, duplicates, outOfOrder, outliers, crossed, locked, oneSided,
                testSymbols, malformed, trades, quotes;
        final Set<String> identities = new HashSet<>();
        final Map<String, Long> maxTime = new HashMap<>();
        final boolean alpaca;
        long marketTimeNs;

        Expected(boolean alpaca) {
            this.alpaca = alpaca;
        }

        private String symbol(JsonNode e) { return e.path(alpaca ? "S" : "sym").asText(); }

        private long timeNs(JsonNode e) {
            if (!alpaca) return e.path("t").asLong() * 1_000_000L;
            java.time.Instant i = java.time.Instant.parse(e.path("t").asText());
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        }

        void line(JsonNode line) {
            String anomaly = line.path("anomaly").asText("");
            if (anomaly.equals("malformed-frame")) {
                received++;
                malformed++;
                return;
            }
            JsonNode e = line.path("event");
            received++;
            String sym = symbol(e);
            if (sym.startsWith("ZVZZT") || sym.startsWith("ZXZZT") || sym.startsWith("NTEST")) {
                testSymbols++;
                return;
            }
            switch (e.path(alpaca ? "T" : "ev").asText()) {
                case "T", "t" -> trade(e, anomaly);
                case "Q", "q" -> quote(e);
                default -> { }
            }
        }

        private void trade(JsonNode e, String anomaly) {
            trades++;
            long t = timeNs(e);
            if (anomaly.isEmpty()) marketTimeNs = Math.max(marketTimeNs, t);
            if (e.path("p").asDouble() <= 0) {
                priceRange++;
                return;
            }
            if (e.path("s").asLong() <= 0) {
                sizeRange++;
                return;
            }
            if (t > marketTimeNs + 10_000_000_000L) {
                future++;
                return;
            }
            String id = symbol(e) + "/" + e.path("x").asText() + "/" + e.path("trfi").asInt(-1) + "/"
                    + e.path("i").asText();
            if (!identities.add(id)) {
                duplicates++;
                return;
            }
            if (anomaly.equals("outlier")) outliers++;
            String sym = symbol(e);
            long max = maxTime.getOrDefault(sym, Long.MIN_VALUE);
            if (t < max) outOfOrder++;
            else maxTime.put(sym, t);
        }

        private void quote(JsonNode e) {
            quotes++;
            double bid = e.path("bp").asDouble(), ask = e.path("ap").asDouble();
            if (bid == 0 && ask == 0) return;
            if (bid == 0 || ask == 0) oneSided++;
            else if (bid > ask) crossed++;
            else if (bid == ask) locked++;
        }
    }

    /** The messages the simulator has written to sockets so far: one truth-file line each. */
    private static long truthLines(ExchangeSimulator sim, Path truth) throws java.io.IOException {
        sim.flushTruth();
        long n = 0;
        for (byte b : Files.readAllBytes(truth)) if (b == '\n') n++;
        return n;
    }

    @Test void polygonCountsMatchTheGroundTruthExactly() throws Exception {
        check(false);
    }

    @Test void alpacaCountsMatchTheGroundTruthExactly() throws Exception {
        check(true);
    }

    private void check(boolean alpaca) throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        long[] metrics = new long[3];
        QualityReport report;
        CleanerSnapshot.Figures f;
        Map<String, Long> injected;
        try (ExchangeSimulator sim = simulator(SimulatorConfig.builder(market()).rate(3_000).truthFile(truth))) {
            Faults faults = sim.faults();
            faults.badPrintEvery(50).crossedQuoteEvery(30).lockedQuoteEvery(45)
                    .oneSidedQuoteEvery(60).futureTimestampEvery(70).testSymbolEvery(80).duplicateEvery(25)
                    .malformedEvery(150);
            try (WebsocketCollector c = alpaca
                    ? new AlpacaWebsocketCollector(alpacaFeed(sim, "sip", List.of("trades", "quotes")), defaultKeys(),
                            DataConfig.defaults(), meters)
                    : new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "Q")), defaultKeys(),
                            DataConfig.defaults(), meters)) {
                c.addSymbol("*");
                c.start();
                assertThat(c.awaitState(State.STREAMING, Duration.ofSeconds(5))).isTrue();
                // outliers only once every symbol's price range is warm (it needs 8 prices before it judges): every
                // market symbol has had 50 trades
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                    var bySymbol = c.stats().bySymbol();
                    return CollectorTestSupport.SYMBOLS.stream().allMatch(s -> bySymbol.getOrDefault(s, Map.of())
                            .getOrDefault(RecordType.TRADE, 0L) >= 50);
                });
                faults.outlierEvery(40);
                // 7,500 more messages (2.5 s at 3,000 a second) with every kind of anomaly
                long before = c.qualityReport().received();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> c.qualityReport().received() >= before + 7_500);
                faults.stall(Duration.ofMinutes(1));
                // the collector has received every message the simulator wrote to the socket (its truth file)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> c.qualityReport().received() == truthLines(sim, truth));
                c.stop();
                report = c.qualityReport();
                f = c.cleaner().snapshot().total();
                // function counters hold their objects weakly: read them while the collector is alive
                metrics[0] = (long) meters.get("cleaner.messages").tag("outcome", "rejected").functionCounter().count();
                metrics[1] = (long) meters.get("cleaner.rule").tag("rule", "duplicate").functionCounter().count();
                metrics[2] = (long) meters.get("bars.published").functionCounter().count();
                assertThat(c.stats().outages()).as("one connection throughout").isZero();
            }
            injected = faults.injected();
        }
        Expected x = new Expected(alpaca);
        for (String line : Files.readAllLines(truth)) x.line(JSON.readTree(line));

        assertThat(report.accountedFor()).isTrue();
        assertThat(report.received()).isEqualTo(x.received);
        assertThat(f.received()).isEqualTo(x.received);
        assertThat(f.rule(Rule.MALFORMED_FRAME)).isEqualTo(x.malformed).isEqualTo(injected.get("malformed-frame"))
                .isPositive();
        assertThat(f.rule(Rule.PRICE_RANGE)).isEqualTo(x.priceRange).isPositive();
        assertThat(f.rule(Rule.SIZE_RANGE)).isEqualTo(x.sizeRange).isPositive();
        assertThat(f.rule(Rule.TIME_FUTURE)).isEqualTo(x.future).isPositive();
        assertThat(f.rule(Rule.DUPLICATE)).isEqualTo(x.duplicates).isPositive();
        assertThat(f.rule(Rule.OUTLIER) + f.rule(Rule.OUTSIDE_LULD)).as("suspicious = injected outliers")
                .isEqualTo(x.outliers).isPositive();
        assertThat(f.rule(Rule.OUT_OF_ORDER)).isEqualTo(x.outOfOrder).isPositive();
        assertThat(f.rule(Rule.CROSSED)).isEqualTo(x.crossed).isEqualTo(injected.get("crossed-quote")).isPositive();
        assertThat(f.rule(Rule.LOCKED)).isEqualTo(x.locked).isEqualTo(injected.get("locked-quote")).isPositive();
        assertThat(f.rule(Rule.ONE_SIDED)).isEqualTo(x.oneSided).isEqualTo(injected.get("one-sided-quote"))
                .isPositive();
        assertThat(f.rule(Rule.TEST_SYMBOL)).isEqualTo(x.testSymbols).isEqualTo(injected.get("test-symbol"))
                .isPositive();
        assertThat(f.outcome(Outcome.REJECTED)).isEqualTo(
                x.malformed + x.priceRange + x.sizeRange + x.future + x.duplicates);
        assertThat(report.totals().duplicates()).isEqualTo(x.duplicates);
        assertThat(report.totals().suspicious()).isEqualTo(x.outliers);
        long perSymbolRejected = report.bySymbol().values().stream().mapToLong(QualityReport.SymbolQuality::rejected)
                .sum();
        assertThat(perSymbolRejected).as("every rejection but malformed frames has a symbol")
                .isEqualTo(f.outcome(Outcome.REJECTED) - x.malformed);
        assertThat(report.quarantine().total()).isEqualTo(f.outcome(Outcome.REJECTED));
        assertThat(metrics[0]).isEqualTo(f.outcome(Outcome.REJECTED));
        assertThat(metrics[1]).isEqualTo(x.duplicates);
        assertThat(metrics[2]).isEqualTo(report.bars().published()).isPositive();
    }
}
