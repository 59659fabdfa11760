package com.systemtrader.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.clean.Flags;
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
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bus value (docs/BUS_SCHEMA.md): every record type comes back equal, and the layout is the documented one. */
class BusCodecTest {
    private static final long T0 = 1_733_500_000_123_456_789L;

    static List<MarketEvent> everyType() {
        return List.of(
                new Trade(DataSource.POLYGON, "AAPL", T0, T0 + 5, 187.25, 100, 4, "71675577320245", 'C', 42,
                        202, T0 - 3, Conditions.of(12, 37)),
                new Trade(DataSource.ALPACA, "BRK.B", T0, 0, 412.5, 3, 'V', null, Absent.CHAR, Absent.LONG,
                        Absent.INT, Absent.LONG, null),
                new Trade(DataSource.POLYGON, "ÄPFEL", T0, T0, Double.NaN, 0, 1, "", 'A', 1, 1, 1, Conditions.NONE),
                new Quote(DataSource.POLYGON, "MSFT", T0, T0 + 9, 11, 410.01, 3, 12, 410.03, 5, Conditions.of(1),
                        Conditions.of(604, 607), 'C', 99),
                new Quote(DataSource.ALPACA, "MSFT", T0, T0, 'V', 410.0, 1, 'V', 410.1, 2, Conditions.ofLetters("R"),
                        Conditions.NONE, 'C', Absent.LONG),
                new Bar(DataSource.POLYGON, "TSLA", BarInterval.MINUTE, T0, T0 + 60_000_000_000L, T0 + 1, 250.0, 251.5,
                        249.75, 251.0, 12_345, 250.6, Absent.LONG, 1_000_000, 248.0, 250.1, 37, true),
                new Bar(DataSource.DERIVED, "TSLA", BarInterval.SECOND, T0, T0 + 1_000_000_000L, 0, 1, 2, 0.5, 1.5, 7,
                        Double.NaN, 3, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false, DataSource.POLYGON),
                new TradeCorrection(DataSource.ALPACA, "AAPL", T0, T0 + 2, 'V', "11", 187.0, 100, Conditions.ofLetters("@"),
                        "12", 187.1, 90, null, 'C'),
                new TradeCancel(DataSource.ALPACA, "AAPL", T0, T0 + 2, 'V', "11", 187.0, 100, 'C', 'C'),
                new TradingStatus(DataSource.ALPACA, "AAPL", T0, T0 + 3, "H", "Trading Halt", "T12",
                        "Additional Information Requested by NASDAQ", 'C'),
                new TradingStatus(DataSource.POLYGON, "MSFT", T0, T0, "T", null, null, null, Absent.CHAR),
                new LuldBand(DataSource.POLYGON, "TSLA", T0, T0 + 4, 263.25, 238.15, Conditions.of(17), 'C', 9),
                new LuldBand(DataSource.ALPACA, "TSLA", T0, T0, 1.5, Double.NaN, null, Absent.CHAR, Absent.LONG),
                new Imbalance(DataSource.POLYGON, "SPY", T0, T0 + 5, 601.1, 12_000, 800_000, 1600, 'C', 10, 'B'));
    }

    /** The version a value of each type is written with: 1 for the first schema's types, 2 for the others. */
    private static final List<Integer> VERSIONS = List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2);

    @Test void everyRecordTypeRoundTripsWithItsVerdict() {
        BusEncoder encoder = new BusEncoder();
        int[] verdicts = {0, Flags.SUSPICIOUS | 0x3F, Flags.REJECTED, -1, 0x7FFF_FFFF, 1, Flags.REVISED, 0, 123,
                Flags.SUSPICIOUS, 0, 5, -7, 9};
        List<MarketEvent> events = everyType();
        assertThat(events.stream().map(Object::getClass).distinct()).as("every event class")
                .containsExactlyInAnyOrder(MarketEvent.class.getPermittedSubclasses());
        for (int i = 0; i < events.size(); i++) {
            MarketEvent e = events.get(i);
            byte[] value = encoder.encode(e, verdicts[i]);
            BusDecoder.Decoded d = BusDecoder.decode(value);
            assertThat(d.event()).as("%s", e).isEqualTo(e); // records compare doubles with Double.compare: NaN too
            assertThat(d.flags()).isEqualTo(verdicts[i]);
            assertThat(value[0]).as("version byte of %s", e.type()).isEqualTo(VERSIONS.get(i).byteValue());
        }
    }

    /** The example of docs/BUS_SCHEMA.md, byte for byte. */
    @Test void aTradeIsLaidOutAsTheSchemaDocumentSays() {
        Trade t = new Trade(DataSource.POLYGON, "AAPL", 1_000, 2_000, 1.5, 100, 4, "T1", 'C', 7, Absent.INT,
                Absent.LONG, Conditions.of(12));
        String hex = HexFormat.of().formatHex(new BusEncoder().encode(t, 0x101));
        assertThat(hex).isEqualTo("01" + "01" + "00000101" + "01" + "0004" + "4141504c"
                + "00000000000003e8" + "00000000000007d0"
                + "3ff8000000000000" + "0000000000000064" + "00000004" + "0002" + "5431" + "0043"
                + "0000000000000007" + "80000000" + "8000000000000000" + "0001" + "0000000c");
    }

    @Test void unknownVersionsTypesAndTruncatedValuesAreRefused() {
        byte[] v = new BusEncoder().encode(everyType().get(0), 0);
        byte[] future = v.clone();
        future[0] = 3;
        assertThatThrownBy(() -> BusDecoder.decode(future)).hasMessageContaining("version 3");
        byte[] none = v.clone();
        none[0] = 0;
        assertThatThrownBy(() -> BusDecoder.decode(none)).hasMessageContaining("version 0");
        byte[] type = v.clone();
        type[1] = 42;
        assertThatThrownBy(() -> BusDecoder.decode(type)).hasMessageContaining("record type 42");
        assertThatThrownBy(() -> BusDecoder.decode(java.util.Arrays.copyOf(v, v.length - 1)))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> BusDecoder.decode(java.util.Arrays.copyOf(v, v.length + 1)))
                .hasMessageContaining("trailing");
    }

    /** Version 1 did not define trading statuses, LULD bands or imbalances: such a value claiming version 1 is refused. */
    @Test void aTypeNewInVersionTwoIsRefusedUnderVersionOne() {
        byte[] v = new BusEncoder().encode(new LuldBand(DataSource.POLYGON, "TSLA", T0, T0, 2, 1, Conditions.NONE,
                'C', 1), 0);
        assertThat(v[0]).isEqualTo((byte) 2);
        assertThat(BusDecoder.decode(v).event()).isInstanceOf(LuldBand.class);
        byte[] old = v.clone();
        old[0] = 1;
        assertThatThrownBy(() -> BusDecoder.decode(old)).hasMessageContaining("record type 5 in schema version 1");
    }
}
