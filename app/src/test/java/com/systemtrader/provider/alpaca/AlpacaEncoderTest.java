package com.systemtrader.provider.alpaca;

import com.systemtrader.simulator.wire.AlpacaEncoder;
import com.systemtrader.codec.RecordingHandler;

import static com.systemtrader.provider.alpaca.AlpacaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.codec.JsonOut;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.alpaca.MsgpackFrames.TimeForm;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;

class AlpacaEncoderTest {
    private static final long RX = 7L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<String> examples() {
        return Stream.concat(DATA_EXAMPLES.stream(), CONTROL_EXAMPLES.stream());
    }

    private static List<Object> decodeJson(byte[] b) throws MalformedFrameException {
        RecordingHandler r = new RecordingHandler();
        new AlpacaDecoder(new SymbolTable()).decode(b, 0, b.length, RX, r);
        return r.all;
    }

    private static List<Object> decodeMsgpack(byte[] b) throws MalformedFrameException {
        RecordingHandler r = new RecordingHandler();
        new AlpacaMsgpackDecoder(new SymbolTable()).decode(b, 0, b.length, RX, r);
        return r.all;
    }

    // ---- exact wire form of every documented example ----

    @ParameterizedTest
    @MethodSource("examples")
    void jsonIsByteForByteTheDocumentedExample(String example) throws Exception {
        List<Object> decoded = decodeJson(utf8(example));
        byte[] encoded = AlpacaEncoder.json().frame(decoded);
        assertThat(new String(encoded, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(compact(example));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void msgpackIsWhatMsgpackCoreWritesForTheExample(String example) throws Exception {
        List<Object> decoded = decodeJson(utf8(example));
        byte[] ours = AlpacaEncoder.msgpack().frame(decoded);
        assertThat(ours).isEqualTo(MsgpackFrames.fromJson(example, TimeForm.SMALLEST));
        assertSameStructure(MAPPER.readTree(example), MessagePack.newDefaultUnpacker(ours).unpackValue(), null);
    }

    /** Same keys in the same order, same values; {@code t} is a timestamp extension (type -1). */
    private static void assertSameStructure(JsonNode json, Value mp, String key) {
        if (json.isArray()) {
            List<Value> list = mp.asArrayValue().list();
            assertThat(list).hasSize(json.size());
            for (int i = 0; i < json.size(); i++) assertSameStructure(json.get(i), list.get(i), null);
        } else if (json.isObject()) {
            Map<Value, Value> map = mp.asMapValue().map();
            List<String> keys = new ArrayList<>();
            map.keySet().forEach(k -> keys.add(k.asStringValue().asString()));
            List<String> jsonKeys = new ArrayList<>();
            json.properties().forEach(e -> jsonKeys.add(e.getKey()));
            assertThat(keys).isEqualTo(jsonKeys);
            for (Map.Entry<Value, Value> e : map.entrySet()) {
                String k = e.getKey().asStringValue().asString();
                assertSameStructure(json.get(k), e.getValue(), k);
            }
        } else if ("t".equals(key)) {
            assertThat(mp.isTimestampValue()).isTrue();
            assertThat(mp.asExtensionValue().getType()).isEqualTo((byte) -1);
            assertThat(mp.asTimestampValue().toInstant()).isEqualTo(Instant.parse(json.asText()));
        } else if (json.isTextual()) {
            assertThat(mp.asStringValue().asString()).isEqualTo(json.asText());
        } else if (json.isIntegralNumber()) {
            assertThat(mp.asIntegerValue().toLong()).isEqualTo(json.asLong());
        } else {
            assertThat(mp.asFloatValue().toDouble()).isEqualTo(json.asDouble());
        }
    }

    // ---- round trips ----

    static List<MarketEvent> everyType() {
        long t = ns("2024-05-30T19:59:59.871624704Z");
        DataSource a = DataSource.ALPACA;
        return List.of(
                new Trade(a, "AAPL", t, RX, 189.43, 100, 'V', "3447222699101865076", 'C', Absent.LONG, Absent.INT,
                        Absent.LONG, Conditions.ofLetters("@", "T", "I")),
                new Trade(a, "BRK.B", t + 1, RX, 0.0001, 1, Absent.INT, "0", Absent.CHAR, Absent.LONG, Absent.INT,
                        Absent.LONG, Conditions.NONE),
                new Quote(a, "AMD", t, RX, 'K', 166.21, 3, 'Q', 166.23, 1, Conditions.ofLetters("R"),
                        Conditions.NONE, 'C', Absent.LONG),
                new Quote(a, "AMD", t, RX, Absent.INT, 0, 0, 'Q', 166.23, 1, Conditions.NONE, Conditions.NONE,
                        Absent.CHAR, Absent.LONG),
                bar(BarInterval.MINUTE, ns("2024-05-30T14:31:00Z"), 512, 527.6532),
                bar(BarInterval.UPDATED_MINUTE, ns("2024-05-30T14:31:00Z"), Absent.LONG, Double.NaN),
                bar(BarInterval.DAILY, ns("2024-05-30T04:00:00Z"), 401234, 527.1044),
                new TradingStatus(a, "GME", t, RX, "H", "Trading Halt", "LUDP", "Volatility Trading Pause", 'C'),
                new TradingStatus(a, "GME", t, RX, "T", "", "", "", Absent.CHAR),
                new LuldBand(a, "IONM", t, RX, 3.24, 2.65, Conditions.ofLetters("B"), 'C', Absent.LONG),
                new LuldBand(a, "IONM", t, RX, 3.24, 2.65, Conditions.NONE, Absent.CHAR, Absent.LONG),
                new TradeCorrection(a, "EEM", t, RX, 'M', "52983525033527", 39.1582, 440000,
                        Conditions.ofLetters(" ", "7"), "52983525034326", 39.1809, 440000,
                        Conditions.ofLetters(" ", "7"), 'B'),
                new TradeCancel(a, "GOOGL", t, RX, 'D', "465", 105.31, 300, 'E', 'C'),
                new Imbalance(a, "INAQU", t, RX, 9.12, Absent.LONG, Absent.LONG, Absent.INT, Absent.CHAR, Absent.INT,
                        'C'));
    }

    private static Bar bar(BarInterval iv, long start, long n, double vw) {
        return new Bar(DataSource.ALPACA, "SPY", iv, start, start + iv.nanos(), RX, 527.61, 527.74, 527.55, 527.7,
                48211, vw, n, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    @ParameterizedTest
    @EnumSource(AlpacaWireFormat.class)
    void everyTypeRoundTrips(AlpacaWireFormat format) throws Exception {
        AlpacaEncoder enc = AlpacaEncoder.of(format);
        for (MarketEvent e : everyType()) {
            byte[] frame = enc.frame(e);
            List<Object> back = format == AlpacaWireFormat.JSON ? decodeJson(frame) : decodeMsgpack(frame);
            assertThat(back).as("%s", e).containsExactly(e);
        }
        List<Object> all = new ArrayList<>(everyType());
        byte[] mixed = enc.frame(all);
        assertThat(format == AlpacaWireFormat.JSON ? decodeJson(mixed) : decodeMsgpack(mixed)).isEqualTo(all);
    }

    @ParameterizedTest
    @EnumSource(AlpacaWireFormat.class)
    void controlMessagesRoundTrip(AlpacaWireFormat format) throws Exception {
        AlpacaSubscription withImbalances = AlpacaSubscription.EMPTY.with(AlpacaChannel.IMBALANCES, List.of("INAQU"))
                .with(AlpacaChannel.TRADES, List.of("AAPL", "*"));
        List<Object> controls = List.of(AlpacaSuccess.CONNECTED, AlpacaSuccess.AUTHENTICATED,
                AlpacaError.INVALID_SYNTAX, AlpacaError.SLOW_CLIENT, AlpacaError.INTERNAL_ERROR,
                new AlpacaError(499, "something new"), AlpacaSubscription.EMPTY, withImbalances);
        AlpacaEncoder enc = AlpacaEncoder.of(format);
        for (Object c : controls) {
            byte[] frame = enc.frame(c);
            assertThat(format == AlpacaWireFormat.JSON ? decodeJson(frame) : decodeMsgpack(frame)).containsExactly(c);
        }
    }

    @Test
    void controlMessageJson() {
        AlpacaEncoder enc = AlpacaEncoder.json();
        assertThat(new String(enc.frame(AlpacaError.CONNECTION_LIMIT_EXCEEDED)))
                .isEqualTo("[{\"T\":\"error\",\"code\":406,\"msg\":\"connection limit exceeded\"}]");
        assertThat(new String(enc.frame(AlpacaSuccess.CONNECTED))).isEqualTo("[{\"T\":\"success\",\"msg\":\"connected\"}]");
        assertThat(new String(enc.frame(AlpacaSubscription.EMPTY))).isEqualTo("[{\"T\":\"subscription\",\"trades\":[],"
                + "\"quotes\":[],\"bars\":[],\"updatedBars\":[],\"dailyBars\":[],\"statuses\":[],\"lulds\":[],"
                + "\"corrections\":[],\"cancelErrors\":[]}]");
        assertThat(new String(enc.frame(AlpacaSubscription.EMPTY.with(AlpacaChannel.IMBALANCES, List.of("X")))))
                .isEqualTo("[{\"T\":\"subscription\",\"trades\":[],\"quotes\":[],\"bars\":[],\"updatedBars\":[],"
                        + "\"dailyBars\":[],\"statuses\":[],\"imbalances\":[\"X\"],\"lulds\":[],\"corrections\":[],"
                        + "\"cancelErrors\":[]}]");
    }

    // ---- fields Alpaca has no form for ----

    @Test
    void polygonOnlyFieldsAreOmitted() {
        Bar polygonish = new Bar(DataSource.POLYGON, "SPY", BarInterval.MINUTE, ns("2024-05-30T14:31:00Z"),
                ns("2024-05-30T14:32:00Z"), 5, 1.5, 2, 1, 1.75, 1000, 1.6, Absent.LONG, 123456, 1.2, 1.55, 12, true);
        assertThat(new String(AlpacaEncoder.json().frame(polygonish))).isEqualTo(
                "[{\"T\":\"b\",\"S\":\"SPY\",\"o\":1.5,\"h\":2,\"l\":1,\"c\":1.75,\"v\":1000,\"vw\":1.6,"
                        + "\"t\":\"2024-05-30T14:31:00Z\"}]");
        Trade withPolygonIds = new Trade(DataSource.POLYGON, "AAPL", ns("2024-05-30T14:31:00Z"), 5, 1.5, 10, 'Q', "17",
                'C', 99, 3, 123, Conditions.NONE);
        assertThat(new String(AlpacaEncoder.json().frame(withPolygonIds))).isEqualTo(
                "[{\"T\":\"t\",\"S\":\"AAPL\",\"i\":17,\"x\":\"Q\",\"p\":1.5,\"s\":10,\"c\":[],\"z\":\"C\","
                        + "\"t\":\"2024-05-30T14:31:00Z\"}]");
    }

    @ParameterizedTest
    @EnumSource(AlpacaWireFormat.class)
    void unencodableEventsThrowAndLeaveTheBufferAsItWas(AlpacaWireFormat format) throws Exception {
        AlpacaEncoder enc = AlpacaEncoder.of(format);
        enc.reset().beginFrame(1).event(everyType().get(0));
        int before = enc.length();
        Bar second = bar(BarInterval.SECOND, 0, 1, 1);
        assertThatThrownBy(() -> enc.event(second)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Alpaca has no second bars");
        Trade badId = new Trade(DataSource.POLYGON, "A", 0, 0, 1, 1, 'Q', "abc-1", 'C', 1, 1, 1, Conditions.NONE);
        assertThatThrownBy(() -> enc.event(badId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trade id is not an integer");
        Trade tooBig = new Trade(DataSource.ALPACA, "A", 0, 0, 1, 1, 'Q', "9223372036854775808", 'C', 1, 1, 1,
                Conditions.NONE);
        assertThatThrownBy(() -> enc.event(tooBig)).hasMessage("trade id overflows a long");
        LuldBand twoIndicators = new LuldBand(DataSource.POLYGON, "A", 0, 0, 1, 1, Conditions.of(17, 18), 'C', 1);
        assertThatThrownBy(() -> enc.event(twoIndicators)).isInstanceOf(IllegalArgumentException.class);
        assertThat(enc.length()).isEqualTo(before);
        byte[] frame = enc.endFrame().toByteArray();
        assertThat(format == AlpacaWireFormat.JSON ? decodeJson(frame) : decodeMsgpack(frame))
                .containsExactly(everyType().get(0));
    }

    @Test
    void frameCountIsChecked() {
        AlpacaEncoder enc = AlpacaEncoder.msgpack();
        enc.reset().beginFrame(2).event(everyType().get(0));
        assertThatThrownBy(enc::endFrame).isInstanceOf(IllegalStateException.class)
                .hasMessage("frame announced 2 elements, got 1");
    }

    @Test
    void tradeIdParsing() {
        assertThat(AlpacaEncoder.parseId("0", "id")).isZero();
        assertThat(AlpacaEncoder.parseId("3447222699101865076", "id")).isEqualTo(3447222699101865076L);
        assertThat(AlpacaEncoder.parseId("9223372036854775807", "id")).isEqualTo(Long.MAX_VALUE);
        assertThat(AlpacaEncoder.parseId("-9223372036854775808", "id")).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> AlpacaEncoder.parseId("-", "id")).hasMessage("id is not an integer");
        assertThatThrownBy(() -> AlpacaEncoder.parseId(null, "id")).hasMessage("id is absent");
    }

    @Test
    void writesIntoTheCallersJsonOut() throws Exception {
        JsonOut out = new JsonOut(16);
        AlpacaEncoder enc = AlpacaEncoder.json(out);
        out.beginArray();
        for (MarketEvent e : everyType()) enc.event(e);
        out.endArray();
        assertThat(decodeJson(out.toByteArray())).isEqualTo(new ArrayList<Object>(everyType()));
    }

    @ParameterizedTest
    @EnumSource(AlpacaWireFormat.class)
    void encodingAnEventAllocatesNothing(AlpacaWireFormat format) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AlpacaEncoder enc = AlpacaEncoder.of(format);
        List<MarketEvent> events = everyType();
        for (int i = 0; i < 20_000; i++) encodeAll(enc, events);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) encodeAll(enc, events);
        long perEvent = (mx.getCurrentThreadAllocatedBytes() - before) / (10_000L * events.size());
        assertThat(perEvent).isZero();
    }

    private static void encodeAll(AlpacaEncoder enc, List<MarketEvent> events) {
        enc.reset().beginFrame(events.size());
        for (int i = 0; i < events.size(); i++) enc.event(events.get(i));
        enc.endFrame();
    }
}
