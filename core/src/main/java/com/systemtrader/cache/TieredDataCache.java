package com.systemtrader.cache;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.sink.EventSink;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Memory first, Redis second. Writes go to both (memory synchronously, Redis through its writer queue). Reads are
 * answered from memory when it holds the series and fall back to Redis when it does not, so a process that started
 * late serves the recent window other processes wrote. A range is taken from memory only when memory covers its
 * start (its oldest event is at or before {@code fromNs}, or it holds at least {@code limit} events for a newest-first
 * query); otherwise Redis answers, and memory again if Redis has nothing.
 */
public final class TieredDataCache implements DataCache {
    private final MemoryDataCache memory;
    private final RedisDataCache redis;

    public TieredDataCache(MemoryDataCache memory, RedisDataCache redis) {
        this.memory = memory;
        this.redis = redis;
    }

    /** A memory cache and a Redis cache that rewrites from it after an outage, its writer started. */
    public static TieredDataCache create(MemoryCacheConfig memoryConfig, RedisConfig redisConfig) {
        MemoryDataCache m = new MemoryDataCache(memoryConfig);
        return new TieredDataCache(m, new RedisDataCache(redisConfig, m).start());
    }

    public MemoryDataCache memory() { return memory; }
    public RedisDataCache redis() { return redis; }

    @Override public void addAll(List<? extends MarketEvent> events) {
        memory.addAll(events);
        redis.addAll(events);
    }

    /** The memory cache's sink, then Redis's. */
    @Override public List<EventSink> sinks() {
        List<EventSink> all = new java.util.ArrayList<>(memory.sinks());
        all.addAll(redis.sinks());
        return List.copyOf(all);
    }

    @Override public Optional<MarketEvent> latest(SeriesKey series) {
        Optional<MarketEvent> m = memory.latest(series);
        return m.isPresent() ? m : redis.latest(series);
    }

    @Override public List<MarketEvent> range(RangeQuery q) {
        List<MarketEvent> m = memory.range(q);
        if (coversQuery(q, m)) return m;
        List<MarketEvent> r = redis.range(q);
        return r.size() >= m.size() ? r : m;
    }

    private boolean coversQuery(RangeQuery q, List<MarketEvent> fromMemory) {
        if (fromMemory.isEmpty()) return false;
        if (fromMemory.size() >= q.limit()) return true;
        List<MarketEvent> first = memory.range(RangeQuery.all(q.series(), 1, false));
        return !first.isEmpty() && first.get(0).eventTimeNs() <= q.fromNs() && q.fromNs() != Long.MIN_VALUE;
    }

    @Override public Set<String> symbols(RecordType type) {
        Set<String> s = new HashSet<>(memory.symbols(type));
        s.addAll(redis.symbols(type));
        return Set.copyOf(s);
    }

    @Override public void expire(long nowNs) {
        memory.expire(nowNs);
        redis.expire(nowNs);
    }

    @Override public void close() {
        redis.close();
        memory.close();
    }
}
