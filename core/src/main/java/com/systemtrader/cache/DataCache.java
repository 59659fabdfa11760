package com.systemtrader.cache;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.sink.EventSink;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recent market data by series ({@link SeriesKey}): a batch add, the latest value, time-range queries, the symbols
 * seen per type, and expiry. Implementations: {@link MemoryDataCache} (this process) and {@code RedisDataCache}
 * (shared with other processes and languages; key layout in docs/REDIS_SCHEMA.md). Events are the cleaned ones;
 * a bar with the window start of one already held replaces it (revised bars, Alpaca's updated bars).
 *
 * <p>Thread-safety: one writer calls {@link #addAll}; any number of threads read.
 */
public interface DataCache extends AutoCloseable {
    /**
     * How a collector feeds this cache ({@code WebsocketCollector.attachCache}): one sink per store, each with its
     * overflow policy. By default one {@code BLOCK} sink named {@code cache} calling {@link #addAll}.
     */
    default List<EventSink> sinks() {
        return List.of(CacheSink.blocking("cache", this));
    }

    /** Adds a batch (any mix of series). Events of types the cache does not keep are ignored. */
    void addAll(List<? extends MarketEvent> events);

    /** The event with the greatest event time held for the series (latest only ever moves forward in event time). */
    Optional<MarketEvent> latest(SeriesKey series);

    /** Events of the series in the range, ordered by event time as asked. */
    List<MarketEvent> range(RangeQuery query);

    /** Symbols with data of {@code type} (any source). */
    Set<String> symbols(RecordType type);

    /** Drops what is older than each series' retention, relative to {@code nowNs}. */
    void expire(long nowNs);

    @Override void close();
}
