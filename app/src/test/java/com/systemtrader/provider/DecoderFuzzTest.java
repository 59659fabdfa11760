package com.systemtrader.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.JsonOut;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.alpaca.AlpacaDecoder;
import com.systemtrader.simulator.wire.AlpacaEncoder;
import com.systemtrader.provider.alpaca.AlpacaFrameDecoder;
import com.systemtrader.provider.alpaca.AlpacaMsgpackDecoder;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.simulator.wire.PolygonEncoder;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.simulator.market.SyntheticMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ImmutableValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Seeded fuzzing of the three stream decoders (Polygon JSON, Alpaca JSON, Alpaca MessagePack) with valid frames
 * (encoded from the simulator's synthetic market by the project's encoders, plus documented examples) and
 * mutations of them: truncation at every position, byte flips, invalid UTF-8, every field replaced by values of
 * every wrong type, huge and non-finite numbers, removed and duplicated fields, deep nesting, lying msgpack
 * headers, random bytes, spliced frames.
 *
 * <p>Properties, for every input: the only exception leaving {@code decode} is {@link MalformedFrameException}
 * (no NullPointerException, NumberFormatException, StackOverflowError, OutOfMemoryError, Jackson or msgpack
 * exceptions); its message is short, has no cause and never contains frame content (every symbol in the corpus is a
 * canary string); its {@code eventsBefore} equals the elements handed on before the fault (and the return value
 * equals them on success); every event handed on is well formed (required strings present, no infinite number,
 * required prices not NaN, the frame's receive time); and the decoder decodes a known frame correctly right after.
 *
 * <p>{@code -Ddecoder.fuzz.seed=N} changes the seed, {@code -Ddecoder.fuzz.iterations=N} the number of random
 * mutations per decoder (default 12,000; the systematic sweeps always run in full).
 */
class DecoderFuzzTest {
    private static final long SEED = Long.getLong("decoder.fuzz.seed", 20_240_530L);
    private static final int ITERATIONS = Integer.getInteger("decoder.fuzz.iterations", 12_000);
    private static final long RX = 1_717_099_200_500_000_123L;
    /** Every symbol of the corpus starts with this; no error message may contain it. */
    private static final String CANARY = "CNRY";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_REPORTED = 12;

    enum Codec { POLYGON, ALPACA_JSON, ALPACA_MSGPACK }

    /** Valid frames per codec. */
    private static final Map<Codec, List<byte[]>> CORPUS = new EnumMap<>(Codec.class);

    @BeforeAll
    static void buildCorpus() {
        List<MarketEvent> events = syntheticEvents();
        CORPUS.put(Codec.POLYGON, polygonFrames(events));
        CORPUS.put(Codec.ALPACA_JSON, alpacaFrames(events, AlpacaEncoder.json(), ALPACA_EXAMPLES));
        CORPUS.put(Codec.ALPACA_MSGPACK, alpacaFrames(events, AlpacaEncoder.msgpack(), List.of()));
        for (Codec c : Codec.values()) {
            List<byte[]> valid = new ArrayList<>();
            for (byte[] f : CORPUS.get(c)) if (new Fuzzer(c).decodesCleanly(f)) valid.add(f);
            assertThat(valid).as("%s corpus frames that decode cleanly", c).hasSizeGreaterThan(20);
            CORPUS.put(c, valid);
        }
    }

    // ---- the tests ----

    @Test
    void truncationAtEveryPosition() {
        for (Codec c : Codec.values()) {
            Fuzzer fz = new Fuzzer(c);
            List<byte[]> corpus = CORPUS.get(c);
            for (int k = 0; k < 6; k++) {
                byte[] f = corpus.get(k * 7 % corpus.size());
                for (int n = 0; n < f.length; n++) fz.check("truncate@" + n, Arrays.copyOf(f, n));
            }
            fz.assertClean();
        }
    }

    @Test
    void everyFieldWithEveryWrongValue() {
        for (Codec c : new Codec[] {Codec.POLYGON, Codec.ALPACA_JSON}) {
            Fuzzer fz = new Fuzzer(c);
            for (byte[] base : onePerType(c)) {
                ArrayNode frame = (ArrayNode) tree(base);
                for (int e = 0; e < frame.size(); e++) {
                    List<String> keys = new ArrayList<>();
                    frame.get(e).fieldNames().forEachRemaining(keys::add);
                    for (String key : keys) {
                        for (String evil : EVIL_JSON) fz.check("set " + key + "=" + evil, replaceJson(frame, e, key, evil));
                        fz.check("remove " + key, removeJson(frame, e, key));
                        fz.check("duplicate " + key, duplicateJson(frame, e, key));
                    }
                }
            }
            fz.assertClean();
        }
        Fuzzer fz = new Fuzzer(Codec.ALPACA_MSGPACK);
        for (byte[] base : onePerType(Codec.ALPACA_MSGPACK)) {
            List<Value> frame = unpack(base).asArrayValue().list();
            for (int e = 0; e < frame.size(); e++) {
                for (Value key : frame.get(e).asMapValue().keySet()) {
                    for (Value evil : EVIL_MSGPACK) fz.check("set " + key + "=" + evil, replaceMsgpack(frame, e, key, evil));
                    fz.check("remove " + key, replaceMsgpack(frame, e, key, null));
                }
                fz.check("integer key", addMsgpack(frame, e, ValueFactory.newInteger(7), ValueFactory.newString("x")));
                fz.check("binary key", addMsgpack(frame, e, ValueFactory.newBinary(new byte[] {'S'}),
                        ValueFactory.newString("x")));
            }
        }
        fz.assertClean();
    }

    @Test
    void randomMutations() {
        for (Codec c : Codec.values()) {
            Fuzzer fz = new Fuzzer(c);
            Random rnd = new Random(SEED ^ c.ordinal());
            List<byte[]> corpus = CORPUS.get(c);
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] base = corpus.get(rnd.nextInt(corpus.size()));
                int kind = rnd.nextInt(7);
                byte[] f = switch (kind) {
                    case 0 -> flipBytes(base, rnd, 1 + rnd.nextInt(4));
                    case 1 -> insert(base, rnd, INVALID_UTF8[rnd.nextInt(INVALID_UTF8.length)]);
                    case 2 -> c == Codec.ALPACA_MSGPACK ? flipBytes(base, rnd, 1) : insert(base, rnd, utf8(
                            JSON_TOKENS[rnd.nextInt(JSON_TOKENS.length)]));
                    case 3 -> splice(base, corpus.get(rnd.nextInt(corpus.size())), rnd);
                    case 4 -> randomBytes(rnd, c);
                    case 5 -> Arrays.copyOf(base, rnd.nextInt(base.length + 1));
                    default -> c == Codec.ALPACA_MSGPACK ? randomMsgpackValue(base, rnd) : randomJsonValue(base, rnd);
                };
                fz.check("seed " + SEED + " iteration " + i + " mutation " + kind, f);
            }
            fz.assertClean();
        }
    }

    @Test
    void shapesAndNesting() {
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        List<String> json = List.of("", " ", "\uFEFF[]", "[]", "{}", "[{}]", "[[]]", "[1]", "[null]", "[\"x\"]",
                "1", "-1", "1e400", "\"" + CANARY + "\"", "true", "null", "NaN", "Infinity", "[NaN]", "[]]", "[[",
                "[{}]x", "[{}][{}]", "[{},]", "[,{}]", "{\"a\"}", "{\"a\":}", "[{\"ev\":null}]", "[{\"T\":null}]",
                "[{\"ev\":\"" + CANARY + "Z\",\"sym\":\"" + CANARY + "\"}]", "[{\"T\":\"" + CANARY + "z\"}]",
                "[{\"ev\":[]},{\"T\":{}}]", deepArrays, "[" + deepArrays + "]", deepObjects, "[" + deepObjects + "]",
                "[{\"ev\":\"T\",\"c\":" + deepArrays + "}]", "[{\"T\":\"t\",\"c\":" + deepArrays + "}]",
                "[{\"ev\":\"T\",\"x\":" + deepObjects + "}]", "[".repeat(100_000),
                "[{\"ev\":\"T\",\"sym\":\"" + CANARY + "\",\"i\":\"" + "9".repeat(200_000) + "\"}]",
                "[{\"ev\":\"T\",\"p\":" + "9".repeat(5_000) + "}]", "[{\"T\":\"t\",\"p\":" + "9".repeat(5_000) + "}]",
                "[{\"ev\":\"T\",\"p\":0." + "0".repeat(5_000) + "1}]");
        for (Codec c : new Codec[] {Codec.POLYGON, Codec.ALPACA_JSON}) {
            Fuzzer fz = new Fuzzer(c);
            for (String s : json) fz.check("shape " + abbreviate(s), utf8(s));
            fz.assertClean();
        }
        Fuzzer fz = new Fuzzer(Codec.ALPACA_MSGPACK);
        List<byte[]> msgpack = new ArrayList<>();
        msgpack.add(new byte[0]);
        msgpack.add(new byte[] {(byte) 0xc0});
        msgpack.add(new byte[] {(byte) 0x90});
        msgpack.add(new byte[] {(byte) 0x80});
        msgpack.add(new byte[] {(byte) 0x91, (byte) 0x80});
        msgpack.add(new byte[] {(byte) 0xc1});
        msgpack.add(bytes(0xdd, 0x7f, 0xff, 0xff, 0xff)); // array32 of 2^31-1 elements
        msgpack.add(bytes(0xdd, 0xff, 0xff, 0xff, 0xff)); // array32 of 2^32-1 elements
        msgpack.add(bytes(0x91, 0xdf, 0x7f, 0xff, 0xff, 0xff)); // map32 of 2^31-1 entries
        msgpack.add(bytes(0x91, 0x81, 0xdb, 0x7f, 0xff, 0xff, 0xf0)); // key: str32 of ~2 GB
        msgpack.add(bytes(0x91, 0x82, 0xa1, 'T', 0xa1, 't', 0xa1, 'S', 0xdb, 0x7f, 0xff, 0xff, 0xf0)); // value str32 ~2 GB
        msgpack.add(bytes(0x91, 0x81, 0xa1, 'c', 0x91, 0xdb, 0x40, 0x00, 0x00, 0x00)); // array element str32 1 GB
        msgpack.add(bytes(0x91, 0x81, 0xa1, 't', 0xc9, 0x7f, 0xff, 0xff, 0xff, 0xff)); // ext32 of ~2 GB
        msgpack.add(bytes(0x91, 0x81, 0xa1, 't', 0xc7, 0x0c, 0xff, 0x00)); // timestamp ext, payload missing
        msgpack.add(bytes(0x91, 0x81, 0xa1, 'i', 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)); // uint64 max
        byte[] deep = new byte[20_001];
        Arrays.fill(deep, 0, 20_000, (byte) 0x91);
        deep[20_000] = (byte) 0xc0;
        msgpack.add(deep);
        byte[] deepField = new byte[10_006];
        System.arraycopy(bytes(0x91, 0x81, 0xa1, 'c'), 0, deepField, 0, 4);
        Arrays.fill(deepField, 4, 10_005, (byte) 0x91);
        deepField[10_005] = (byte) 0xc0;
        msgpack.add(deepField);
        byte[] deepMaps = new byte[10_001];
        Arrays.fill(deepMaps, 0, 10_000, (byte) 0x81);
        msgpack.add(deepMaps);
        for (byte[] b : msgpack) fz.check("shape " + Base64.getEncoder().encodeToString(abbreviate(b)), b);
        fz.assertClean();
    }

    /**
     * Key order, escaped keys, whitespace and unknown keys change nothing: the decoders predict each key from the one
     * before it (per message type), so frames whose order keeps changing must still decode to the same events.
     */
    @Test
    void keyOrderEscapesWhitespaceAndUnknownKeysChangeNothing() {
        for (Codec c : Codec.values()) {
            Random rnd = new Random(SEED * 31 + c.ordinal());
            Decoder reference = newDecoder(c);
            Decoder shuffled = newDecoder(c);
            List<byte[]> corpus = CORPUS.get(c);
            for (int i = 0; i < corpus.size() * 4; i++) {
                byte[] base = corpus.get(i % corpus.size());
                byte[] variant = c == Codec.ALPACA_MSGPACK ? reorderMsgpack(base, rnd) : reorderJson(base, rnd);
                assertThat(events(shuffled, variant)).as("%s variant %s of %s", c, new String(variant,
                        StandardCharsets.UTF_8), new String(base, StandardCharsets.UTF_8)).isEqualTo(events(reference, base));
            }
        }
    }

    private static List<String> events(Decoder d, byte[] frame) {
        List<String> out = new ArrayList<>();
        FrameHandler h = new FrameHandler() {
            @Override public void onEvent(MarketEvent e) { out.add(e.toString()); }

            @Override public void onControl(ControlMessage m) { out.add(m.toString()); }

            @Override public void onUnknown(String type) { out.add("unknown " + type); }
        };
        try {
            d.decode(frame, 0, frame.length, RX, h);
        } catch (MalformedFrameException e) {
            out.add("malformed: " + e.getMessage());
        }
        return out;
    }

    private static byte[] reorderJson(byte[] base, Random rnd) {
        StringBuilder sb = new StringBuilder("[");
        JsonNode frame = tree(base);
        for (int e = 0; e < frame.size(); e++) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            frame.get(e).fields().forEachRemaining(fields::add);
            if (rnd.nextInt(3) > 0) java.util.Collections.shuffle(fields, rnd);
            if (e > 0) sb.append(',');
            sb.append(rnd.nextBoolean() ? "{" : " {\n ");
            boolean first = true;
            for (Map.Entry<String, JsonNode> f : fields) {
                if (!first) sb.append(rnd.nextInt(4) == 0 ? " ,\t" : ",");
                first = false;
                if (rnd.nextInt(5) == 0) sb.append("\"zz").append(rnd.nextInt(9)).append("\":{\"a\":[1,{\"b\":\"x\"}]},");
                String key = f.getKey();
                String written = rnd.nextInt(6) == 0 ? String.format("\\u%04x", (int) key.charAt(0)) + key.substring(1) : key;
                sb.append('"').append(written).append('"').append(rnd.nextBoolean() ? ":" : " : ").append(f.getValue());
            }
            sb.append('}');
        }
        return utf8(sb.append(']').toString());
    }

    private static byte[] reorderMsgpack(byte[] base, Random rnd) {
        List<Value> out = new ArrayList<>();
        for (Value el : unpack(base).asArrayValue()) {
            List<Map.Entry<Value, Value>> fields = new ArrayList<>(el.asMapValue().entrySet());
            if (rnd.nextInt(3) > 0) java.util.Collections.shuffle(fields, rnd);
            List<Value> kv = new ArrayList<>();
            for (Map.Entry<Value, Value> f : fields) {
                if (rnd.nextInt(5) == 0) {
                    kv.add(ValueFactory.newString("zz" + rnd.nextInt(9)));
                    kv.add(ValueFactory.newArray(ValueFactory.newInteger(1), ValueFactory.newMap(new Value[0])));
                }
                kv.add(f.getKey());
                kv.add(f.getValue());
            }
            out.add(ValueFactory.newMap(kv.toArray(new Value[0])));
        }
        return packArray(out);
    }

    @Test
    void numericBoundariesAreRejectedOrExactNeverWrapped() throws Exception {
        // an integer beyond a long, an epoch time beyond year 2262 in ns, a non-finite price: MalformedFrameException
        String[] polygon = {
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":9223372036854775808,\"t\":1}]",
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":-9223372036854775809,\"t\":1}]",
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":1e19,\"t\":1}]",
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1e400,\"s\":1,\"t\":1}]",
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":-1e400,\"s\":1,\"t\":1}]",
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":1,\"t\":9223372036854776}]",
                "[{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"bp\":1e400}]",
                "[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":1,\"t\":1,\"c\":[4294967296]}]",
                "[{\"ev\":\"LULD\",\"T\":\"A\",\"h\":1,\"l\":1,\"t\":-9223372036854775808}]"};
        String[] alpaca = {
                "[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":9223372036854775808,\"t\":\"2024-05-30T19:59:59Z\"}]",
                "[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1e400,\"s\":1,\"t\":\"2024-05-30T19:59:59Z\"}]",
                "[{\"T\":\"q\",\"S\":\"A\",\"bp\":-1e400,\"t\":\"2024-05-30T19:59:59Z\"}]",
                "[{\"T\":\"b\",\"S\":\"A\",\"o\":1,\"h\":1,\"l\":1,\"c\":1e400,\"v\":1,\"t\":\"2024-05-30T19:59:59Z\"}]",
                "[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1,\"c\":1e400,\"t\":\"2024-05-30T19:59:59Z\"}]",
                "[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1,\"t\":\"2263-01-01T00:00:00Z\"}]",
                "[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1,\"t\":\"9999-12-31T23:59:59.999999999Z\"}]",
                "[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1,\"t\":\"1677-09-21T00:12:43Z\"}]"};
        for (String s : polygon) assertRejected(Codec.POLYGON, s);
        for (String s : alpaca) assertRejected(Codec.ALPACA_JSON, s);
        for (String s : alpaca) assertRejected(Codec.ALPACA_MSGPACK, s);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (String key : new String[] {"p", "bp", "ap", "c", "o", "vw"}) {
                String type = key.equals("p") ? "t" : key.startsWith("b") || key.startsWith("a") ? "q" : "b";
                byte[] f = packElement(type, key, ValueFactory.newFloat(bad));
                assertThat(decodeError(Codec.ALPACA_MSGPACK, f)).as("%s=%s in T=%s", key, bad, type)
                        .isNotNull().hasMessageContaining("'" + key + "' is out of range");
            }
        }
        // the extremes that do fit are carried exactly, not rejected or rounded
        Fuzzer fz = new Fuzzer(Codec.POLYGON);
        fz.check("long max", utf8("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":9223372036854775807,\"t\":1}]"));
        fz.assertClean();
        assertThat(((Trade) fz.lastEvents.getFirst()).size()).isEqualTo(Long.MAX_VALUE);
        Fuzzer az = new Fuzzer(Codec.ALPACA_JSON);
        az.check("long min id", utf8("[{\"T\":\"t\",\"S\":\"A\",\"i\":-9223372036854775808,\"p\":1,\"s\":1,"
                + "\"t\":\"2262-04-11T23:47:16.854775807Z\"}]"));
        az.assertClean();
        Trade t = (Trade) az.lastEvents.getFirst();
        assertThat(t.tradeId()).isEqualTo("-9223372036854775808");
        assertThat(t.eventTimeNs()).isEqualTo(Long.MAX_VALUE);
        // finite but implausible values are the cleaner's to judge: passed on unchanged
        az.check("negative price", utf8("[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":-5,\"s\":0,\"t\":\"2024-05-30T19:59:59Z\"}]"));
        az.assertClean();
        assertThat(((Trade) az.lastEvents.getFirst()).price()).isEqualTo(-5.0);
    }

    private static void assertRejected(Codec c, String json) throws IOException {
        byte[] f = c == Codec.ALPACA_MSGPACK ? msgpackOf(tree(utf8(json))) : utf8(json);
        assertThat(decodeError(c, f)).as("%s %s", c, json).isNotNull();
        Fuzzer fz = new Fuzzer(c);
        fz.check(json, f);
        fz.assertClean();
    }

    private static MalformedFrameException decodeError(Codec c, byte[] f) {
        try {
            new Fuzzer(c).decoder.decode(f, 0, f.length, RX, new Fuzzer.Checker(c));
            return null;
        } catch (MalformedFrameException e) {
            return e;
        }
    }

    // ---- the property checker ----

    /** One decoder under test, the properties, and the failures found (reported together at the end). */
    static final class Fuzzer {
        final Codec codec;
        final Decoder decoder;
        final Decoder referenceDecoder;
        final byte[] known;
        final List<String> knownEvents;
        final List<String> failures = new ArrayList<>();
        List<MarketEvent> lastEvents = List.of();
        int checks;
        int malformed;

        Fuzzer(Codec codec) {
            this.codec = codec;
            this.decoder = newDecoder(codec);
            this.referenceDecoder = newDecoder(codec);
            List<byte[]> corpus = CORPUS.get(codec);
            this.known = corpus == null || corpus.isEmpty() ? null : corpus.getFirst();
            this.knownEvents = known == null ? null : describe(referenceDecoder, known);
        }

        boolean decodesCleanly(byte[] frame) {
            try {
                decoder.decode(frame, 0, frame.length, RX, new Checker(codec));
                return true;
            } catch (MalformedFrameException | AssertionError e) {
                return false;
            }
        }

        void check(String what, byte[] frame) {
            checks++;
            Checker h = new Checker(codec);
            try {
                int n = decoder.decode(frame, 0, frame.length, RX, h);
                if (n != h.elements) fail(what, frame, "returned " + n + " but handed on " + h.elements);
            } catch (MalformedFrameException e) {
                malformed++;
                String m = String.valueOf(e.getMessage());
                if (m.contains(CANARY) || m.contains("\"") || m.contains("{") || m.length() > 160) {
                    fail(what, frame, "message may quote the frame: " + m);
                }
                if (e.getCause() != null) fail(what, frame, "has a cause (which may quote the frame): " + e.getCause());
                if (e.eventsBefore() != h.elements) {
                    fail(what, frame, "eventsBefore " + e.eventsBefore() + " but " + h.elements + " were handed on");
                }
            } catch (AssertionError e) {
                fail(what, frame, "ill-formed event: " + e.getMessage());
            } catch (Throwable t) { // the property: nothing else may escape, Errors included
                fail(what, frame, "escaped: " + t);
            }
            lastEvents = h.events;
            if (known != null && !describe(decoder, known).equals(knownEvents)) {
                fail(what, frame, "the decoder decodes a known frame differently afterwards");
            }
        }

        private List<String> describe(Decoder d, byte[] frame) {
            Checker h = new Checker(codec);
            try {
                d.decode(frame, 0, frame.length, RX, h);
            } catch (MalformedFrameException e) {
                return List.of("malformed: " + e.getMessage());
            }
            return h.events.stream().map(Object::toString).toList();
        }

        private void fail(String what, byte[] frame, String problem) {
            if (failures.size() < MAX_REPORTED) {
                failures.add(codec + " [" + what + "] " + problem + "\n    frame (base64): "
                        + Base64.getEncoder().encodeToString(abbreviate(frame)));
            } else if (failures.size() == MAX_REPORTED) {
                failures.add("... more failures not shown");
            }
        }

        void assertClean() {
            System.out.printf("DecoderFuzzTest %s: %,d inputs, %,d malformed, %d failures%n", codec, checks, malformed,
                    failures.size());
            assertThat(failures).as("decoder property violations (seed %d)", SEED).isEmpty();
        }

        /** Checks every event as it is handed on; counts elements. */
        static final class Checker implements FrameHandler {
            private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
            final Codec codec;
            final List<MarketEvent> events = new ArrayList<>();
            int elements;

            Checker(Codec codec) { this.codec = codec; }

            @Override public void onEvent(MarketEvent e) {
                elements++;
                events.add(e);
                DataSource want = codec == Codec.POLYGON ? DataSource.POLYGON : DataSource.ALPACA;
                if (e.source() != want) throw new AssertionError("source " + e.source());
                if (e.symbol() == null || e.symbol().isEmpty()) throw new AssertionError("no symbol in " + e);
                if (e.receiveTimeNs() != RX) throw new AssertionError("receive time " + e.receiveTimeNs());
                for (RecordComponent rc : COMPONENTS.computeIfAbsent(e.getClass(), Class::getRecordComponents)) {
                    Object v = value(rc, e);
                    if (v == null && !(rc.getName().equals("tradeId") && codec == Codec.POLYGON)) {
                        throw new AssertionError(rc.getName() + " is null in " + e.getClass().getSimpleName());
                    }
                    if (v instanceof Double d && d.isInfinite()) {
                        throw new AssertionError(rc.getName() + " is infinite in " + e.getClass().getSimpleName());
                    }
                }
                double[] required = switch (e) {
                    case Trade t -> new double[] {t.price()};
                    case Bar b -> new double[] {b.open(), b.high(), b.low(), b.close()};
                    case LuldBand l -> new double[] {l.limitUp(), l.limitDown()};
                    case TradeCancel x -> new double[] {x.price()};
                    case TradeCorrection c -> new double[] {c.originalPrice(), c.correctedPrice()};
                    default -> new double[0];
                };
                for (double d : required) if (Double.isNaN(d)) throw new AssertionError("required price NaN in " + e);
            }

            @Override public void onControl(ControlMessage message) {
                elements++;
                if (message == null) throw new AssertionError("null control message");
            }

            @Override public void onUnknown(String type) {
                elements++;
                if (type == null) throw new AssertionError("null unknown type");
            }

            private static Object value(RecordComponent rc, Object record) {
                try {
                    return rc.getAccessor().invoke(record);
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    /** The decoders' common shape (Polygon's has no interface of its own). */
    interface Decoder {
        int decode(byte[] buf, int off, int len, long rx, FrameHandler h) throws MalformedFrameException;
    }

    private static Decoder newDecoder(Codec c) {
        return switch (c) {
            case POLYGON -> new PolygonDecoder(new SymbolTable())::decode;
            case ALPACA_JSON -> alpaca(new AlpacaDecoder(new SymbolTable()));
            case ALPACA_MSGPACK -> alpaca(new AlpacaMsgpackDecoder(new SymbolTable()));
        };
    }

    private static Decoder alpaca(AlpacaFrameDecoder d) {
        return d::decode;
    }

    // ---- corpus ----

    private static List<MarketEvent> syntheticEvents() {
        MarketConfig market = new MarketConfig(SEED, List.of(CANARY + "A", CANARY + "B.C", CANARY + "DEF"), 100, 0,
                100, 60, false);
        SyntheticMarket m = new SyntheticMarket(market, 1_717_099_200_000_000_000L);
        List<MarketEvent> out = new ArrayList<>();
        long t = 1_717_099_200_000_000_000L;
        for (int i = 0; i < 400; i++) {
            t += 7_000_000L;
            m.step(t, 25, out);
        }
        return out;
    }

    private static List<byte[]> polygonFrames(List<MarketEvent> events) {
        List<byte[]> frames = new ArrayList<>();
        JsonOut out = new JsonOut(1 << 16);
        List<MarketEvent> batch = new ArrayList<>();
        Random rnd = new Random(SEED);
        for (MarketEvent e : events) {
            out.reset();
            try {
                PolygonEncoder.writeEvent(e, out); // skips what Polygon does not stream
            } catch (IllegalArgumentException notOnPolygon) {
                continue;
            }
            batch.add(e);
            if (batch.size() >= 1 + rnd.nextInt(12)) {
                out.reset();
                PolygonEncoder.writeFrame(batch, out);
                frames.add(out.toByteArray());
                batch.clear();
            }
        }
        for (String s : POLYGON_EXAMPLES) frames.add(utf8(s));
        return frames;
    }

    private static List<byte[]> alpacaFrames(List<MarketEvent> events, AlpacaEncoder enc, List<String> examples) {
        List<byte[]> frames = new ArrayList<>();
        List<MarketEvent> batch = new ArrayList<>();
        Random rnd = new Random(SEED + 1);
        for (MarketEvent e : events) {
            try {
                enc.frame(e);
            } catch (RuntimeException notEncodable) {
                continue;
            }
            batch.add(e);
            if (batch.size() >= 1 + rnd.nextInt(12)) {
                frames.add(enc.frame(batch));
                batch.clear();
            }
        }
        for (String s : examples) frames.add(utf8(s));
        return frames;
    }

    /** Small frames, one per element type found in the corpus, for the systematic sweeps. */
    private static List<byte[]> onePerType(Codec c) {
        Map<String, byte[]> byType = new java.util.LinkedHashMap<>();
        for (byte[] f : CORPUS.get(c)) {
            if (c == Codec.ALPACA_MSGPACK) {
                List<Value> elements = unpack(f).asArrayValue().list();
                for (Value el : elements) {
                    String type = String.valueOf(el.asMapValue().map().get(ValueFactory.newString("T")));
                    byType.putIfAbsent(type, packArray(List.of(el)));
                }
            } else {
                for (JsonNode el : tree(f)) {
                    String type = el.path(c == Codec.POLYGON ? "ev" : "T").asText();
                    byType.putIfAbsent(type, utf8("[" + el + "]"));
                }
            }
        }
        assertThat(byType.size()).as("%s element types in the corpus", c).isGreaterThanOrEqualTo(5);
        return List.copyOf(byType.values());
    }

    private static final List<String> POLYGON_EXAMPLES = List.of(
            "[{\"ev\":\"T\",\"sym\":\"CNRYA\",\"x\":4,\"i\":\"71675577320245\",\"z\":3,\"p\":189.4312,\"s\":25,"
                    + "\"c\":[12,37],\"t\":1717099200123,\"q\":4502211,\"trfi\":202,\"trft\":1717099200121}]",
            "[{\"ev\":\"Q\",\"sym\":\"CNRYM\",\"bx\":11,\"bp\":415.12,\"bs\":3,\"ax\":12,\"ap\":415.15,\"as\":2,\"c\":1,"
                    + "\"i\":[604],\"t\":1717099200452,\"q\":98211020,\"z\":3}]",
            "[{\"ev\":\"AM\",\"sym\":\"CNRYA\",\"v\":182311,\"av\":23110450,\"op\":188.96,\"vw\":189.4127,\"o\":189.38,"
                    + "\"c\":189.45,\"h\":189.52,\"l\":189.31,\"a\":189.0551,\"z\":94,\"s\":1717099140000,"
                    + "\"e\":1717099200000}]",
            "[{\"ev\":\"A\",\"sym\":\"CNRYG\",\"v\":300,\"av\":5100,\"op\":0.41,\"vw\":0.4213,\"o\":0.42,\"c\":0.425,"
                    + "\"h\":0.43,\"l\":0.415,\"a\":0.4188,\"z\":100,\"s\":1717099199000,\"e\":1717099200000,\"otc\":true}]",
            "[{\"ev\":\"LULD\",\"T\":\"CNRYM\",\"h\":218.96,\"l\":198.11,\"i\":[21],\"z\":3,\"t\":1601316752683746,"
                    + "\"q\":290317}]",
            "[{\"ev\":\"NOI\",\"T\":\"CNRYN.Q\",\"t\":1601318039223013600,\"at\":930,\"a\":\"M\",\"i\":44,\"x\":10,"
                    + "\"o\":480,\"p\":440,\"b\":25.03}]",
            "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.CNRYA\"}]",
            "[{\"ev\":\"FMV\",\"sym\":\"CNRYA\",\"fmv\":189.1,\"t\":1717099200000}]");

    private static final List<String> ALPACA_EXAMPLES = List.of(
            "[{\"T\":\"t\",\"S\":\"CNRYA\",\"i\":52983525029461,\"x\":\"V\",\"p\":189.43,\"s\":100,\"c\":[\"@\",\"T\","
                    + "\"I\"],\"z\":\"C\",\"t\":\"2024-05-30T19:59:59.871624704Z\"}]",
            "[{\"T\":\"s\",\"S\":\"CNRYG\",\"sc\":\"2\",\"sm\":\"Trading Halt\",\"rc\":\"M\",\"rm\":\"LULD pause\","
                    + "\"t\":\"2024-05-30T14:02:11.531Z\",\"z\":\"A\"}]",
            "[{\"T\":\"l\",\"S\":\"CNRYI\",\"u\":3.24,\"d\":2.65,\"i\":\"B\",\"t\":\"2024-05-30T13:34:45.565004401Z\","
                    + "\"z\":\"C\"}]",
            "[{\"T\":\"c\",\"S\":\"CNRYE\",\"x\":\"M\",\"oi\":52983525033527,\"op\":39.1582,\"os\":440000,\"oc\":[\" \","
                    + "\"7\"],\"ci\":52983525034326,\"cp\":39.1809,\"cs\":440000,\"cc\":[\" \",\"7\"],\"z\":\"B\","
                    + "\"t\":\"2023-04-06T14:25:06.542305024Z\"}]",
            "[{\"T\":\"x\",\"S\":\"CNRYG\",\"i\":465,\"x\":\"D\",\"p\":105.31,\"s\":300,\"a\":\"C\",\"z\":\"C\","
                    + "\"t\":\"2023-04-06T13:15:42.83540958Z\"}]",
            "[{\"T\":\"success\",\"msg\":\"authenticated\"}]",
            "[{\"T\":\"error\",\"code\":406,\"msg\":\"connection limit exceeded\"}]",
            "[{\"T\":\"subscription\",\"trades\":[\"CNRYA\"],\"quotes\":[\"CNRYB\"],\"bars\":[\"*\"]}]",
            "[{\"T\":\"news\",\"S\":\"CNRYA\"}]");

    // ---- mutations ----

    /** Values of every kind for every field: wrong types, huge and non-finite numbers, invalid JSON numbers. */
    private static final List<String> EVIL_JSON = List.of("\"x\"", "\"\"", "\"" + CANARY + "\\u0000\"", "\"NaN\"",
            "\"1.5\"", "\"2024-13-45T99:99:99Z\"", "\"9999-12-31T23:59:59Z\"", "1", "0", "-1", "1.5", "-0.0",
            "1e400", "-1e400", "1e-400", "99999999999999999999999", "-99999999999999999999999", "9223372036854775808",
            "-9223372036854775809", "9223372036854775807", "1e19", "4294967296", "2147483648", "NaN", "Infinity",
            "-Infinity", "true", "false", "null", "{}", "{\"a\":[1,{\"b\":2}]}", "[]", "[1]", "[1.5]", "[\"x\"]",
            "[\"\"]", "[\"xy\"]", "[null]", "[[1]]", "[{}]", "[99999999999999999999999]", "[1e400]");

    private static final List<Value> EVIL_MSGPACK = List.of(ValueFactory.newString("x"), ValueFactory.newString(""),
            ValueFactory.newString("xy"), ValueFactory.newString(CANARY), ValueFactory.newString("9999-12-31T23:59:59Z"),
            ValueFactory.newString(new byte[] {(byte) 0xff, (byte) 0xc3, 0x28}), ValueFactory.newInteger(0),
            ValueFactory.newInteger(-1), ValueFactory.newInteger(Long.MAX_VALUE), ValueFactory.newInteger(Long.MIN_VALUE),
            ValueFactory.newInteger(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)), ValueFactory.newFloat(1.5),
            ValueFactory.newFloat(Double.NaN), ValueFactory.newFloat(Double.POSITIVE_INFINITY),
            ValueFactory.newFloat(Double.NEGATIVE_INFINITY), ValueFactory.newFloat(1e300), ValueFactory.newNil(),
            ValueFactory.newBoolean(true), ValueFactory.newArray(), ValueFactory.newArray(ValueFactory.newInteger(1)),
            ValueFactory.newArray(ValueFactory.newString("x"), ValueFactory.newArray(ValueFactory.newString("y"))),
            ValueFactory.newArray(ValueFactory.newString("xy")), ValueFactory.newMap(new Value[0]),
            ValueFactory.newMap(ValueFactory.newString("a"), ValueFactory.newArray()),
            ValueFactory.newBinary(new byte[] {1, 2, 3}), ValueFactory.newExtension((byte) 5, new byte[] {1, 2}),
            ValueFactory.newExtension((byte) -1, new byte[] {1, 2, 3}),
            ValueFactory.newExtension((byte) -1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1}),
            ValueFactory.newExtension((byte) -1, timestamp96(0x7fff_ffff_ffff_ffffL, 0)),
            ValueFactory.newExtension((byte) -1, timestamp96(Long.MIN_VALUE, 0)),
            ValueFactory.newExtension((byte) -1, timestamp96(1_717_099_200L, 1_500_000_000)),
            ValueFactory.newExtension((byte) -1, timestamp96(-1, 999_999_999)));

    private static final byte[][] INVALID_UTF8 = {bytes(0xff), bytes(0xc3, 0x28), bytes(0xe2, 0x28, 0xa1),
            bytes(0xed, 0xa0, 0x80), bytes(0xf8, 0x88, 0x80, 0x80, 0x80), bytes(0xc0, 0x80), bytes(0xf0, 0x90, 0x80),
            bytes(0x80), bytes(0x00), bytes('\\'), bytes('\\', 'u', 'd', '8', '0', '0')};

    private static final String[] JSON_TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "1", "-", ".", "e", "e400",
            "null", "NaN", "\"" + CANARY + "\"", ",\"ev\":\"T\"", ",\"T\":\"t\"", "[[[[[[", "]]]]", "{\"a\":{", "\\"};

    private static final String FLIP_CHARS = "{}[],:\"0123456789.-eE \\";

    private static byte[] flipBytes(byte[] base, Random rnd, int n) {
        byte[] f = base.clone();
        if (f.length == 0) return f;
        for (int i = 0; i < n; i++) {
            int at = rnd.nextInt(f.length);
            f[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) FLIP_CHARS.charAt(rnd.nextInt(FLIP_CHARS.length()));
        }
        return f;
    }

    private static byte[] insert(byte[] base, Random rnd, byte[] what) {
        int at = rnd.nextInt(base.length + 1);
        // half of the time just after a quote, i.e. inside a string or a key
        if (rnd.nextBoolean()) {
            for (int i = at; i < base.length; i++) {
                if (base[i] == '"') {
                    at = i + 1;
                    break;
                }
            }
        }
        byte[] f = new byte[base.length + what.length];
        System.arraycopy(base, 0, f, 0, at);
        System.arraycopy(what, 0, f, at, what.length);
        System.arraycopy(base, at, f, at + what.length, base.length - at);
        return f;
    }

    private static byte[] splice(byte[] a, byte[] b, Random rnd) {
        int i = rnd.nextInt(a.length + 1);
        int j = rnd.nextInt(b.length + 1);
        byte[] f = Arrays.copyOf(a, i + b.length - j);
        System.arraycopy(b, j, f, i, b.length - j);
        return f;
    }

    private static byte[] randomBytes(Random rnd, Codec c) {
        byte[] f = new byte[rnd.nextInt(120)];
        if (c == Codec.ALPACA_MSGPACK || rnd.nextBoolean()) {
            rnd.nextBytes(f);
            if (c == Codec.ALPACA_MSGPACK && f.length > 0 && rnd.nextBoolean()) f[0] = (byte) (0x90 | rnd.nextInt(16));
        } else {
            String alphabet = "{}[],:\"0123456789.-eE tfnrualsTvp";
            for (int i = 0; i < f.length; i++) f[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        return f;
    }

    private static byte[] randomJsonValue(byte[] base, Random rnd) {
        ArrayNode frame = (ArrayNode) tree(base);
        int e = rnd.nextInt(frame.size());
        List<String> keys = new ArrayList<>();
        frame.get(e).fieldNames().forEachRemaining(keys::add);
        return replaceJson(frame, e, keys.get(rnd.nextInt(keys.size())), EVIL_JSON.get(rnd.nextInt(EVIL_JSON.size())));
    }

    private static byte[] randomMsgpackValue(byte[] base, Random rnd) {
        List<Value> frame = unpack(base).asArrayValue().list();
        int e = rnd.nextInt(frame.size());
        List<Value> keys = new ArrayList<>(frame.get(e).asMapValue().keySet());
        return replaceMsgpack(frame, e, keys.get(rnd.nextInt(keys.size())),
                EVIL_MSGPACK.get(rnd.nextInt(EVIL_MSGPACK.size())));
    }

    /** The frame with element {@code e}'s {@code key} set to the raw JSON text {@code evil} (which may be invalid). */
    private static byte[] replaceJson(ArrayNode frame, int e, String key, String evil) {
        ArrayNode copy = frame.deepCopy();
        String marker = "@@EVIL@@";
        ((ObjectNode) copy.get(e)).put(key, marker);
        return utf8(copy.toString().replace("\"" + marker + "\"", evil));
    }

    private static byte[] removeJson(ArrayNode frame, int e, String key) {
        ArrayNode copy = frame.deepCopy();
        ((ObjectNode) copy.get(e)).remove(key);
        return utf8(copy.toString());
    }

    private static byte[] duplicateJson(ArrayNode frame, int e, String key) {
        String el = frame.get(e).toString();
        String dup = el.substring(0, el.length() - 1) + ",\"" + key + "\":" + frame.get(e).get(key) + "}";
        ArrayNode copy = frame.deepCopy();
        String marker = "@@DUP@@";
        copy.set(e, MAPPER.getNodeFactory().textNode(marker));
        return utf8(copy.toString().replace("\"" + marker + "\"", dup));
    }

    /** The frame with element {@code e}'s {@code key} set to {@code evil}, or removed when it is null. */
    private static byte[] replaceMsgpack(List<Value> frame, int e, Value key, Value evil) {
        List<Value> copy = new ArrayList<>(frame);
        List<Value> kv = new ArrayList<>();
        for (Map.Entry<Value, Value> entry : frame.get(e).asMapValue().entrySet()) {
            if (!entry.getKey().equals(key)) {
                kv.add(entry.getKey());
                kv.add(entry.getValue());
            } else if (evil != null) {
                kv.add(entry.getKey());
                kv.add(evil);
            }
        }
        copy.set(e, ValueFactory.newMap(kv.toArray(new Value[0])));
        return packArray(copy);
    }

    private static byte[] addMsgpack(List<Value> frame, int e, Value key, Value value) {
        List<Value> copy = new ArrayList<>(frame);
        MapValue m = frame.get(e).asMapValue();
        List<Value> kv = new ArrayList<>();
        kv.add(key);
        kv.add(value);
        for (Map.Entry<Value, Value> entry : m.entrySet()) {
            kv.add(entry.getKey());
            kv.add(entry.getValue());
        }
        copy.set(e, ValueFactory.newMap(kv.toArray(new Value[0])));
        return packArray(copy);
    }

    /** One Alpaca element {T: type, S, t, key: value} as msgpack. */
    private static byte[] packElement(String type, String key, Value value) {
        List<Value> kv = new ArrayList<>(List.of(ValueFactory.newString("T"), ValueFactory.newString(type),
                ValueFactory.newString("S"), ValueFactory.newString("A"), ValueFactory.newString("t"),
                ValueFactory.newExtension((byte) -1, timestamp96(1_717_099_200L, 0)), ValueFactory.newString("i"),
                ValueFactory.newInteger(1), ValueFactory.newString("s"), ValueFactory.newInteger(1),
                ValueFactory.newString("v"), ValueFactory.newInteger(1), ValueFactory.newString("bs"),
                ValueFactory.newInteger(1), ValueFactory.newString("as"), ValueFactory.newInteger(1)));
        for (String price : new String[] {"p", "o", "h", "l", "c", "bp", "ap"}) {
            if (!price.equals(key)) {
                kv.add(ValueFactory.newString(price));
                kv.add(ValueFactory.newFloat(1.5));
            }
        }
        kv.add(ValueFactory.newString(key));
        kv.add(value);
        return packArray(List.of(ValueFactory.newMap(kv.toArray(new Value[0]))));
    }

    // ---- helpers ----

    private static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON tree as msgpack the way Alpaca sends it ({@code t} strings become timestamp extensions). */
    private static byte[] msgpackOf(JsonNode n) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            writeMsgpack(n, null, p);
            return p.toByteArray();
        }
    }

    private static void writeMsgpack(JsonNode n, String key, MessageBufferPacker p) throws IOException {
        if (n.isArray()) {
            p.packArrayHeader(n.size());
            for (JsonNode e : n) writeMsgpack(e, null, p);
        } else if (n.isObject()) {
            p.packMapHeader(n.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                p.packString(e.getKey());
                writeMsgpack(e.getValue(), e.getKey(), p);
            }
        } else if (n.isTextual() && "t".equals(key)) {
            // the seconds of the text, kept even when they are out of java.time's range, in the 96-bit form
            String s = n.asText();
            long secs = Long.parseLong(s.substring(0, 4)) - 1970;
            long approx = secs * 31_556_952L;
            p.packExtensionTypeHeader((byte) -1, 12);
            p.addPayload(timestamp96(approx, 0));
        } else if (n.isTextual()) {
            p.packString(n.asText());
        } else if (n.isBigInteger()) {
            p.packBigInteger(n.bigIntegerValue());
        } else if (n.isIntegralNumber()) {
            p.packLong(n.asLong());
        } else if (n.isNumber()) {
            p.packDouble(n.asDouble());
        } else if (n.isBoolean()) {
            p.packBoolean(n.asBoolean());
        } else {
            p.packNil();
        }
    }

    private static ImmutableValue unpack(byte[] f) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(f)) {
            return u.unpackValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] packArray(List<Value> elements) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packValue(ValueFactory.newArray(elements));
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] timestamp96(long seconds, long nanos) {
        return java.nio.ByteBuffer.allocate(12).putInt((int) nanos).putLong(seconds).array();
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "...(" + s.length() + " chars)";
    }

    private static byte[] abbreviate(byte[] b) {
        return b.length <= 4_096 ? b : Arrays.copyOf(b, 4_096);
    }
}
