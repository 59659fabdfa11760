package com.systemtrader.collector;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A collector's statistics: Micrometer meters (tagged by source and feed; per-symbol figures stay out of the
 * registry to bound its cardinality) and a {@link CollectorSnapshot} with per-symbol counts. Updated by the pipeline
 * thread (counters) and the I/O thread (ring figures); read by any thread.
 */
final class CollectorStats {
    private static final int TYPES = RecordType.values().length;
    /** Latencies above this (1 hour in microseconds) are clamped: clock skew, not transport. */
    private static final long MAX_LATENCY_US = 3_600_000_000L;

    /** Data messages decoded (events, malformed frames, unknown types): what the cleaner must account for. */
    final LongAdder received = new LongAdder();
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder decodeErrors = new LongAdder();
    final LongAdder unknownTypes = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final LongAdder backpressurePauses = new LongAdder();
    /** Data for symbols not (or no longer) subscribed, dropped as filtered. */
    final LongAdder filteredUnsubscribed = new LongAdder();
    final AtomicLong lastMessageNs = new AtomicLong();
    private final AtomicLongArray byType = new AtomicLongArray(TYPES);
    private final ConcurrentHashMap<String, AtomicLongArray> bySymbol = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> reconnects = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(3);
    private Histogram latencyTotal = new Histogram(3);
    private final Counter[] typeCounters = new Counter[TYPES];
    /** {@code collector.latency} for Prometheus; {@link #latency} keeps the exact figures for the snapshot. */
    private final Timer latencyTimer;
    private final MeterRegistry registry;
    private final Tags tags;
    private volatile double messagesPerSecond;
    private long lastRateTotal;
    private long lastRateNs;

    CollectorStats(MeterRegistry registry, String source, String feed, FrameRing ring) {
        this.registry = registry;
        this.tags = Tags.of("source", source, "feed", feed);
        for (RecordType t : RecordType.values()) {
            typeCounters[t.ordinal()] = Counter.builder("collector.messages").tags(tags).tag("type", t.name())
                    .description("data messages received").register(registry);
        }
        Gauge.builder("collector.ring.depth", ring, FrameRing::size).tags(tags)
                .description("frames waiting between the I/O thread and the decoder").register(registry);
        counter("collector.ring.dropped", ring, FrameRing::dropped, "frames dropped because the ring was full");
        counter("collector.frames", frames, LongAdder::sum, "WebSocket frames received");
        counter("collector.bytes", bytes, LongAdder::sum, "WebSocket payload bytes received");
        counter("collector.decode.errors", decodeErrors, LongAdder::sum, "malformed frames skipped");
        counter("collector.unknown.types", unknownTypes, LongAdder::sum, "elements of unknown type skipped");
        counter("collector.listener.errors", listenerErrors, LongAdder::sum, "exceptions thrown by listeners");
        counter("collector.filtered.unsubscribed", filteredUnsubscribed, LongAdder::sum,
                "data for symbols not subscribed, dropped");
        counter("collector.backpressure.pauses", backpressurePauses, LongAdder::sum,
                "times socket reads paused because the ring was full");
        // a real histogram (buckets, count, sum): a gauge per quantile since start, "max" included, could neither be
        // aggregated across collectors nor windowed by Prometheus, and promtool rejects a gauge with a quantile label
        latencyTimer = Timer.builder("collector.latency").tags(tags)
                .description("receive time minus the exchange's event time, trades and quotes")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
    }

    private <T> void counter(String name, T obj, java.util.function.ToDoubleFunction<T> f, String description) {
        FunctionCounter.builder(name, obj, f).tags(tags).description(description).register(registry);
    }

    /** Outages and sequence gaps of the feed, as counters ({@code collector.gaps}, {@code collector.sequence.*}). */
    void bindGaps(GapLedger ledger) {
        counter("collector.gaps", ledger, GapLedger::outageCount, "outages recorded in the gap ledger");
        counter("collector.sequence.gaps", ledger, GapLedger::sequenceGapCount, "sequence-number gaps seen");
        counter("collector.sequence.missing", ledger, GapLedger::sequenceNumbersMissing,
                "sequence numbers missing in those gaps");
    }

