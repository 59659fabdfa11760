package com.systemtrader.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exact counts of the anomalies the simulator wrote to client sockets, per {@link Anomaly kind} and per symbol (the
 * symbol as sent on the wire; {@link #NO_SYMBOL} for malformed frames). A count is taken when Netty reports the
 * frame written, the same moment the truth file gets its line, so on a healthy connection the counts equal what the
 * client received. Totals over every connection since start (or {@link #reset()}). Thread-safe.
 */
public final class InjectedAnomalies {
    /** The symbol under which frame-level anomalies (malformed frames) are counted. */
    public static final String NO_SYMBOL = "-";
    private final Map<Anomaly, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    void record(Anomaly kind, String symbol) {
        counts.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(symbol, s -> new LongAdder()).increment();
    }

    /** How many anomalies of {@code kind} were written. */
    public long count(Anomaly kind) {
        Map<String, LongAdder> bySymbol = counts.get(kind);
        if (bySymbol == null) return 0;
        long n = 0;
        for (LongAdder a : bySymbol.values()) n += a.sum();
        return n;
    }

    /** Kind label -> count, in {@link Anomaly} order; kinds never written are absent. A snapshot. */
    public Map<String, Long> injected() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Anomaly kind : Anomaly.values()) {
            long n = count(kind);
            if (n > 0) out.put(kind.label(), n);
        }
        return out;
    }

    /** Kind label -> (symbol -> count), kinds in {@link Anomaly} order, symbols sorted; a snapshot. */
    public Map<String, Map<String, Long>> injectedBySymbol() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Anomaly kind : Anomaly.values()) {
            Map<String, LongAdder> bySymbol = counts.get(kind);
            if (bySymbol == null) continue;
            Map<String, Long> m = new TreeMap<>();
            bySymbol.forEach((s, a) -> {
                long n = a.sum();
                if (n > 0) m.put(s, n);
            });
            if (!m.isEmpty()) out.put(kind.label(), m);
        }
        return out;
    }

    /** Sets every count to zero (between the phases of a test; a write completing meanwhile may be lost). */
    public void reset() {
        counts.values().forEach(m -> m.values().forEach(LongAdder::reset));
    }

    @Override public String toString() {
        return injected().toString();
    }
}
