package com.systemtrader.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * What a client found in the frames it received, parsed here with Jackson and msgpack-core and classified by
 * looking at the data only (not with the project's decoders, and not with the simulator's ids): the anomaly kinds
 * of {@link Anomaly} per symbol. Also reads the truth file's tagged lines, for comparison.
 */
final class WireAnomalies {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TEST_SYMBOLS = Set.of("ZVZZT", "ZXZZT", "NTEST");
    private static final long FUTURE_MARGIN_MS = 30 * 60_000L;

    /** One data element, the index of the frame that carried it, and its classification (null: plain market data). */
    record Element(JsonNode node, int frame, String kind) {
        String symbol() { return node.has("sym") ? node.get("sym").asText() : node.path("S").asText(); }
    }

    /** One control message (Polygon status, Alpaca success/error/subscription) and its frame index. */
    record Control(JsonNode node, int frame) {}

    private final boolean polygon;
    final List<Element> elements = new ArrayList<>();
    final List<Control> controls = new ArrayList<>();
    /** kind -> symbol -> count, as {@link Faults#injectedBySymbol()} reports it. */
    final Map<String, Map<String, Long>> bySymbol = new TreeMap<>();
    private final Map<String, Double> lastPrice = new HashMap<>();
    private final Set<String> seen = new HashSet<>();

    private WireAnomalies(boolean polygon) {
        this.polygon = polygon;
    }

    /** Parses and classifies every frame, in order. */
    static WireAnomalies of(List<WsProbe.RawFrame> frames, boolean polygon) {
        WireAnomalies w = new WireAnomalies(polygon);
        for (int i = 0; i < frames.size(); i++) w.frame(frames.get(i), i);
        return w;
    }

    /** kind -> total, like {@link Faults#injected()}. */
    Map<String, Long> totals() {
        return totals(bySymbol);
    }

    static Map<String, Long> totals(Map<String, Map<String, Long>> bySymbol) {
        Map<String, Long> out = new TreeMap<>();
        bySymbol.forEach((k, m) -> out.put(k, m.values().stream().mapToLong(Long::longValue).sum()));
        return out;
    }

    /** A sorted copy, so that maps from different sources compare (and print) alike. */
    static Map<String, Map<String, Long>> sorted(Map<String, Map<String, Long>> m) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    private void frame(WsProbe.RawFrame f, int index) {
        JsonNode root;
        try {
            root = f.binary() ? msgpack(f.bytes()) : JSON.readTree(f.bytes());
        } catch (IOException | RuntimeException e) {
            count(Anomaly.MALFORMED_FRAME.label(), InjectedAnomalies.NO_SYMBOL);
            return;
        }
        if (root == null || !root.isArray()) {
            count(Anomaly.MALFORMED_FRAME.label(), InjectedAnomalies.NO_SYMBOL);
            return;
        }
        for (JsonNode e : root) {
            String type = polygon ? e.path("ev").asText() : e.path("T").asText();
            if (type.equals("status") || type.equals("success") || type.equals("error")
                    || type.equals("subscription")) {
                controls.add(new Control(e, index));
                continue;
            }
            Element element = new Element(e, index, classify(e, type));
            elements.add(element);
            if (element.kind() != null) count(element.kind(), element.symbol());
        }
    }