    /** A latency quantile (1.0 = max) in seconds over everything recorded so far; 0 before the first event. */
    synchronized double latencySeconds(double quantile) {
        latencyTotal.add(latency.getIntervalHistogram());
        Histogram h = latencyTotal;
        if (h.getTotalCount() == 0) return 0;
        return (quantile >= 1.0 ? h.getMaxValue() : h.getValueAtPercentile(quantile * 100)) / 1e6;
    }

    /** Pipeline thread, per event. */
    void event(MarketEvent e, long receiveNs) {
        int t = e.type().ordinal();
        byType.incrementAndGet(t);
        typeCounters[t].increment();
        AtomicLongArray s = bySymbol.get(e.symbol());
        if (s == null) s = bySymbol.computeIfAbsent(e.symbol(), k -> new AtomicLongArray(TYPES));
        s.incrementAndGet(t);
        lastMessageNs.lazySet(receiveNs);
        long us = (receiveNs - e.eventTimeNs()) / 1_000;
        if (e.type() == RecordType.TRADE || e.type() == RecordType.QUOTE) {
            long clamped = Math.max(0, Math.min(MAX_LATENCY_US, us));
            latency.recordValue(clamped);
            latencyTimer.record(clamped, TimeUnit.MICROSECONDS);
        }
    }

    void reconnect(String cause) {
        reconnects.computeIfAbsent(cause, c -> {
            LongAdder a = new LongAdder();
            FunctionCounter.builder("collector.reconnects", a, LongAdder::sum).tags(tags).tag("cause", c)
                    .description("reconnects, by cause").register(registry);
            return a;
        }).increment();
    }

    long totalMessages() {
        long n = 0;
        for (int i = 0; i < TYPES; i++) n += byType.get(i);
        return n;
    }

    /** Pipeline thread, about once a second: the message rate over the last interval. */
    void roll(long nowNs) {
        long total = totalMessages();
        if (lastRateNs != 0 && nowNs > lastRateNs) {
            messagesPerSecond = (total - lastRateTotal) * 1e9 / (nowNs - lastRateNs);
        }
        lastRateTotal = total;
        lastRateNs = nowNs;
    }

    synchronized CollectorSnapshot snapshot(String state, FrameRing ring, GapLedger ledger, long nowNs) {
        Map<RecordType, Long> types = new EnumMap<>(RecordType.class);
        for (RecordType t : RecordType.values()) if (byType.get(t.ordinal()) > 0) types.put(t, byType.get(t.ordinal()));
        Map<String, Map<RecordType, Long>> symbols = new TreeMap<>();
        bySymbol.forEach((sym, arr) -> {
            Map<RecordType, Long> m = new EnumMap<>(RecordType.class);
            for (RecordType t : RecordType.values()) if (arr.get(t.ordinal()) > 0) m.put(t, arr.get(t.ordinal()));
            symbols.put(sym, m);
        });
        Map<String, Long> rc = new LinkedHashMap<>();
        reconnects.forEach((k, v) -> rc.put(k, v.sum()));
        long last = lastMessageNs.get();
        return new CollectorSnapshot(state, totalMessages(), messagesPerSecond, types, symbols, frames.sum(), bytes.sum(),
                decodeErrors.sum(), unknownTypes.sum(), filteredUnsubscribed.sum(), listenerErrors.sum(), rc,
                last == 0 ? -1 : (nowNs - last) / 1e9, ring.size(), ring.capacity(), ring.dropped(),
                backpressurePauses.sum(), latencySeconds(0.5) * 1e3, latencySeconds(0.99) * 1e3,
                latencySeconds(1.0) * 1e3, ledger.outageCount(), ledger.sequenceGapCount());
    }
}
