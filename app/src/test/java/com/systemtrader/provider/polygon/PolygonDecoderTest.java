package com.systemtrader.provider.polygon;

import com.systemtrader.codec.RecordingHandler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolygonDecoderTest {
    private static final long RX = 1_717_099_200_500_000_123L;
    private static final String TRADE_OK =
            "{\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":12,\"i\":\"1\",\"z\":3,\"p\":189.43,\"s\":100,\"t\":1717099200131,\"q\":7}";

    private final PolygonDecoder decoder = new PolygonDecoder();
    private final RecordingHandler handler = new RecordingHandler();

    /** Decodes {@code json} placed in the middle of a larger array, to exercise off/len. */
    private int decode(String json) throws MalformedFrameException {
        byte[] frame = json.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[frame.length + 10];
        java.util.Arrays.fill(buf, (byte) '#');
        System.arraycopy(frame, 0, buf, 3, frame.length);
        return decoder.decode(buf, 3, frame.length, RX, handler);
    }

    private MalformedFrameException malformed(String json) {
        return catchThrowableOfType(MalformedFrameException.class, () -> decode(json));
    }

    // ---- protocols.md §1.5 examples ----

    @Test
    void decodesTheTradeExampleWithTrfFieldsAndWithoutConditions() throws Exception {
        int n = decode("""
                [{"ev":"T","sym":"AAPL","x":4,"i":"71675577320245","z":3,"p":189.4312,"s":25,"c":[12,37],
                  "t":1717099200123,"q":4502211,"trfi":202,"trft":1717099200121},
                 {"ev":"T","sym":"AAPL","x":12,"i":"52983","z":3,"p":189.43,"s":100,"t":1717099200131,"q":4502214}]
                """);

        assertThat(n).isEqualTo(2);
        assertThat(handler.events).containsExactly(
                new Trade(DataSource.POLYGON, "AAPL", 1_717_099_200_123_000_000L, RX, 189.4312, 25, 4,
                        "71675577320245", 'C', 4_502_211, 202, 1_717_099_200_121_000_000L, Conditions.of(12, 37)),
                new Trade(DataSource.POLYGON, "AAPL", 1_717_099_200_131_000_000L, RX, 189.43, 100, 12, "52983",
                        'C', 4_502_214, Absent.INT, Absent.LONG, Conditions.NONE));
    }

    @Test
    void decodesTheQuoteExample() throws Exception {
        decode("""
                [{"ev":"Q","sym":"MSFT","bx":11,"bp":415.12,"bs":3,"ax":12,"ap":415.15,"as":2,"c":1,"i":[604],
                  "t":1717099200452,"q":98211020,"z":3}]
                """);

        assertThat(handler.events).containsExactly(new Quote(DataSource.POLYGON, "MSFT", 1_717_099_200_452_000_000L,
                RX, 11, 415.12, 3, 12, 415.15, 2, Conditions.of(1), Conditions.of(604), 'C', 98_211_020));
    }

    @Test
    void decodesTheMinuteAggregateExample() throws Exception {
        decode("""
                [{"ev":"AM","sym":"AAPL","v":182311,"av":23110450,"op":188.96,"vw":189.4127,"o":189.38,"c":189.45,
                  "h":189.52,"l":189.31,"a":189.0551,"z":94,"s":1717099140000,"e":1717099200000}]
                """);

        assertThat(handler.events).containsExactly(new Bar(DataSource.POLYGON, "AAPL", BarInterval.MINUTE,
                1_717_099_140_000_000_000L, 1_717_099_200_000_000_000L, RX, 189.38, 189.52, 189.31, 189.45, 182_311,
                189.4127, Absent.LONG, 23_110_450, 188.96, 189.0551, 94, false));
    }

    @Test
    void decodesASecondAggregateWithOtc() throws Exception {
        decode("""
                [{"ev":"A","sym":"GRLT","v":300,"av":5100,"op":0.41,"vw":0.4213,"o":0.42,"c":0.425,"h":0.43,
                  "l":0.415,"a":0.4188,"z":100,"s":1717099199000,"e":1717099200000,"otc":true}]
                """);

        assertThat(handler.events).containsExactly(new Bar(DataSource.POLYGON, "GRLT", BarInterval.SECOND,
                1_717_099_199_000_000_000L, 1_717_099_200_000_000_000L, RX, 0.42, 0.43, 0.415, 0.425, 300, 0.4213,
                Absent.LONG, 5_100, 0.41, 0.4188, 100, true));
    }

    @Test
    void decodesTheLuldDocExampleWithMicrosecondTime() throws Exception {
        decode("""
                [{"ev":"LULD","T":"MSFT","h":218.96,"l":198.11,"i":[21],"z":3,"t":1601316752683746,"q":290317}]
                """);

        assertThat(handler.events).containsExactly(new LuldBand(DataSource.POLYGON, "MSFT",
                1_601_316_752_683_746_000L, RX, 218.96, 198.11, Conditions.of(21), 'C', 290_317));
    }

    @Test
    void decodesTheLuldTimeInMillisecondsToo() throws Exception {
        decode("[{\"ev\":\"LULD\",\"T\":\"MSFT\",\"h\":218.96,\"l\":198.11,\"t\":1601316752683}]");

        LuldBand band = (LuldBand) handler.events.getFirst();
        assertThat(band.eventTimeNs()).isEqualTo(1_601_316_752_683_000_000L);
        assertThat(band.indicators()).isEqualTo(Conditions.NONE);
        assertThat(band.tape()).isEqualTo(Absent.CHAR);
        assertThat(band.sequence()).isEqualTo(Absent.LONG);
    }

    @Test
    void decodesTheNoiDocExample() throws Exception {
        decode("""
                [{"ev":"NOI","T":"NTEST.Q","t":1601318039223013600,"at":930,"a":"M","i":44,
                  "x":10,"o":480,"p":440,"b":25.03}]
                """);

        assertThat(handler.events).containsExactly(new Imbalance(DataSource.POLYGON, "NTEST.Q",
                1_601_318_039_223_013_600L, RX, 25.03, 480, 440, 930, 'M', 10, Absent.CHAR));
    }

    // ---- protocols.md §1.3 status messages ----

    @Test
    void decodesEveryStatusMessageOfTheSessionFlow() throws Exception {
        String[] frames = {
                "[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]",
                "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]",
                "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.AAPL\"}]",
                "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: AM.*\"}]",
                "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"unsubscribed to: Q.AAPL\"}]",
                "[{\"ev\":\"status\",\"status\":\"auth_failed\",\"message\":\"authentication failed\"}]",
                "[{\"ev\":\"status\",\"status\":\"auth_timeout\",\"message\":\"No authentication request received.\"}]",
                "[{\"ev\":\"status\",\"status\":\"max_connections\",\"message\":\"Maximum number of connections exceeded.\"}]",
                "[{\"ev\":\"status\",\"status\":\"error\",\"message\":\"not authorized\"}]",
        };
        for (String f : frames) assertThat(decode(f)).isEqualTo(1);

        assertThat(handler.events).isEmpty();
        assertThat(handler.controls).containsExactly(
                PolygonStatus.connected(),
                PolygonStatus.authSuccess(),
                PolygonStatus.subscribed("T.AAPL"),
                PolygonStatus.subscribed("AM.*"),
                PolygonStatus.unsubscribed("Q.AAPL"),
                PolygonStatus.authFailed(),
                PolygonStatus.authTimeout(),
                PolygonStatus.maxConnections(),
                PolygonStatus.notAuthorized());
        PolygonStatus greeting = (PolygonStatus) handler.controls.getFirst();
        assertThat(greeting.isConnected()).isTrue();
        assertThat(((PolygonStatus) handler.controls.get(2)).subscribedTopic()).isEqualTo("T.AAPL");
        assertThat(((PolygonStatus) handler.controls.get(4)).unsubscribedTopic()).isEqualTo("Q.AAPL");
    }

    @Test
    void decodesTheLongMaxConnectionsTextAndAStatusWithoutMessage() throws Exception {
        String text = "Maximum number of websocket connections exceeded. You have reached the connection limit for "
                + "your account. Please contact support at https://polygon.io/contact to increase your limit.";
        decode("[{\"ev\":\"status\",\"status\":\"max_connections\",\"message\":\"" + text + "\"},"
                + "{\"status\":\"slow_consumer\",\"ev\":\"status\"}]");

        assertThat(handler.controls).containsExactly(new PolygonStatus("max_connections", text),
                new PolygonStatus("slow_consumer", ""));
        assertThat(((PolygonStatus) handler.controls.get(0)).isDisconnect()).isTrue();
    }

    // ---- frame shapes ----

    @Test
    void deliversAMixedFrameInOrder() throws Exception {
        int n = decode("[" + TRADE_OK + ","
                + "{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bp\":1.5,\"ap\":1.6,\"t\":1717099200452},"
                + "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: Q.MSFT\"},"
                + "{\"ev\":\"AM\",\"sym\":\"AAPL\",\"v\":10,\"o\":1,\"h\":2,\"l\":0.5,\"c\":1.5,\"s\":1717099140000}]");

        assertThat(n).isEqualTo(4);
        assertThat(handler.all).hasSize(4);
        assertThat(handler.all.get(0)).isInstanceOf(Trade.class);
        assertThat(handler.all.get(1)).isInstanceOf(Quote.class);
        assertThat(handler.all.get(2)).isEqualTo(PolygonStatus.subscribed("Q.MSFT"));
        Bar bar = (Bar) handler.all.get(3);
        assertThat(bar.endTimeNs()).as("e missing: one minute after s").isEqualTo(1_717_099_200_000_000_000L);
        assertThat(bar.vwap()).isNaN();
        assertThat(bar.accumulatedVolume()).isEqualTo(Absent.LONG);
    }

    @Test
    void acceptsASingleObjectAndAnEmptyArray() throws Exception {
        assertThat(decode(TRADE_OK)).isEqualTo(1);
        assertThat(((Trade) handler.events.getFirst()).sequence()).isEqualTo(7);
        assertThat(decode(" [ ] ")).isZero();
    }

    @Test
    void fieldOrderDoesNotMatter() throws Exception {
        decode("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":4,\"i\":\"716\",\"z\":3,\"p\":189.4312,\"s\":25,\"c\":[12,37],"
                + "\"t\":1717099200123,\"q\":4502211,\"trfi\":202,\"trft\":1717099200121},"
                + "{\"trft\":1717099200121,\"trfi\":202,\"q\":4502211,\"t\":1717099200123,\"c\":[12,37],\"s\":25,"
                + "\"p\":189.4312,\"z\":3,\"i\":\"716\",\"x\":4,\"sym\":\"AAPL\",\"ev\":\"T\"}]");

        assertThat(handler.events).hasSize(2);
        assertThat(handler.events.get(1)).isEqualTo(handler.events.get(0));
        assertThat(((Trade) handler.events.get(1)).conditions()).isEqualTo(Conditions.of(12, 37));
    }

    @Test
    void skipsAndReportsUnknownEventsButDeliversTheRest() throws Exception {
        int n = decode("[{\"ev\":\"FMV\",\"sym\":\"AAPL\",\"fmv\":189.1,\"t\":1717099200000},"
                + TRADE_OK + ","
                + "{\"sym\":\"AAPL\",\"c\":{\"deep\":[1,{\"x\":[2]}]},\"i\":[\"a\",[1]],\"p\":\"x\",\"ev\":\"XQ\"},"
                + "{\"ev\":\"Q\",\"sym\":\"MSFT\",\"t\":1717099200452}]");

        assertThat(n).isEqualTo(4);
        assertThat(handler.unknown).containsExactly("FMV", "XQ");
        assertThat(handler.events).hasSize(2);
        assertThat(handler.all.get(0)).isEqualTo("unknown:FMV");
        assertThat(handler.all.get(2)).isEqualTo("unknown:XQ");
        assertThat(((Quote) handler.events.get(1)).bidPrice()).isNaN();
    }

    @Test
    void unknownTypeTagsAreInterned() throws Exception {
        decode("[{\"ev\":\"FMV\"}]");
        decode("[{\"ev\":\"FMV\"}]");
        assertThat(handler.unknown.get(1)).isSameAs(handler.unknown.get(0));
    }

    @Test
    void ignoresUnknownFieldsOfKnownEvents() throws Exception {
        decode("[{\"ev\":\"T\",\"ds\":\"25.5\",\"sym\":\"AAPL\",\"extra\":{\"a\":[1,2,{\"b\":null}]},\"p\":1.25,"
                + "\"nested\":[[1],[2,[3]]],\"s\":25,\"flag\":true,\"t\":1717099200123,\"none\":null}]");

        assertThat(handler.events).containsExactly(new Trade(DataSource.POLYGON, "AAPL", 1_717_099_200_123_000_000L,
                RX, 1.25, 25, Absent.INT, null, Absent.CHAR, Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE));
    }

    @Test
    void isLenientAboutNumericFormsAndNulls() throws Exception {
        decode("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":52983,\"p\":189,\"s\":100.0,\"c\":37,\"t\":1717099200123,"
                + "\"z\":4,\"q\":null},"
                + "{\"ev\":\"Q\",\"sym\":\"AAPL\",\"c\":[1,2],\"t\":1717099200123,\"z\":1}]");

        Trade t = (Trade) handler.events.get(0);
        assertThat(t.tradeId()).isEqualTo("52983");
        assertThat(t.price()).isEqualTo(189.0);
        assertThat(t.size()).isEqualTo(100);
        assertThat(t.conditions()).isEqualTo(Conditions.of(37));
        assertThat(t.tape()).as("tape 4 is not a known tape").isEqualTo(Absent.CHAR);
        assertThat(t.sequence()).isEqualTo(Absent.LONG);
        Quote q = (Quote) handler.events.get(1);
        assertThat(q.conditions()).isEqualTo(Conditions.of(1, 2));
        assertThat(q.tape()).isEqualTo('A');
        assertThat(q.bidExchange()).isEqualTo(Absent.INT);
        assertThat(q.askSize()).isEqualTo(Absent.LONG);
    }

    @Test
    void mapsTapesOneTwoThreeToABC() throws Exception {
        decode("[{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"z\":1},{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"z\":2},"
                + "{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"z\":3}]");
        assertThat(handler.events).extracting(e -> ((Quote) e).tape()).containsExactly('A', 'B', 'C');
    }

    @Test
    void internsSymbols() throws Exception {
        SymbolTable table = new SymbolTable(16);
        String known = table.intern("AAPL");
        PolygonDecoder shared = new PolygonDecoder(table);
        byte[] frame = ("[" + TRADE_OK + "," + TRADE_OK + "]").getBytes(StandardCharsets.UTF_8);
        shared.decode(frame, 0, frame.length, RX, handler);
        shared.decode(frame, 0, frame.length, RX, handler);

        assertThat(handler.events).hasSize(4).allSatisfy(e -> assertThat(e.symbol()).isSameAs(known));
    }

    @Test
    void deliversSharedSingleCodeConditions() throws Exception {
        decode("[{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"c\":1,\"i\":[604]},{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"c\":1,\"i\":[604]}]");
        Quote a = (Quote) handler.events.get(0);
        Quote b = (Quote) handler.events.get(1);
        assertThat(b.conditions()).isSameAs(a.conditions()).isEqualTo(Conditions.of(1));
        assertThat(b.indicators()).isSameAs(a.indicators()).isEqualTo(Conditions.of(604));
    }

    // ---- malformed frames ----

    @Test
    void missingRequiredFieldNamesFieldAndElementAndCountsEarlierElements() {
        MalformedFrameException e = malformed("[" + TRADE_OK
                + ",{\"ev\":\"T\",\"sym\":\"SECRETSYM\",\"s\":1,\"t\":1717099200123}," + TRADE_OK + "]");

        assertThat(e.eventsBefore()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo("element 1 (ev T): field 'p' is missing").doesNotContain("SECRETSYM");
        assertThat(handler.events).hasSize(1);
    }

    @Test
    void missingSymbolIsMalformed() {
        assertThat(malformed("[{\"ev\":\"T\",\"p\":1.5,\"s\":1,\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev T): field 'sym' is missing");
        assertThat(malformed("[{\"ev\":\"LULD\",\"sym\":\"MSFT\",\"h\":2,\"l\":1,\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev LULD): field 'T' is missing");
        assertThat(malformed("[{\"ev\":\"Q\",\"sym\":\"\",\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev Q): field 'sym' is empty");
    }

    @Test
    void wrongTypesAreMalformed() {
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":\"189.1\",\"s\":1,\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev T): field 'p' must be a number");
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1.5,\"s\":1.5,\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev T): field 's' must be an integer");
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":7,\"p\":1.5,\"s\":1,\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev T): field 'sym' must be a string");
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":1,\"t\":1,\"c\":[12,\"x\"]}]").getMessage())
                .isEqualTo("element 0 (ev T): field 'c' must be an integer or an array of integers");
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":1,\"t\":1,\"i\":[1]}]").getMessage())
                .isEqualTo("element 0 (ev T): field 'i' must be a string or an integer");
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":99999999999999999999,\"t\":1}]").getMessage())
                .isEqualTo("element 0 (ev T): field 's' must be an integer");
        assertThat(malformed("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1.5,\"s\":1,\"t\":9223372036854775807}]").getMessage())
                .isEqualTo("element 0 (ev T): field 't' is out of range for epoch milliseconds");
        assertThat(malformed("[{\"ev\":\"A\",\"sym\":\"A\",\"v\":1,\"o\":1,\"h\":1,\"l\":1,\"c\":[1],\"s\":1}]").getMessage())
                .isEqualTo("element 0 (ev A): field 'c' must be a number");
        assertThat(malformed("[{\"ev\":\"AM\",\"sym\":\"A\",\"v\":1,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"s\":1,\"otc\":1}]")
                .getMessage()).isEqualTo("element 0 (ev AM): field 'otc' must be a boolean");
        assertThat(malformed("[{\"ev\":\"NOI\",\"T\":\"A\",\"t\":1,\"a\":5}]").getMessage())
                .isEqualTo("element 0 (ev NOI): field 'a' must be a string");
        assertThat(malformed("[{\"ev\":\"status\",\"message\":\"x\"}]").getMessage())
                .isEqualTo("element 0 (ev status): field 'status' is missing");
        assertThat(malformed("[{\"ev\":\"Q\",\"sym\":\"A\",\"t\":1,\"bx\":4294967296}]").getMessage())
                .isEqualTo("element 0 (ev Q): field 'bx' is out of range");
    }

    @Test
    void elementWithoutEvOrWithNonStringEvIsMalformed() {
        MalformedFrameException noEv = malformed("[" + TRADE_OK + ",{\"sym\":\"AAPL\"}]");
        assertThat(noEv.getMessage()).isEqualTo("element 1: has no 'ev'");
        assertThat(noEv.eventsBefore()).isEqualTo(1);
        assertThat(malformed("[{\"ev\":5}]").getMessage()).isEqualTo("element 0: field 'ev' must be a string");
    }

    @Test
    void truncatedFrameIsMalformedAfterDeliveringCompleteElements() {
        MalformedFrameException e = malformed("[" + TRADE_OK + "," + TRADE_OK + ",{\"ev\":\"T\",\"sym\":\"AA");

        assertThat(e.eventsBefore()).isEqualTo(2);
        assertThat(e.getMessage()).isEqualTo("frame is truncated after 2 complete elements");
        assertThat(handler.events).hasSize(2);

        assertThat(malformed("[" + TRADE_OK).eventsBefore()).isEqualTo(1);
    }

    @Test
    void invalidJsonIsMalformedAndDoesNotEchoTheFrame() {
        MalformedFrameException e = malformed("[" + TRADE_OK + ",{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":secretkey}]");

        assertThat(e.eventsBefore()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith("invalid JSON near byte ").endsWith("(element 1)")
                .doesNotContain("secretkey");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void badFrameShapesAreMalformed() {
        assertThat(malformed("").getMessage()).isEqualTo("frame is empty");
        assertThat(malformed("42").getMessage()).isEqualTo("frame is not a JSON array or object");
        assertThat(malformed("[" + TRADE_OK + ",1]").getMessage()).isEqualTo("element 1 is not a JSON object");
        MalformedFrameException trailing = malformed("[" + TRADE_OK + "] [");
        assertThat(trailing.getMessage()).isEqualTo("unexpected data after the frame's top-level value");
        assertThat(trailing.eventsBefore()).isEqualTo(1);
    }

    @Test
    void decoderIsReusableAfterAMalformedFrame() throws Exception {
        assertThatThrownBy(() -> decode("[{\"ev\":\"T\",\"sym\":\"AAPL\"}]")).isInstanceOf(MalformedFrameException.class);
        handler.clear();
        assertThat(decode("[" + TRADE_OK + "]")).isEqualTo(1);
        assertThat(((Trade) handler.events.getFirst()).tradeId()).isEqualTo("1");
    }
}
