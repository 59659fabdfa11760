package com.systemtrader.cache;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.sink.EventSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The in-process {@link DataCache}: per series a bounded window ({@link SeriesWindow}: by count and by age, sorted
 * by event time), the latest value readable without a lock, range queries that copy only what they return. Series
 * are found without allocating: symbol, then a slot per (source, type[, bar interval]).
 */
public final class MemoryDataCache implements DataCache {
    private final MemoryCacheConfig config;
    private final ConcurrentHashMap<String, AtomicReferenceArray<SeriesWindow>> bySymbol = new ConcurrentHashMap<>();
    private final Map<RecordType, Set<String>> symbols = new EnumMap<>(RecordType.class);

    public MemoryDataCache(MemoryCacheConfig config) {
        this.config = config;
        for (RecordType t : RecordType.values()) symbols.put(t, ConcurrentHashMap.newKeySet());
    }

    public MemoryDataCache() {
        this(MemoryCacheConfig.defaults());
    }

    /** One {@code BLOCK} sink named {@code memory}: adding a batch takes microseconds, on the pipeline thread. */
    @Override public List<EventSink> sinks() {
        return List.of(CacheSink.blocking("memory", this));
    }

    @Override public void addAll(List<? extends MarketEvent> events) {
        for (int i = 0, n = events.size(); i < n; i++) add(events.get(i));
    }

    /** Adds one event (the writer's thread). */
    public void add(MarketEvent e) {
        int slot = SeriesSlot.of(e);
        AtomicReferenceArray<SeriesWindow> slots = bySymbol.get(e.symbol());
        if (slots == null) {
            slots = bySymbol.computeIfAbsent(e.symbol(), s -> new AtomicReferenceArray<>(SeriesSlot.COUNT));
        }
        SeriesWindow w = slots.get(slot);
        if (w == null) {
            w = new SeriesWindow(config.maxEntries(), config.windowNs(e.type()), e.type() == RecordType.BAR);
            slots.set(slot, w);
            symbols.get(e.type()).add(e.symbol());
        }
        w.add(e);
    }

    @Override public Optional<MarketEvent> latest(SeriesKey series) {
        SeriesWindow w = window(series);
        return w == null ? Optional.empty() : Optional.ofNullable(w.latest());
    }

    @Override public List<MarketEvent> range(RangeQuery q) {
        SeriesWindow w = window(q.series());
        return w == null ? List.of() : w.range(q.fromNs(), q.toNs(), q.limit(), q.newestFirst());
    }

    @Override public Set<String> symbols(RecordType type) {
        return Set.copyOf(symbols.get(type));
    }

    @Override public void expire(long nowNs) {
        bySymbol.forEach((sym, slots) -> {
            for (int i = 0; i < slots.length(); i++) {
                SeriesWindow w = slots.get(i);
                if (w != null) w.expire(nowNs - config.windowNs(SeriesSlot.type(i)));
            }
        });
    }

    /** Every series held (for rewriting a shared cache after it was away). */
    public Collection<SeriesKey> series() {
        List<SeriesKey> out = new ArrayList<>();
        bySymbol.forEach((sym, slots) -> {
            for (int i = 0; i < slots.length(); i++) {
                SeriesWindow w = slots.get(i);
                if (w == null || w.size() == 0) continue;
                out.add(SeriesSlot.key(sym, i));
            }
        });
        return out;
    }

    /** Everything held for the series, oldest first. */
    public List<MarketEvent> events(SeriesKey series) {
        return range(RangeQuery.all(series, Integer.MAX_VALUE, false));
    }

    /** Events held now, all series (a moment's figure: writers may be adding). */
    public long entries() {
        long[] n = {0};
        bySymbol.forEach((sym, slots) -> {
            for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) n[0] += slots.get(i).size();
        });
        return n[0];
    }

    /** Events dropped so far to stay within the bounds (count and age), all series. */
    public long evicted() {
        long[] n = {0};
        bySymbol.forEach((sym, slots) -> {
            for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) n[0] += slots.get(i).evicted;
        });
        return n[0];
    }

    @Override public void close() { }

    private SeriesWindow window(SeriesKey k) {
        AtomicReferenceArray<SeriesWindow> slots = bySymbol.get(k.symbol());
        return slots == null ? null : slots.get(SeriesSlot.of(k));
    }
}
