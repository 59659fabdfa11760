package com.systemtrader.provider.polygon;

import com.systemtrader.simulator.wire.PolygonEncoder;
import com.systemtrader.codec.RecordingHandler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.codec.JsonOut;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolygonEncoderTest {
    private static final long RX = 42L;

    private final JsonOut out = new JsonOut(64);
    private final PolygonDecoder decoder = new PolygonDecoder();
    private final RecordingHandler handler = new RecordingHandler();

    /** Every §1.5 example, without white space: decoding then encoding must give the same bytes back. */
    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":4,\"i\":\"71675577320245\",\"z\":3,\"p\":189.4312,\"s\":25,\"c\":[12,37],"
                    + "\"t\":1717099200123,\"q\":4502211,\"trfi\":202,\"trft\":1717099200121},"
                    + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":12,\"i\":\"52983\",\"z\":3,\"p\":189.43,\"s\":100,"
                    + "\"t\":1717099200131,\"q\":4502214}]",
            "[{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bx\":11,\"bp\":415.12,\"bs\":3,\"ax\":12,\"ap\":415.15,\"as\":2,\"c\":1,"
                    + "\"i\":[604],\"t\":1717099200452,\"q\":98211020,\"z\":3}]",
            "[{\"ev\":\"AM\",\"sym\":\"AAPL\",\"v\":182311,\"av\":23110450,\"op\":188.96,\"vw\":189.4127,\"o\":189.38,"
                    + "\"c\":189.45,\"h\":189.52,\"l\":189.31,\"a\":189.0551,\"z\":94,\"s\":1717099140000,"
                    + "\"e\":1717099200000}]",
            "[{\"ev\":\"A\",\"sym\":\"GRLT\",\"v\":300,\"av\":5100,\"op\":0.41,\"vw\":0.4213,\"o\":0.42,\"c\":0.425,"
                    + "\"h\":0.43,\"l\":0.415,\"a\":0.4188,\"z\":100,\"s\":1717099199000,\"e\":1717099200000,\"otc\":true}]",
            "[{\"ev\":\"LULD\",\"T\":\"MSFT\",\"h\":218.96,\"l\":198.11,\"i\":[21],\"z\":3,\"t\":1601316752683746,"
                    + "\"q\":290317}]",
    })
    void reEncodesTheDocExamplesByteForByte(String frame) throws Exception {
        assertThat(decodeThenEncode(frame)).isEqualTo(frame);
    }

    @Test
    void reEncodesTheNoiDocExampleWithoutItsUnmappedSequenceField() throws Exception {
        String doc = "[{\"ev\":\"NOI\",\"T\":\"NTEST.Q\",\"t\":1601318039223013600,\"at\":930,\"a\":\"M\",\"i\":44,"
                + "\"x\":10,\"o\":480,\"p\":440,\"b\":25.03}]";
        assertThat(decodeThenEncode(doc)).isEqualTo(doc.replace("\"i\":44,", ""));
    }

    @Test
    void writesTradeFieldsInPolygonOrderAndOmitsAbsentOnes() {
        PolygonEncoder.writeEvent(new Trade(DataSource.POLYGON, "BRK.A", 1_717_099_200_123_999_999L, RX, 612_000.5, 1,
                Absent.INT, null, Absent.CHAR, Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE), out);
        assertThat(out.toString())
                .isEqualTo("{\"ev\":\"T\",\"sym\":\"BRK.A\",\"p\":612000.5,\"s\":1,\"t\":1717099200123}");
    }

    @Test
    void writesNegativeNanosAsFlooredMillis() {
        PolygonEncoder.writeEvent(new Quote(DataSource.POLYGON, "X", -1L, RX, Absent.INT, Double.NaN, Absent.LONG,
                Absent.INT, Double.NaN, Absent.LONG, Conditions.NONE, Conditions.NONE, Absent.CHAR, Absent.LONG), out);
        assertThat(out.toString()).isEqualTo("{\"ev\":\"Q\",\"sym\":\"X\",\"t\":-1}");
    }

    @Test
    void writesStatusMessages() {
        PolygonEncoder.writeStatusFrame(PolygonStatus.connected(), out);
        assertThat(out.toString())
                .isEqualTo("[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");

        out.reset();
        out.beginArray();
        PolygonEncoder.writeStatus(PolygonStatus.subscribed("T.AAPL"), out);
        PolygonEncoder.writeStatus("error", "quote \" and \\ escaped", out);
        out.endArray();
        assertThat(out.toString()).isEqualTo("[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.AAPL\"},"
                + "{\"ev\":\"status\",\"status\":\"error\",\"message\":\"quote \\\" and \\\\ escaped\"}]");
    }

    @Test
    void roundTripsEveryEventTypeIncludingAbsentFields() throws Exception {
        List<MarketEvent> events = List.of(
                new Trade(DataSource.POLYGON, "AAPL", 1_717_099_200_123_000_000L, RX, 189.4312, 25, 4, "716", 'C',
                        4_502_211, 202, 1_717_099_200_121_000_000L, Conditions.of(12, 37)),
                new Trade(DataSource.POLYGON, "BRK.B", 1_000_000L, RX, 0.0001, 7, Absent.INT, null, Absent.CHAR,
                        Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE),
                new Trade(DataSource.POLYGON, "IBM", 2_000_000L, RX, 150, 3, 10, "9", 'A', 1, 5, Absent.LONG,
                        Conditions.of(37)),
                new Quote(DataSource.POLYGON, "MSFT", 1_717_099_200_452_000_000L, RX, 11, 415.12, 3, 12, 415.15, 2,
                        Conditions.of(1), Conditions.of(604, 605), 'B', 98_211_020),
                new Quote(DataSource.POLYGON, "MSFT", 3_000_000L, RX, Absent.INT, Double.NaN, Absent.LONG, 12, 0.5, 1,
                        Conditions.NONE, Conditions.NONE, Absent.CHAR, Absent.LONG),
                new Bar(DataSource.POLYGON, "AAPL", BarInterval.MINUTE, 1_717_099_140_000_000_000L,
                        1_717_099_200_000_000_000L, RX, 189.38, 189.52, 189.31, 189.45, 182_311, 189.4127, Absent.LONG,
                        23_110_450, 188.96, 189.0551, 94, false),
                new Bar(DataSource.POLYGON, "OTCX", BarInterval.SECOND, 1_717_099_199_000_000_000L,
                        1_717_099_200_000_000_000L, RX, 1, 2, 0.5, 1.5, 10, Double.NaN, Absent.LONG, Absent.LONG,
                        Double.NaN, Double.NaN, Absent.LONG, true),
                new LuldBand(DataSource.POLYGON, "MSFT", 1_601_316_752_683_746_000L, RX, 218.96, 198.11,
                        Conditions.of(21), 'C', 290_317),
                new LuldBand(DataSource.POLYGON, "MSFT", 1_601_316_752_683_000_000L, RX, 218.96, 198.11,
                        Conditions.NONE, Absent.CHAR, Absent.LONG),
                new Imbalance(DataSource.POLYGON, "NTEST.Q", 1_601_318_039_223_013_600L, RX, 25.03, 480, 440, 930,
                        'M', 10, Absent.CHAR),
                new Imbalance(DataSource.POLYGON, "ZVZZT", 1_601_318_039_223_013_601L, RX, Double.NaN, Absent.LONG,
                        Absent.LONG, Absent.INT, Absent.CHAR, Absent.INT, 'B'));

        PolygonEncoder.writeFrame(events, out);
        int n = decoder.decode(out.array(), 0, out.length(), RX, handler);

        assertThat(n).isEqualTo(events.size());
        assertThat(handler.events).containsExactlyElementsOf(events);
    }

    @Test
    void roundTripLosesOnlyPrecisionBelowTheWireUnit() throws Exception {
        Trade t = new Trade(DataSource.POLYGON, "AAPL", 1_717_099_200_123_456_789L, RX, 1, 1, 1, "1", 'C', 1,
                Absent.INT, Absent.LONG, Conditions.NONE);
        LuldBand l = new LuldBand(DataSource.POLYGON, "AAPL", 1_601_316_752_683_746_789L, RX, 2, 1, Conditions.NONE,
                'C', 1);
        PolygonEncoder.writeFrame(List.of(t, l), out);
        decoder.decode(out.array(), 0, out.length(), RX, handler);

        assertThat(handler.events.get(0).eventTimeNs()).isEqualTo(1_717_099_200_123_000_000L);
        assertThat(handler.events.get(1).eventTimeNs()).isEqualTo(1_601_316_752_683_746_000L);
    }

    @Test
    void rejectsEventsPolygonDoesNotStreamAndLeavesTheBufferAsItWas() {
        out.ascii("prefix");
        Trade ok = new Trade(DataSource.POLYGON, "AAPL", 0, RX, 1, 1, 1, "1", 'C', 1, Absent.INT, Absent.LONG,
                Conditions.NONE);
        List<MarketEvent> rejected = List.of(
                new TradingStatus(DataSource.ALPACA, "AAPL", 0, 0, "H", "Halt", "T1", "news", 'C'),
                new TradeCorrection(DataSource.ALPACA, "AAPL", 0, 0, 'V', "1", 1, 1, Conditions.NONE, "2", 1, 1,
                        Conditions.NONE, 'C'),
                new TradeCancel(DataSource.ALPACA, "AAPL", 0, 0, 'V', "1", 1, 1, 'C', 'C'),
                new Bar(DataSource.ALPACA, "AAPL", BarInterval.DAILY, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, Absent.LONG,
                        Double.NaN, Double.NaN, Absent.LONG, false),
                new Quote(DataSource.ALPACA, "AAPL", 0, 0, 'V', 1, 1, 'V', 1, 1, Conditions.ofLetters("R", "I"),
                        Conditions.NONE, 'C', Absent.LONG));
        for (MarketEvent e : rejected) {
            assertThatThrownBy(() -> PolygonEncoder.writeFrame(List.of(ok, e), out))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(out.toString()).isEqualTo("prefix");
        }
        assertThatThrownBy(() -> PolygonEncoder.writeEvent(rejected.getFirst(), out))
                .hasMessage("Polygon has no stocks WebSocket event for trading status");
    }

    @Test
    void writesCommasBetweenConsecutiveEvents() {
        Trade t = new Trade(DataSource.POLYGON, "A", 5_000_000L, RX, 1, 2, Absent.INT, null, Absent.CHAR, Absent.LONG,
                Absent.INT, Absent.LONG, Conditions.NONE);
        out.beginArray();
        PolygonEncoder.writeEvent(t, out);
        PolygonEncoder.writeEvent(t, out);
        out.endArray();
        assertThat(out.toString()).isEqualTo("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":2,\"t\":5},"
                + "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":2,\"t\":5}]");
    }

    private String decodeThenEncode(String frame) throws Exception {
        byte[] b = frame.getBytes(StandardCharsets.UTF_8);
        decoder.decode(b, 0, b.length, RX, handler);
        PolygonEncoder.writeFrame(handler.events, out);
        return out.toString();
    }
}
