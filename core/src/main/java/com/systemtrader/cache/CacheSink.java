package com.systemtrader.cache;

import com.systemtrader.sink.EventBatch;
import com.systemtrader.sink.EventSink;
import com.systemtrader.sink.Overflow;
import java.util.function.LongSupplier;

/** A {@link DataCache} as an {@link EventSink}: each batch goes to {@link DataCache#addAll} (the verdicts are not kept). */
final class CacheSink implements EventSink {
    private final String name;
    private final Overflow overflow;
    private final DataCache cache;
    private final LongSupplier depth;
    private final LongSupplier dropped;

    CacheSink(String name, Overflow overflow, DataCache cache, LongSupplier depth, LongSupplier dropped) {
        this.name = name;
        this.overflow = overflow;
        this.cache = cache;
        this.depth = depth;
        this.dropped = dropped;
    }

    /** A cache whose {@code addAll} does its work at once. */
    static CacheSink blocking(String name, DataCache cache) {
        return new CacheSink(name, Overflow.BLOCK, cache, () -> 0, () -> 0);
    }

    @Override public String name() { return name; }

    @Override public Overflow overflow() { return overflow; }

    @Override public void accept(EventBatch batch) { cache.addAll(batch.events()); }

    @Override public long depth() { return depth.getAsLong(); }

    @Override public long dropped() { return dropped.getAsLong(); }
}
