package com.systemtrader.cli;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The listener of {@code bench-collector}: counts events (all of them, and those that are neither trades nor quotes
 * separately: the simulator's corrections and cancels, which Alpaca sends on the trades channel) and, while
 * measuring, records latencies into HdrHistogram recorders (nanoseconds):
 * <ul>
 *   <li>event-to-listener, quotes only: wall time at the listener call minus the quote's own time
 *       ({@code eventTimeNs}). It spans the simulator's tick, encode and send, loopback TCP, the collector's I/O
 *       thread, ring, decode and pipeline; it is biased upward by the feed's timestamp resolution (Polygon sends
 *       milliseconds, so up to +1 ms) and by the simulator's participant jitter (event time = generation time minus
 *       up to 0.5 ms). Quotes travel in the same frames as trades, but only quotes always carry a current time:
 *       the simulator deliberately reports some trades late (sold-out-of-sequence and some TRF prints, 0.5-9.5 s
 *       old), which measures the market, not the transport;</li>
 *   <li>event-to-listener, all trades and quotes (the late-reported trades included), for reference;</li>
 *   <li>receive-to-listener, trades and quotes: wall time at the listener call minus {@code receiveTimeNs}
 *       (stamped by the collector's I/O thread when the frame arrived): ring wait plus decode.</li>
 * </ul>
 * Called on the collector's pipeline thread only; counters are published with release stores for the reader.
 */
final class BenchCollectorProbe implements MarketDataListener {
    private static final VarHandle DATA;
    private static final VarHandle OTHER;
    /** Latencies above one hour are clock trouble, not transport; they are clamped. */
    private static final long MAX_NS = 3_600_000_000_000L;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DATA = l.findVarHandle(BenchCollectorProbe.class, "data", long.class);
            OTHER = l.findVarHandle(BenchCollectorProbe.class, "other", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Recorder eventLatency = new Recorder(MAX_NS, 3);
    private final Recorder allLatency = new Recorder(MAX_NS, 3);
    private final Recorder receiveLatency = new Recorder(MAX_NS, 3);
    private volatile boolean measuring;
    @SuppressWarnings("unused") private long data;
    @SuppressWarnings("unused") private long other;
    private long negative;

    @Override public void onEvent(MarketEvent e) {
        if (e instanceof com.systemtrader.schema.Bar b && b.derived()) return;   // built here, not received
        DATA.setRelease(this, (long) DATA.getOpaque(this) + 1);
        if (e instanceof Trade || e instanceof Quote) {
            if (measuring) {
                long now = Timestamps.nowNs();
                long latency = clamp(now - e.eventTimeNs());
                if (e instanceof Quote) eventLatency.recordValue(latency);
                allLatency.recordValue(latency);
                receiveLatency.recordValue(clamp(now - e.receiveTimeNs()));
            }
        } else {
            OTHER.setRelease(this, (long) OTHER.getOpaque(this) + 1);
        }
    }

    private long clamp(long ns) {
        if (ns < 0) {
            negative++;
            return 0;
        }
        return Math.min(ns, MAX_NS);
    }

    /** Starts or stops recording latencies (counting never stops). */
    void measuring(boolean on) { measuring = on; }

    /** Data events (of every type) received so far. */
    long dataEvents() { return (long) DATA.getAcquire(this); }

    /** Events other than trades and quotes received so far (included in {@link #dataEvents()}). */
    long otherEvents() { return (long) OTHER.getAcquire(this); }

    /** Latencies recorded as 0 because the event looked newer than the listener's clock (read after stop). */
    long negativeLatencies() { return negative; }

    /** Event-to-listener latencies of quotes since the previous call (the recorder's interval). */
    Histogram takeEventLatency(Histogram recycle) { return eventLatency.getIntervalHistogram(recycle); }

    /** Event-to-listener latencies of all trades and quotes since the previous call. */
    Histogram takeAllLatency(Histogram recycle) { return allLatency.getIntervalHistogram(recycle); }

    /** Receive-to-listener latencies since the previous call. */
    Histogram takeReceiveLatency(Histogram recycle) { return receiveLatency.getIntervalHistogram(recycle); }
}
