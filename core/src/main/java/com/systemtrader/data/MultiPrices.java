package com.systemtrader.data;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@link RealtimeDataProvider#getMultiSymbolPrices}: a price per symbol found (each with its own
 * provenance), in request order, the symbols no tier had, and the batched attempts (one per tier and source: one
 * memory pass, one Redis pipeline, one SQL query, one REST snapshot call per provider).
 */
public record MultiPrices(Map<String, LatestPrice> prices, List<String> missing, List<Attempt> attempts) {
    public MultiPrices {
        prices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(prices));
        missing = List.copyOf(missing);
        attempts = List.copyOf(attempts);
    }
}
