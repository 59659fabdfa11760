package com.systemtrader.storage.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static List<MarketEvent> roundTrip(List<? extends MarketEvent> batch) throws Exception {
        EventCodec.Output out = new EventCodec.Output(16); // tiny: exercises growth
        EventCodec.encode(batch, out);
        ByteBuffer b = out.buffer().flip();
        return EventCodec.decode(b, "test");
    }

    @Test void everyEventTypeRoundTripsExactly() throws Exception {
        List<MarketEvent> events = JournalEvents.everyType();
        Set<RecordType> types = events.stream().map(MarketEvent::type).collect(Collectors.toCollection(() -> EnumSet.noneOf(RecordType.class)));
        assertThat(types).containsAll(EnumSet.complementOf(EnumSet.of(RecordType.CONNECTION_STATUS)));
        assertThat(roundTrip(events)).containsExactlyElementsOf(events);
    }

    @Test void doublesKeepTheirRawBitsIncludingNaNPayloadsAndNegativeZero() throws Exception {
        double oddNaN = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        Trade t = new Trade(DataSource.POLYGON, "X", 1, 2, oddNaN, 1, 1, "1", 'A', 1, Absent.INT, Absent.LONG, Conditions.NONE);
        Trade z = new Trade(DataSource.POLYGON, "X", 1, 2, -0.0, 1, 1, "1", 'A', 1, Absent.INT, Absent.LONG, null);
        List<MarketEvent> back = roundTrip(List.of(t, z));
        assertThat(Double.doubleToRawLongBits(((Trade) back.get(0)).price())).isEqualTo(0x7ff8_0000_dead_beefL);
        assertThat(Double.doubleToRawLongBits(((Trade) back.get(1)).price())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(((Trade) back.get(0)).conditions()).isSameAs(Conditions.NONE);
        assertThat(((Trade) back.get(1)).conditions()).isNull();
    }

    @Test void aThousandTradesEncodeCompactly() throws Exception {
        EventCodec.Output out = new EventCodec.Output(1024);
        EventCodec.encode(JournalEvents.trades(0, 1000), out);
        assertThat(out.position()).isLessThan(1000 * 100);
        assertThat(roundTrip(JournalEvents.trades(0, 1000))).containsExactlyElementsOf(JournalEvents.trades(0, 1000));
    }

    @Test void unknownVersionAndTruncatedPayloadsAreSpecificErrors() {
        assertThatThrownBy(() -> EventCodec.decode(ByteBuffer.wrap(new byte[] {9, 0}), "f offset 16"))
                .isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("unknown journal codec version 9 at f offset 16");
        EventCodec.Output out = new EventCodec.Output(64);
        EventCodec.encode(JournalEvents.trades(0, 2), out);
        int end = out.position();
        ByteBuffer cut = out.buffer().flip().limit(end - 3);
        assertThatThrownBy(() -> EventCodec.decode(cut, "f offset 99"))
                .isInstanceOf(JournalFormatException.class).hasMessageContaining("f offset 99");
    }

    @Test void verdictsRoundTripPerEventIncludingTheTopBits() throws Exception {
        List<MarketEvent> events = JournalEvents.everyType();
        int[] flags = new int[events.size()];
        for (int i = 0; i < flags.length; i++) flags[i] = i * 0x101 + 0x1F;
        flags[0] = 0;
        flags[flags.length - 1] = 0xC000_0001; // both top bits: the 5-byte varint
        EventCodec.Output out = new EventCodec.Output(16);
        EventCodec.encode(events, flags, out);
        EventCodec.Decoded back = EventCodec.decodeWithFlags(out.buffer().flip(), "test");
        assertThat(back.events()).containsExactlyElementsOf(events);
        assertThat(back.flags()).containsExactly(flags);
    }

    @Test void aBatchWithoutVerdictsDecodesWithZeros() throws Exception {
        EventCodec.Output out = new EventCodec.Output(64);
        EventCodec.encode(JournalEvents.trades(0, 3), out);
        assertThat(out.buffer().get(0)).isEqualTo((byte) 2);
        assertThat(EventCodec.decodeWithFlags(out.buffer().flip(), "t").flags()).containsExactly(0, 0, 0);
    }

    /** A version 1 payload, written byte by byte as the version 1 encoder did (no flags after the tag). */
    @Test void versionOnePayloadsStillDecodeWithVerdictZero() throws Exception {
        Trade t = new Trade(DataSource.ALPACA, "AB", 5L, 6L, 1.5, 100, 86, "7", 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.of(64));
        ByteBuffer b = ByteBuffer.allocate(128);
        b.put((byte) 1).put((byte) 1); // version 1, one event
        b.put((byte) 1).put((byte) 2); // tag trade, source alpaca
        b.put((byte) 3).put((byte) 'A').put((byte) 'B'); // symbol
        b.putLong(5L).putLong(6L).putLong(Double.doubleToRawLongBits(1.5)).putLong(100).putInt(86);
        b.put((byte) 2).put((byte) '7'); // trade id
        b.putChar('C').putLong(Absent.LONG).putInt(Absent.INT).putLong(Absent.LONG);
        b.put((byte) 2).putInt(64); // one condition
        b.flip();
        ByteBuffer again = b.duplicate();
        EventCodec.Decoded d = EventCodec.decodeWithFlags(b, "v1");
        assertThat(d.events()).containsExactly(t);
        assertThat(d.flags()).containsExactly(0);
        assertThat(EventCodec.decode(again, "v1")).containsExactly(t);
    }
}
