package com.systemtrader.cache;

import com.systemtrader.schema.RecordType;
import java.time.Duration;

/**
 * Bounds of the in-memory cache: each series keeps at most {@code maxEntries} events and none older than its
 * window (relative to the series' newest event time on add, to the clock on {@link DataCache#expire}).
 *
 * @param maxEntries per series (ticks, bars alike); the oldest are evicted first
 * @param tickWindow trades, quotes and the other tick types
 * @param barWindow  bars of every interval
 */
public record MemoryCacheConfig(int maxEntries, Duration tickWindow, Duration barWindow) {
    public MemoryCacheConfig {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        if (tickWindow.isNegative() || tickWindow.isZero() || barWindow.isNegative() || barWindow.isZero()) {
            throw new IllegalArgumentException("windows must be positive");
        }
    }

    public static MemoryCacheConfig defaults() {
        return new MemoryCacheConfig(10_000, Duration.ofHours(1), Duration.ofDays(1));
    }

    long windowNs(RecordType type) {
        return (type == RecordType.BAR ? barWindow : tickWindow).toNanos();
    }
}
