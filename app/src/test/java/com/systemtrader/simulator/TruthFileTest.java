package com.systemtrader.simulator;

import static com.systemtrader.provider.alpaca.AlpacaChannel.QUOTES;
import static com.systemtrader.provider.alpaca.AlpacaChannel.TRADES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.provider.alpaca.AlpacaSubscription;
import com.systemtrader.schema.Trade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ground-truth file ({@link SimulatorConfig#truthFile()}): one JSON line per data message actually written to a
 * socket, numbered per connection, matching exactly what the client decoded.
 */
class TruthFileTest extends SimulatorTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** The truth lines of one connection, in file order. */
    record Connection(long conn, String provider, String feed, List<JsonNode> lines) {
        List<String> tradeKeys() {
            List<String> keys = new ArrayList<>();
            for (JsonNode line : lines) {
                JsonNode e = line.get("event");
                if (e == null) continue;
                if (e.path("ev").asText().equals("T")) keys.add(e.get("sym").asText() + "/" + e.get("i").asText());
                if (e.path("T").asText().equals("t")) keys.add(e.get("S").asText() + "/" + e.get("i").asLong());
            }
            return keys;
        }
    }

    /** Reads and checks every line's shape; groups the lines by connection. */
    private static Map<Long, Connection> read(Path file) {
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Long, Connection> byConn = new LinkedHashMap<>();
        for (String text : raw) {
            JsonNode line;
            try {
                line = JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("truth line is not valid JSON: " + text, e);
            }
            assertThat(line.isObject()).as(text).isTrue();
            assertThat(line.get("conn").isIntegralNumber()).as(text).isTrue();
            assertThat(line.get("provider").isTextual()).as(text).isTrue();
            assertThat(line.get("feed").isTextual()).as(text).isTrue();
            if (line.has("after")) { // a malformed frame: no event
                assertThat(line.get("after").isIntegralNumber()).as(text).isTrue();
                assertThat(line.get("anomaly").asText()).as(text).isEqualTo("malformed-frame");
                assertThat(line.has("n") || line.has("event")).as(text).isFalse();
            } else {
                assertThat(line.get("n").isIntegralNumber()).as(text).isTrue();
                assertThat(line.get("event").isObject()).as(text).isTrue();
            }
            long conn = line.get("conn").asLong();
            Connection c = byConn.computeIfAbsent(conn, k -> new Connection(k, line.get("provider").asText(),
                    line.get("feed").asText(), new ArrayList<>()));
            assertThat(line.get("provider").asText()).isEqualTo(c.provider());
            assertThat(line.get("feed").asText()).isEqualTo(c.feed());
            c.lines().add(line);
        }
        return byConn;
    }

    private static long lines(Path file, String provider) {
        try (var s = Files.lines(file, StandardCharsets.UTF_8)) {
            return s.filter(l -> l.contains("\"provider\":\"" + provider + "\"")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Connection only(Map<Long, Connection> byConn, String provider) {
        List<Connection> c = byConn.values().stream().filter(x -> x.provider().equals(provider)).toList();
        assertThat(c).as("connections of " + provider).hasSize(1);
        return c.getFirst();
    }

    private static void assertNumberedWithoutGaps(Connection c) {
        List<JsonNode> data = c.lines().stream().filter(l -> l.has("n")).toList();
        for (int i = 0; i < data.size(); i++) {
            assertThat(data.get(i).get("n").asLong()).as("n of line %d of conn %d", i, c.conn()).isEqualTo(i + 1);
        }
    }

    private static List<String> keys(List<Trade> trades) {
        return trades.stream().map(t -> t.symbol() + "/" + t.tradeId()).toList();
    }

    @Test
    void truthMatchesWhatEachClientDecoded() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        start(config().truthFile(truth));
        WsProbe polygon = polygonAuthenticated("/stocks");
        polygon.polygonSubscribe("T.*", "Q.*");
        WsProbe alpaca = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_MSGPACK);
        alpaca.alpacaSend(new AlpacaClientMessage.Subscribe(AlpacaSubscription.of(Map.of(
                TRADES, List.of("AAPL", "MSFT"), QUOTES, List.of("TSLA")))));
        polygon.awaitEvents(500);
        alpaca.awaitEvents(300);

        // stop the data, then wait until the client has read everything the file says was written
        sim.faults().stall(Duration.ofMinutes(1));
        await().atMost(WsProbe.TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            sim.flushTruth();
            return lines(truth, "polygon") == polygon.eventCount() && lines(truth, "alpaca") == alpaca.eventCount();
        });
        polygon.close();
        alpaca.close();
        sim.close();

        Map<Long, Connection> byConn = read(truth);
        assertThat(byConn).hasSize(2);
        Connection p = only(byConn, "polygon");
        Connection a = only(byConn, "alpaca");
        assertThat(p.feed()).isEqualTo("/stocks");
        assertThat(a.feed()).isEqualTo("/v2/iex");
        assertNumberedWithoutGaps(p);
        assertNumberedWithoutGaps(a);
        assertThat(p.lines()).hasSize(polygon.eventCount());
        assertThat(a.lines()).hasSize(alpaca.eventCount());
        // same trades, same order
        assertThat(p.tradeKeys()).isNotEmpty().isEqualTo(keys(polygon.trades()));
        assertThat(a.tradeKeys()).isNotEmpty().isEqualTo(keys(alpaca.trades()));
        // the Alpaca truth is written as JSON even for a msgpack session
        assertThat(a.lines().getFirst().get("event").has("T")).isTrue();
    }

    @Test
    void truthOfADroppedConnectionEndsAtTheDrop() throws Exception {
        Path truth = dir.resolve("drop.jsonl");
        start(config().truthFile(truth));
        sim.faults().dropAfterMessages(300, 1);
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*", "Q.*");
        p.awaitClosed();
        assertThat(p.eventCount()).isEqualTo(300);
        sim.close();

        Map<Long, Connection> byConn = read(truth);
        Connection c = only(byConn, "polygon");
        assertThat(c.lines()).hasSize(300);
        assertNumberedWithoutGaps(c);
        assertThat(c.tradeKeys()).isNotEmpty().isEqualTo(keys(p.trades()));
    }

    /**
     * Injected elements carry {@code "anomaly"}, a swapped market event {@code "reordered":true}, a malformed frame
     * a line of its own; the untagged lines are the market's events, each once: what a cleaner should accept.
     */
    @Test
    void anomaliesAreTaggedSoThatTheUntaggedLinesAreTheMarketEventsEachOnce() throws Exception {
        Path truth = dir.resolve("tagged.jsonl");
        start(config().truthFile(truth));
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*", "Q.*");
        p.awaitEvents(50);
        sim.faults().outlierEvery(3).badPrintEvery(4).futureTimestampEvery(5).duplicateEvery(4).reorderEvery(6)
                .malformedEvery(10);
        await().atMost(WsProbe.TIMEOUT).until(() -> sim.faults().injected().getOrDefault("malformed-frame", 0L) >= 5
                && sim.faults().injected().getOrDefault("reordered", 0L) >= 20);
        sim.close();

        Connection c = only(read(truth), "polygon");
        assertNumberedWithoutGaps(c);
        java.util.Set<String> market = new java.util.HashSet<>();
        Map<String, Long> tagged = new java.util.TreeMap<>();
        for (JsonNode line : c.lines()) {
            JsonNode e = line.get("event");
            String kind = line.has("anomaly") ? line.get("anomaly").asText() : null;
            if (kind != null) tagged.merge(kind, 1L, Long::sum);
            if (line.path("reordered").asBoolean()) tagged.merge("reordered", 1L, Long::sum);
            if (e == null) continue;
            boolean trade = e.get("ev").asText().equals("T");
            String key = e.get("ev").asText() + "/" + e.get("sym").asText() + "/" + e.get("q").asLong() + "/"
                    + (trade ? e.get("i").asText() : e.toString());
            boolean injectedId = trade && Long.parseLong(e.get("i").asText()) >= 1_000_000_000_000_000L;
            if (kind == null) {
                assertThat(market.add(key)).as("market event listed once: %s", line).isTrue();
                assertThat(injectedId).as("market trade id %s", line).isFalse();
            } else if (kind.startsWith("duplicate-")) {
                assertThat(market).as("a duplicate follows its original: %s", line).contains(key);
            } else {
                assertThat(injectedId).as("injected trade has a fresh id: %s", line).isTrue();
            }
        }
        assertThat(tagged.keySet()).contains("outlier", "bad-price-zero", "future-timestamp", "duplicate-trade",
                "duplicate-quote", "reordered", "malformed-frame");
        assertThat(tagged).isEqualTo(new java.util.TreeMap<>(sim.faults().injected()));
    }
}
