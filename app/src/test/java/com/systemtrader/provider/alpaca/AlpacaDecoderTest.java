package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.RecordingHandler;

import static com.systemtrader.provider.alpaca.AlpacaFixtures.*;
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
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlpacaDecoderTest {
    private static final long RX = 1_717_000_000_123_456_789L;
    private final SymbolTable symbols = new SymbolTable();
    private final AlpacaDecoder decoder = new AlpacaDecoder(symbols);

    private RecordingHandler decode(String frame) throws MalformedFrameException {
        RecordingHandler r = new RecordingHandler();
        byte[] b = utf8(frame);
        int n = decoder.decode(b, 0, b.length, RX, r);
        assertThat(n).isEqualTo(r.all.size());
        return r;
    }

    private MalformedFrameException malformed(String frame, RecordingHandler r) {
        byte[] b = utf8(frame);
        return catchThrowableOfType(MalformedFrameException.class, () -> decoder.decode(b, 0, b.length, RX, r));
    }

    // ---- §2.6 examples ----

    @Test
    void tradesExample() throws Exception {
        RecordingHandler r = decode(TRADES);
        assertThat(r.events).containsExactly(
                new Trade(DataSource.ALPACA, "AAPL", ns("2024-05-30T19:59:59.871624704Z"), RX, 189.43, 100, 'V',
                        "52983525029461", 'C', Absent.LONG, Absent.INT, Absent.LONG, Conditions.ofLetters("@")),
                new Trade(DataSource.ALPACA, "AAPL", ns("2024-05-30T20:00:01.120338Z"), RX, 189.4312, 25, 'D',
                        "71675577320245", 'C', Absent.LONG, Absent.INT, Absent.LONG,
                        Conditions.ofLetters("@", "T", "I")));
        Trade first = (Trade) r.events.get(0);
        assertThat(first.eventTimeNs()).isEqualTo(1_717_099_199_871_624_704L);
        assertThat(first.exchange()).isEqualTo(86);
    }

    @Test
    void quoteExample() throws Exception {
        assertThat(decode(QUOTE).events).containsExactly(new Quote(DataSource.ALPACA, "AMD",
                ns("2024-05-30T14:31:02.118233088Z"), RX, 'K', 166.21, 3, 'Q', 166.23, 1, Conditions.ofLetters("R"),
                Conditions.NONE, 'C', Absent.LONG));
    }

    @Test
    void barExamples() throws Exception {
        long start = ns("2024-05-30T14:31:00Z");
        assertThat(decode(BAR).events).containsExactly(new Bar(DataSource.ALPACA, "SPY", BarInterval.MINUTE, start,
                start + 60_000_000_000L, RX, 527.61, 527.74, 527.55, 527.7, 48211, 527.6532, 512, Absent.LONG,
                Double.NaN, Double.NaN, Absent.LONG, false));
        assertThat(decode(UPDATED_BAR).events).containsExactly(new Bar(DataSource.ALPACA, "SPY",
                BarInterval.UPDATED_MINUTE, start, start + 60_000_000_000L, RX, 527.61, 527.74, 527.55, 527.72, 48390,
                527.6534, 515, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false));
        long day = ns("2024-05-30T04:00:00Z");
        assertThat(decode(DAILY_BAR).events).containsExactly(new Bar(DataSource.ALPACA, "SPY", BarInterval.DAILY,
                day, ns("2024-05-31T04:00:00Z"), RX, 526.12, 528.3, 525.9, 527.7, 30123456, 527.1044, 401234,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false));
    }

    @Test
    void statusExample() throws Exception {
        TradingStatus s = (TradingStatus) decode(STATUS).events.get(0);
        assertThat(s).isEqualTo(new TradingStatus(DataSource.ALPACA, "GME", ns("2024-05-30T14:02:11.531Z"), RX, "2",
                "Trading Halt", "M", "Limit Up-Limit Down (LULD) Trading Pause", 'A'));
        assertThat(s.isHalt()).isTrue();
    }

    @Test
    void luldExample() throws Exception {
        assertThat(decode(LULD).events).containsExactly(new LuldBand(DataSource.ALPACA, "IONM",
                ns("2024-05-30T13:34:45.565004401Z"), RX, 3.24, 2.65, Conditions.ofLetters("B"), 'C', Absent.LONG));
    }

    @Test
    void correctionDocExample() throws Exception {
        assertThat(decode(CORRECTION).events).containsExactly(new TradeCorrection(DataSource.ALPACA, "EEM",
                ns("2023-04-06T14:25:06.542305024Z"), RX, 'M', "52983525033527", 39.1582, 440000,
                Conditions.ofLetters(" ", "7"), "52983525034326", 39.1809, 440000, Conditions.ofLetters(" ", "7"),
                'B'));
    }

    @Test
    void cancelDocExample() throws Exception {
        assertThat(decode(CANCEL).events).containsExactly(new TradeCancel(DataSource.ALPACA, "GOOGL",
                ns("2023-04-06T13:15:42.83540958Z"), RX, 'D', "465", 105.31, 300, 'C', 'C'));
    }

    @Test
    void imbalanceExample() throws Exception {
        assertThat(decode(IMBALANCE).events).containsExactly(new Imbalance(DataSource.ALPACA, "INAQU",
                ns("2024-12-13T19:58:09.242138635Z"), RX, 9.12, Absent.LONG, Absent.LONG, Absent.INT, Absent.CHAR,
                Absent.INT, 'C'));
    }

    // ---- §2.3 / §2.4 control messages, each alone in its frame ----

    @Test
    void successMessages() throws Exception {
        RecordingHandler r = decode(CONNECTED);
        assertThat(r.controls).containsExactly(AlpacaSuccess.CONNECTED);
        assertThat(r.controls.get(0)).isSameAs(AlpacaSuccess.CONNECTED);
        assertThat(r.events).isEmpty();
        assertThat(decode(AUTHENTICATED).controls).containsExactly(AlpacaSuccess.AUTHENTICATED);
    }

    @Test
    void errorMessage() throws Exception {
        RecordingHandler r = decode(ERROR_406);
        assertThat(r.controls).containsExactly(new AlpacaError(406, "connection limit exceeded"));
        AlpacaError e = (AlpacaError) r.controls.get(0);
        assertThat(e).isSameAs(AlpacaError.CONNECTION_LIMIT_EXCEEDED);
        assertThat(e.isConnectionLimit()).isTrue();
        assertThat(e.isFatal()).isFalse();
    }

    @Test
    void everyDocumentedErrorCode() throws Exception {
        String[][] table = {{"400", "invalid syntax"}, {"401", "not authenticated"}, {"402", "auth failed"},
                {"403", "already authenticated"}, {"404", "auth timeout"}, {"405", "symbol limit exceeded"},
                {"406", "connection limit exceeded"}, {"407", "slow client"}, {"408", "v2 not enabled"},
                {"409", "insufficient subscription"}, {"410", "invalid subscribe action for this feed"},
                {"411", "insufficient scope"}, {"500", "internal error"}};
        for (String[] row : table) {
            RecordingHandler r = decode("[{\"T\":\"error\",\"code\":" + row[0] + ",\"msg\":\"" + row[1] + "\"}]");
            AlpacaError e = (AlpacaError) r.controls.get(0);
            assertThat(e.code()).isEqualTo(Integer.parseInt(row[0]));
            assertThat(e.msg()).isEqualTo(row[1]);
            assertThat(e).isSameAs(AlpacaError.of(e.code()));
        }
        // an undocumented text is kept as sent; a missing msg takes the documented one
        assertThat(decode("[{\"T\":\"error\",\"code\":402,\"msg\":\"invalid credentials\"}]").controls)
                .containsExactly(new AlpacaError(402, "invalid credentials"));
        assertThat(decode("[{\"T\":\"error\",\"code\":409}]").controls)
                .containsExactly(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
    }

    @Test
    void subscriptionEchoes() throws Exception {
        AlpacaSubscription s = (AlpacaSubscription) decode(SUBSCRIBED).controls.get(0);
        assertThat(s.trades()).containsExactly("AAPL");
        assertThat(s.quotes()).containsExactly("AMD", "CLDR");
        assertThat(s.bars()).containsExactly("*");
        assertThat(s.updatedBars()).isEmpty();
        assertThat(s.dailyBars()).isEmpty();
        assertThat(s.statuses()).isEmpty();
        assertThat(s.lulds()).isEmpty();
        assertThat(s.imbalances()).isEmpty();
        assertThat(s.corrections()).containsExactly("AAPL");
        assertThat(s.cancelErrors()).containsExactly("AAPL");
        AlpacaSubscription after = (AlpacaSubscription) decode(UNSUBSCRIBED).controls.get(0);
        assertThat(after).isEqualTo(s.with(AlpacaChannel.BARS, List.of()));
        // crypto-only keys are ignored, imbalances is read
        AlpacaSubscription other = (AlpacaSubscription) decode(
                "[{\"T\":\"subscription\",\"orderbooks\":[\"BTC/USD\"],\"imbalances\":[\"INAQU\"]}]").controls.get(0);
        assertThat(other).isEqualTo(AlpacaSubscription.EMPTY.with(AlpacaChannel.IMBALANCES, List.of("INAQU")));
    }

    // ---- timestamps, field order, values ----

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-30T14:31:02Z", "2024-05-30T14:31:02.1Z", "2024-05-30T14:31:02.12Z",
            "2024-05-30T14:31:02.123Z", "2024-05-30T14:31:02.1234Z", "2024-05-30T14:31:02.12345Z",
            "2024-05-30T14:31:02.123456Z", "2024-05-30T14:31:02.1234567Z", "2024-05-30T14:31:02.12345678Z",
            "2024-05-30T14:31:02.123456789Z"})
    void timestampsWithZeroToNineFractionDigits(String t) throws Exception {
        RecordingHandler r = decode("[{\"T\":\"i\",\"S\":\"X\",\"p\":1,\"t\":\"" + t + "\"}]");
        long expected = ns(t);
        assertThat(r.events.get(0).eventTimeNs()).isEqualTo(expected);
        int digits = t.indexOf('.') < 0 ? 0 : t.length() - t.indexOf('.') - 2;
        long fraction = expected % 1_000_000_000L;
        assertThat(fraction).isEqualTo(digits == 0 ? 0 : Long.parseLong(
                t.substring(t.indexOf('.') + 1, t.length() - 1) + "0".repeat(9 - digits)));
    }

    @Test
    void fieldOrderDoesNotMatter() throws Exception {
        RecordingHandler r = decode("""
                [{"t":"2024-05-30T19:59:59.871624704Z","z":"C","c":["@"],"s":100,"p":189.43,"x":"V",
                  "i":52983525029461,"S":"AAPL","T":"t"},
                 {"vw":527.6532,"n":512,"v":48211,"c":527.7,"l":527.55,"h":527.74,"o":527.61,"S":"SPY",
                  "t":"2024-05-30T14:31:00Z","T":"b"}]""");
        assertThat(r.events).containsExactly(decode(TRADES).events.get(0), decode(BAR).events.get(0));
    }

    @Test
    void tradeIdAboveTwoToThe53IsExact() throws Exception {
        Trade t = (Trade) decode("[{\"T\":\"t\",\"S\":\"BTCUSD\",\"i\":3447222699101865076,\"p\":67012.5,\"s\":1,"
                + "\"t\":\"2024-05-30T10:27:48.858228144Z\"}]").events.get(0);
        assertThat(t.tradeId()).isEqualTo("3447222699101865076");
        assertThat(t.exchange()).isEqualTo(Absent.INT);
        assertThat(t.tape()).isEqualTo(Absent.CHAR);
        assertThat(t.conditions()).isSameAs(Conditions.NONE);
        assertThat(decode("[{\"T\":\"t\",\"S\":\"X\",\"i\":9223372036854775807,\"p\":1,\"s\":1,"
                + "\"t\":\"2024-05-30T10:27:48Z\"}]").events.get(0)).extracting("tradeId")
                .isEqualTo("9223372036854775807");
    }

    @Test
    void allocationFreeDoubleParsingIsExactOrDeclines() {
        java.util.Random rnd = new java.util.Random(20240530);
        for (int k = 0; k < 200_000; k++) {
            long m = rnd.nextLong(1_000_000_000_000_000L) >>> rnd.nextInt(50);
            int scale = rnd.nextInt(12);
            String s = java.math.BigDecimal.valueOf(rnd.nextBoolean() ? m : -m, scale).toPlainString();
            double fast = AlpacaDecoder.exactDouble(s.toCharArray(), 0, s.length());
            if (!Double.isNaN(fast)) {
                assertThat(Double.doubleToRawLongBits(fast)).as(s)
                        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
            }
        }
        assertThat(AlpacaDecoder.exactDouble("189.4312".toCharArray(), 0, 8)).isEqualTo(189.4312);
        assertThat(AlpacaDecoder.exactDouble("0.0001".toCharArray(), 0, 6)).isEqualTo(0.0001);
        assertThat(Double.doubleToRawLongBits(AlpacaDecoder.exactDouble("-0.0".toCharArray(), 0, 4)))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(AlpacaDecoder.exactDouble("1.5e3".toCharArray(), 0, 5)).isNaN();
        assertThat(AlpacaDecoder.exactDouble("1234567890.123456".toCharArray(), 0, 17)).isNaN();
        // the declined shapes still decode exactly through Jackson
        RecordingHandler r = new RecordingHandler();
        byte[] b = utf8("[{\"T\":\"i\",\"S\":\"X\",\"p\":1.5e3,\"t\":\"2024-05-30T14:31:02Z\"},"
                + "{\"T\":\"i\",\"S\":\"X\",\"p\":1234567890.123456,\"t\":\"2024-05-30T14:31:02Z\"}]");
        assertThat(catchThrowableOfType(Exception.class, () -> decoder.decode(b, 0, b.length, RX, r))).isNull();
        assertThat(r.events).extracting(e -> ((Imbalance) e).price()).containsExactly(1500.0, 1234567890.123456);
    }

    @Test
    void knownSymbolsAreInterned() throws Exception {
        String aapl = symbols.intern("AAPL");
        RecordingHandler a = decode(TRADES);
        RecordingHandler b = decode(TRADES);
        assertThat(a.events.get(0).symbol()).isSameAs(aapl);
        assertThat(a.events.get(1).symbol()).isSameAs(aapl);
        assertThat(b.events.get(0).symbol()).isSameAs(aapl);
        String spy = decode(BAR).events.get(0).symbol();
        assertThat(decode(UPDATED_BAR).events.get(0).symbol()).isSameAs(spy);
        // status texts repeat and are interned too
        TradingStatus s1 = (TradingStatus) decode(STATUS).events.get(0);
        TradingStatus s2 = (TradingStatus) decode(STATUS).events.get(0);
        assertThat(s1.statusMessage()).isSameAs(s2.statusMessage());
    }

    @Test
    void integerPricesNullsAndUnknownFields() throws Exception {
        Bar b = (Bar) decode("[{\"T\":\"b\",\"S\":\"SPY\",\"o\":527,\"h\":528,\"l\":526,\"c\":527,\"v\":10,"
                + "\"t\":\"2024-05-30T14:31:00Z\",\"extra\":{\"nested\":[1,2,{\"a\":3}]}}]").events.get(0);
        assertThat(b.open()).isEqualTo(527.0);
        assertThat(b.close()).isEqualTo(527.0);
        assertThat(b.tradeCount()).isEqualTo(Absent.LONG);
        assertThat(b.vwap()).isNaN();
        Trade t = (Trade) decode("[{\"T\":\"t\",\"S\":\"AAPL\",\"i\":1,\"x\":\"V\",\"p\":1.5,\"s\":2,\"c\":null,"
                + "\"z\":null,\"r\":\"2024-05-30T19:59:59Z\",\"t\":\"2024-05-30T19:59:59Z\"}]").events.get(0);
        assertThat(t.conditions()).isSameAs(Conditions.NONE);
        assertThat(t.tape()).isEqualTo(Absent.CHAR);
        Quote q = (Quote) decode("[{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"\",\"bp\":0,\"bs\":0,\"ax\":\"Q\",\"ap\":1.5,"
                + "\"as\":1,\"c\":[],\"t\":\"2024-05-30T14:31:02Z\"}]").events.get(0);
        assertThat(q.bidExchange()).isEqualTo(Absent.INT);
        assertThat(q.askExchange()).isEqualTo('Q');
        assertThat(q.conditions()).isSameAs(Conditions.NONE);
    }

    @Test
    void bareObjectIsAOneElementFrame() throws Exception {
        RecordingHandler r = decode("{\"T\":\"success\",\"msg\":\"connected\"}");
        assertThat(r.controls).containsExactly(AlpacaSuccess.CONNECTED);
    }

    @Test
    void decodesFromAnOffsetInALargerBuffer() throws Exception {
        byte[] frame = utf8(IMBALANCE);
        byte[] buf = new byte[frame.length + 20];
        java.util.Arrays.fill(buf, (byte) '#');
        System.arraycopy(frame, 0, buf, 7, frame.length);
        RecordingHandler r = new RecordingHandler();
        assertThat(decoder.decode(buf, 7, frame.length, RX, r)).isEqualTo(1);
        assertThat(r.events.get(0).symbol()).isEqualTo("INAQU");
    }

    // ---- mixed frames and unknown types ----

    @Test
    void mixedFrameInOrder() throws Exception {
        String frame = "[" + String.join(",", DATA_EXAMPLES.stream().map(s -> s.substring(1, s.length() - 1))
                .toList()) + "]";
        RecordingHandler r = decode(frame);
        assertThat(r.events).extracting(e -> e.type().name()).containsExactly("TRADE", "TRADE", "QUOTE", "BAR",
                "BAR", "BAR", "TRADING_STATUS", "LULD", "TRADE_CORRECTION", "TRADE_CANCEL", "IMBALANCE");
        assertThat(r.events).extracting(e -> e.symbol()).containsExactly("AAPL", "AAPL", "AMD", "SPY", "SPY", "SPY",
                "GME", "IONM", "EEM", "GOOGL", "INAQU");
    }

    @Test
    void unknownTypesAreSkippedAndReported() throws Exception {
        RecordingHandler r = decode("""
                [{"T":"t","S":"AAPL","i":1,"x":"V","p":189.43,"s":100,"c":["@"],"z":"C","t":"2024-05-30T19:59:59Z"},
                 {"T":"o","S":"BTC/USD","t":"2023-03-18T13:51:29.754747009Z","b":[{"p":27485.3445,"s":0.25893365}],
                  "a":[{"p":27512.92,"s":0.26137249}],"r":true},
                 {"S":"AAPL","c":{"weird":true},"i":[1,2],"T":"news","headline":"x"},
                 {"T":"i","S":"INAQU","p":9.12,"z":"C","t":"2024-12-13T19:58:09.242138635Z"}]""");
        assertThat(r.all).hasSize(4);
        assertThat(r.all.get(1)).isEqualTo("unknown:o");
        assertThat(r.all.get(2)).isEqualTo("unknown:news");
        assertThat(r.events).extracting(e -> e.symbol()).containsExactly("AAPL", "INAQU");
    }

    // ---- malformed frames ----

    @Test
    void missingRequiredFieldNamesFieldAndIndex() {
        RecordingHandler r = new RecordingHandler();
        MalformedFrameException e = malformed("""
                [{"T":"i","S":"INAQU","p":9.12,"t":"2024-12-13T19:58:09Z"},
                 {"T":"t","S":"SECRETSYM","i":1,"x":"V","s":100,"t":"2024-05-30T19:59:59Z"},
                 {"T":"i","S":"INAQU","p":9.12,"t":"2024-12-13T19:58:09Z"}]""", r);
        assertThat(e.getMessage()).isEqualTo("element 1 (T=t): missing field 'p'");
        assertThat(e.eventsBefore()).isEqualTo(1);
        assertThat(r.events).hasSize(1);
    }

    @Test
    void wrongTypesAreReported() {
        assertThat(malformed("[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":\"189.43\",\"s\":1,\"t\":\"2024-05-30T19:59:59Z\"}]",
                new RecordingHandler()).getMessage()).isEqualTo("element 0 (T=t): field 'p' has the wrong type");
        assertThat(malformed("[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1.5,\"t\":\"2024-05-30T19:59:59Z\"}]",
                new RecordingHandler()).getMessage()).isEqualTo("element 0 (T=t): field 's' has the wrong type");
        assertThat(malformed("[{\"T\":\"t\",\"S\":\"A\",\"i\":18446744073709551616,\"p\":1,\"s\":1,"
                + "\"t\":\"2024-05-30T19:59:59Z\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=t): field 'i' has the wrong type");
        assertThat(malformed("[{\"T\":\"t\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1,\"c\":[\"@@\"],"
                + "\"t\":\"2024-05-30T19:59:59Z\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=t): field 'c' has the wrong type");
        assertThat(malformed("[{\"T\":\"b\",\"S\":\"A\",\"o\":1,\"h\":1,\"l\":1,\"c\":[\"@\"],\"v\":1,"
                + "\"t\":\"2024-05-30T19:59:59Z\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=b): field 'c' has the wrong type");
        assertThat(malformed("[{\"T\":\"t\",\"S\":\"A\",\"i\":\"abc\",\"p\":1,\"s\":1,"
                + "\"t\":\"2024-05-30T19:59:59Z\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=t): field 'i' has the wrong type");
        assertThat(malformed("[{\"T\":\"l\",\"S\":\"A\",\"u\":1,\"d\":1,\"i\":7,"
                + "\"t\":\"2024-05-30T19:59:59Z\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=l): field 'i' has the wrong type");
        assertThat(malformed("[{\"T\":5,\"S\":\"A\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0: field 'T' has the wrong type");
        assertThat(malformed("[{\"S\":\"A\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0: missing field 'T'");
        assertThat(malformed("[{\"T\":\"x\",\"S\":\"A\",\"i\":1,\"p\":1,\"s\":1,\"a\":\"\",\"t\":\"2024-05-30T19:59:59Z\"}]",
                new RecordingHandler()).getMessage()).isEqualTo("element 0 (T=x): field 'a' is empty");
    }

    @Test
    void badTimestampIsReportedWithoutItsText() {
        MalformedFrameException e = malformed("[{\"T\":\"i\",\"S\":\"A\",\"p\":1,\"t\":\"2024-13-30T19:59:59Z\"}]",
                new RecordingHandler());
        assertThat(e.getMessage()).isEqualTo("element 0 (T=i): field 't' is not an RFC 3339 timestamp");
        assertThat(e.getCause()).isNull();
        assertThat(malformed("[{\"T\":\"i\",\"S\":\"A\",\"p\":1,\"t\":1717099199}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=i): field 't' is not an RFC 3339 timestamp");
    }

    @Test
    void invalidJsonKeepsEarlierEventsAndHidesContent() {
        RecordingHandler r = new RecordingHandler();
        MalformedFrameException e = malformed(
                "[{\"T\":\"i\",\"S\":\"INAQU\",\"p\":9.12,\"t\":\"2024-12-13T19:58:09Z\"},{\"T\":\"t\",\"S\":SECRET}]", r);
        assertThat(e.getMessage()).startsWith("invalid JSON in element 1 at byte ");
        assertThat(e.getMessage()).doesNotContain("SECRET");
        assertThat(e.getCause()).isNull();
        assertThat(e.eventsBefore()).isEqualTo(1);
        assertThat(r.events).hasSize(1);
    }

    @Test
    void everyTruncationIsMalformedAndCountsDeliveredElements() {
        String frame = compact(TRADES);
        int firstEnd = frame.indexOf("},{") + 1;
        for (int cut = 0; cut < frame.length(); cut++) {
            RecordingHandler r = new RecordingHandler();
            byte[] b = utf8(frame);
            int len = cut;
            MalformedFrameException e = catchThrowableOfType(MalformedFrameException.class,
                    () -> decoder.decode(b, 0, len, RX, r));
            assertThat(e).as("cut at %d", cut).isNotNull();
            assertThat(e.eventsBefore()).as("cut at %d", cut).isEqualTo(r.events.size())
                    .isEqualTo(cut == frame.length() - 1 ? 2 : cut >= firstEnd ? 1 : 0);
        }
    }

    @Test
    void frameShapeErrors() {
        assertThat(malformed("", new RecordingHandler()).getMessage()).isEqualTo("empty frame");
        assertThat(malformed("42", new RecordingHandler()).getMessage()).isEqualTo("frame is not a JSON array");
        RecordingHandler r = new RecordingHandler();
        MalformedFrameException e = malformed("[" + compact(IMBALANCE).substring(1, compact(IMBALANCE).length() - 1)
                + ",[1]]", r);
        assertThat(e.getMessage()).isEqualTo("element 1 is not an object");
        assertThat(e.eventsBefore()).isEqualTo(1);
        assertThat(malformed(CONNECTED + CONNECTED, new RecordingHandler()).getMessage())
                .isEqualTo("content after the end of the frame");
        assertThat(malformed("[{\"T\":\"success\"}]", new RecordingHandler()).getMessage())
                .isEqualTo("element 0 (T=success): missing field 'msg'");
    }

    @Test
    void decoderIsReusableAfterAFault() throws Exception {
        assertThatThrownBy(() -> decode("[{\"T\":\"q\",\"S\":\"AMD\"}]")).isInstanceOf(MalformedFrameException.class);
        assertThat(decode(QUOTE).events).hasSize(1);
    }
}
