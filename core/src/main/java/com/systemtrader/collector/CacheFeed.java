package com.systemtrader.collector;

import com.systemtrader.cache.DataCache;
import com.systemtrader.schema.MarketEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the collector's kept events (and the bars it builds) to attached caches in batches: events gather while the
 * pipeline drains a run of frames and go to {@link DataCache#addAll} once per run (or every {@value #MAX_BATCH}
 * events), so a cache that hands batches to a writer thread gets batches, not single events. Pipeline thread only.
 */
final class CacheFeed {
    static final int MAX_BATCH = 4_096;

    private final List<DataCache> caches = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ArrayList<MarketEvent> batch = new ArrayList<>(MAX_BATCH);

    void attach(DataCache cache) { caches.add(cache); }

    List<DataCache> caches() { return caches; }

    void add(MarketEvent e) {
        if (caches.isEmpty()) return;
        batch.add(e);
        if (batch.size() >= MAX_BATCH) flush();
    }

    void flush() {
        if (batch.isEmpty()) return;
        for (DataCache c : caches) c.addAll(batch);
        batch.clear();
    }
}
