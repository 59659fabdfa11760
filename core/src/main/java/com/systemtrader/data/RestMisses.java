package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The symbols a provider's REST API just answered with nothing (an unknown or delisted ticker), per source and record
 * type, so that they are not asked again on every request for {@link #ttlNanos} against the key's shared rate limit.
 * An unknown symbol used to reach REST once per source on every request. Thread-safe.
 *
 * <p>Bounded: at most {@link #CAPACITY} entries; when full, expired entries go first, and if none has expired the
 * whole set is cleared (the next requests simply ask REST again).
 */
final class RestMisses {
    static final int CAPACITY = 10_000;

    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    RestMisses(long ttlNanos, LongSupplier nanoTime) {
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
    }

    /** True when REST had nothing for the symbol less than the TTL ago. */
    boolean known(DataSource source, RecordType type, String symbol) {
        Long t = until.get(key(source, type, symbol));
        return t != null && t - nanoTime.getAsLong() > 0;
    }

    /** REST answered nothing for the symbol just now. */
    void record(DataSource source, RecordType type, String symbol) {
        if (ttlNanos <= 0) return;
        long now = nanoTime.getAsLong();
        if (until.size() >= CAPACITY) {
            until.values().removeIf(t -> t - now <= 0);
            if (until.size() >= CAPACITY) until.clear();
        }
        until.put(key(source, type, symbol), now + ttlNanos);
    }

    /** REST answered something for the symbol: it is no longer a miss. */
    void forget(DataSource source, RecordType type, String symbol) {
        until.remove(key(source, type, symbol));
    }

    int size() {
        return until.size();
    }

    private static String key(DataSource source, RecordType type, String symbol) {
        return source.ordinal() + ":" + type.ordinal() + ":" + symbol;
    }
}
