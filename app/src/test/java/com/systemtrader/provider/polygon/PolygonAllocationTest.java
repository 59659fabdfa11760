package com.systemtrader.provider.polygon;

import com.systemtrader.simulator.wire.PolygonEncoder;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Hot-path allocation, measured with the JVM's per-thread allocation counter. */
class PolygonAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    @Test
    void encoderAllocatesNothingPerEvent() {
        Assumptions.assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        List<MarketEvent> events = List.of(
                new Trade(DataSource.POLYGON, "AAPL", 1_717_099_200_123_000_000L, 0, 189.4312, 25, 4, "71675577320245",
                        'C', 4_502_211, 202, 1_717_099_200_121_000_000L, Conditions.of(12, 37)),
                new Quote(DataSource.POLYGON, "MSFT", 1_717_099_200_452_000_000L, 0, 11, 415.12, 3, 12, 415.15, 2,
                        Conditions.of(1), Conditions.of(604), 'C', 98_211_020),
                new Bar(DataSource.POLYGON, "AAPL", BarInterval.MINUTE, 1_717_099_140_000_000_000L,
                        1_717_099_200_000_000_000L, 0, 189.38, 189.52, 189.31, 189.45, 182_311, 189.4127, Absent.LONG,
                        23_110_450, 188.96, 189.0551, 94, false));
        JsonOut out = new JsonOut(1024);
        for (int i = 0; i < 50_000; i++) {
            out.reset();
            PolygonEncoder.writeFrame(events, out);
        }
        long before = allocated();
        for (int i = 0; i < 10_000; i++) {
            out.reset();
            PolygonEncoder.writeFrame(events, out);
        }
        long perFrame = (allocated() - before) / 10_000;
        assertThat(perFrame).as("bytes allocated per encoded frame").isZero();
    }

    @Test
    void decoderAllocatesLittleBeyondTheRecords() throws Exception {
        Assumptions.assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        String quote = "{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bx\":11,\"bp\":415.12,\"bs\":3,\"ax\":12,\"ap\":415.15,\"as\":2,"
                + "\"c\":1,\"i\":[604],\"t\":1717099200452,\"q\":98211020,\"z\":3}";
        byte[] one = ("[" + quote + "]").getBytes(StandardCharsets.UTF_8);
        byte[] eleven = ("[" + (quote + ",").repeat(10) + quote + "]").getBytes(StandardCharsets.UTF_8);
        PolygonDecoder decoder = new PolygonDecoder();
        FrameHandler sink = new FrameHandler() {
            MarketEvent last;
            @Override public void onEvent(MarketEvent event) { last = event; }
            @Override public void onControl(ControlMessage message) { }
            @Override public void onUnknown(String type) { }
        };
        for (int i = 0; i < 20_000; i++) {
            decoder.decode(one, 0, one.length, 1, sink);
            decoder.decode(eleven, 0, eleven.length, 1, sink);
        }
        long a = allocated();
        for (int i = 0; i < 2_000; i++) decoder.decode(one, 0, one.length, 1, sink);
        long b = allocated();
        for (int i = 0; i < 2_000; i++) decoder.decode(eleven, 0, eleven.length, 1, sink);
        long c = allocated();
        long perQuote = ((c - b) - (b - a)) / (2_000L * 10);
        // The Quote record alone is 96 bytes (compressed oops); its condition lists are shared and its symbol
        // interned. A String per symbol would add at least 48 bytes.
        assertThat(perQuote).as("bytes allocated per additional quote in a frame").isLessThan(96 + 24);
    }
}
