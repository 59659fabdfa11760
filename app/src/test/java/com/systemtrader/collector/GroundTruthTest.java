package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator drops the connection several times mid-burst; afterwards the gap ledger lists every outage, and
 * everything the simulator sent while the collector was connected arrived exactly once (ground-truth file).
 */
class GroundTruthTest {
    @TempDir Path dir;

    @Test void everythingSentWhileConnectedArrivesExactlyOnceAndEveryOutageIsInTheLedger() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Map<String, Integer> received = new HashMap<>();
        int drops;
        try (ExchangeSimulator sim = simulator(SimulatorConfig.builder(market()).rate(20_000).truthFile(truth))) {
            sim.faults().dropAfterMessages(7_000, 0);
            try (PolygonWebsocketCollector c = new PolygonWebsocketCollector(
                    polygonFeed(sim, List.of("T", "Q", "A")), defaultKeys())) {
                c.addListener(e -> {
                    if (!(e instanceof Bar b && b.derived())) received.merge(identity(e), 1, Integer::sum);
                });
                c.addSymbol("*");
                c.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> sim.stats().faultDrops.sum() >= 4);
                sim.faults().dropAfterMessages(0, 0);
                sim.faults().stall(Duration.ofMinutes(5));
                await().atMost(Duration.ofSeconds(10)).until(() -> c.stats().secondsSinceLastMessage() > 0.5);
                drops = (int) sim.stats().faultDrops.sum();
                assertThat(c.gapLedger().outageCount()).isEqualTo(drops);
                assertThat(c.gapLedger().gaps()).hasSize(drops).allSatisfy(g -> {
                    assertThat(g.cause()).isEqualTo("disconnected");
                    assertThat(g.symbols()).containsExactly("*");
                });
            }
        }
        Map<String, Integer> sent = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(truth)) {
            JsonNode n = json.readTree(line);
            sent.merge(identity(n.get("event")), 1, Integer::sum);
        }
        assertThat(sent.size()).isGreaterThanOrEqualTo(drops * 7_000);
        assertThat(sent.values()).allMatch(v -> v == 1);
        assertThat(received.values()).allMatch(v -> v == 1);
        assertThat(received.keySet()).isEqualTo(sent.keySet());
    }

    /** Polygon's own identities: per-ticker sequence for trades and quotes, window start for aggregates. */
    private static String identity(MarketEvent e) {
        return switch (e) {
            case Trade t -> "T|" + t.symbol() + "|" + t.sequence();
            case Quote q -> "Q|" + q.symbol() + "|" + q.sequence();
            case Bar b -> (b.interval() == BarInterval.SECOND ? "A|" : "AM|") + b.symbol() + "|"
                    + b.eventTimeNs() / 1_000_000;
            default -> e.type() + "|" + e.symbol() + "|" + e.eventTimeNs();
        };
    }

    private static String identity(JsonNode ev) {
        String type = ev.get("ev").asText();
        return switch (type) {
            case "T", "Q" -> type + "|" + ev.get("sym").asText() + "|" + ev.get("q").asLong();
            default -> type + "|" + ev.get("sym").asText() + "|" + ev.get("s").asLong();
        };
    }
}
