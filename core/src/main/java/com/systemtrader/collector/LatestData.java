package com.systemtrader.collector;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest event per (symbol, record type). Updated by the pipeline thread without allocating once a symbol is
 * known; read by any thread. Bounded by the number of symbols the feed delivers.
 */
final class LatestData {
    private static final int TYPES = RecordType.values().length;
    private final ConcurrentHashMap<String, AtomicReferenceArray<MarketEvent>> bySymbol = new ConcurrentHashMap<>();

    void put(MarketEvent e) {
        AtomicReferenceArray<MarketEvent> slots = bySymbol.get(e.symbol());
        if (slots == null) slots = bySymbol.computeIfAbsent(e.symbol(), s -> new AtomicReferenceArray<>(TYPES));
        slots.lazySet(e.type().ordinal(), e);
    }

    Optional<MarketEvent> get(String symbol, RecordType type) {
        AtomicReferenceArray<MarketEvent> slots = bySymbol.get(symbol);
        return slots == null ? Optional.empty() : Optional.ofNullable(slots.get(type.ordinal()));
    }

    int symbols() { return bySymbol.size(); }

    boolean has(String symbol) { return bySymbol.containsKey(symbol); }
}