    private String classify(JsonNode e, String type) {
        boolean duplicate = !seen.add(e.toString());
        String symbol = polygon ? e.path("sym").asText() : e.path("S").asText();
        if (type.equals(polygon ? "T" : "t")) {
            if (TEST_SYMBOLS.contains(symbol)) return Anomaly.TEST_SYMBOL.label();
            if (duplicate) return Anomaly.DUPLICATE_TRADE.label();
            double p = e.get("p").asDouble();
            long s = e.get("s").asLong();
            if (p == 0) return Anomaly.BAD_PRICE_ZERO.label();
            if (s == 0) return Anomaly.BAD_SIZE_ZERO.label();
            if (p < 0) return Anomaly.BAD_PRICE_NEGATIVE.label();
            if (timeMs(e) > System.currentTimeMillis() + FUTURE_MARGIN_MS) return Anomaly.FUTURE_TIMESTAMP.label();
            Double last = lastPrice.get(symbol);
            if (last != null && (p > last * 1.4 || p < last * 0.6)) return Anomaly.OUTLIER.label();
            lastPrice.put(symbol, p);
            return null;
        }
        if (type.equals(polygon ? "Q" : "q")) {
            if (duplicate) return Anomaly.DUPLICATE_QUOTE.label();
            double bid = e.get("bp").asDouble();
            double ask = e.get("ap").asDouble();
            if (bid == 0 || ask == 0) return Anomaly.ONE_SIDED_QUOTE.label();
            if (bid > ask) return Anomaly.CROSSED_QUOTE.label();
            if (bid == ask) return Anomaly.LOCKED_QUOTE.label();
            return null;
        }
        return duplicate ? Anomaly.DUPLICATE_OTHER.label() : null;
    }

    private long timeMs(JsonNode e) {
        JsonNode t = e.get("t");
        return t.isNumber() ? t.asLong() : Instant.parse(t.asText()).toEpochMilli();
    }

    private void count(String kind, String symbol) {
        bySymbol.computeIfAbsent(kind, k -> new TreeMap<>()).merge(symbol, 1L, Long::sum);
    }

    /** One MessagePack value (the whole frame), as JSON; timestamps become ISO-8601 text. */
    private static JsonNode msgpack(byte[] bytes) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            JsonNode node = toJson(u.unpackValue());
            if (u.hasNext()) throw new IOException("bytes after the frame's value");
            return node;
        }
    }

    private static JsonNode toJson(Value v) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v.isTimestampValue()) return f.textNode(v.asTimestampValue().toInstant().toString());
        return switch (v.getValueType()) {
            case NIL -> f.nullNode();
            case BOOLEAN -> f.booleanNode(v.asBooleanValue().getBoolean());
            case INTEGER -> f.numberNode(v.asIntegerValue().toLong());
            case FLOAT -> f.numberNode(v.asFloatValue().toDouble());
            case STRING -> f.textNode(v.asStringValue().asString());
            case ARRAY -> {
                ArrayNode a = f.arrayNode();
                for (Value x : v.asArrayValue()) a.add(toJson(x));
                yield a;
            }
            case MAP -> {
                ObjectNode o = f.objectNode();
                for (Map.Entry<Value, Value> en : v.asMapValue().entrySet()) {
                    o.set(en.getKey().asStringValue().asString(), toJson(en.getValue()));
                }
                yield o;
            }
            default -> throw new IOException("unexpected MessagePack value " + v.getValueType());
        };
    }

    // ---- truth file ----

    /** The truth file's tagged lines of connection {@code conn} (any connection when negative): kind -> symbol -> count. */
    static Map<String, Map<String, Long>> truthAnomalies(Path truth, long conn) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (JsonNode line : truthLines(truth)) {
            if (conn >= 0 && line.get("conn").asLong() != conn) continue;
            String kind = line.has("anomaly") ? line.get("anomaly").asText()
                    : line.path("reordered").asBoolean() ? Anomaly.REORDERED.label() : null;
            if (kind == null) continue;
            JsonNode e = line.get("event");
            String symbol = e == null ? InjectedAnomalies.NO_SYMBOL
                    : e.has("sym") ? e.get("sym").asText() : e.get("S").asText();
            out.computeIfAbsent(kind, k -> new TreeMap<>()).merge(symbol, 1L, Long::sum);
        }
        return out;
    }

    static List<JsonNode> truthLines(Path truth) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String text : Files.readAllLines(truth, StandardCharsets.UTF_8)) out.add(JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
