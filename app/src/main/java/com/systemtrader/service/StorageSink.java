package com.systemtrader.service;

import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.storage.StorageWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a collector's cleaned events to the {@link StorageWriter}: collected on the collector's pipeline thread and
 * passed on as one batch whenever the pipeline has drained what it had ({@link #onBatchEnd}) or {@code maxBatch}
 * events have gathered. {@link StorageWriter#add} only hands the batch to the writer's intake (which routes it to the
 * database writer or the spill journal on its own thread), so the pipeline thread never waits for the database, the
 * journal or a lock either holds. Pipeline thread only. Each event's verdict ({@link com.systemtrader.clean.Flags})
 * travels with it and is stored in {@code flags} and {@code eligibility}.
 */
final class StorageSink implements MarketDataListener {
    private final StorageWriter writer;
    private final int maxBatch;
    private final List<MarketEvent> pending;
    private final int[] flags;

    StorageSink(StorageWriter writer, int maxBatch) {
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.pending = new ArrayList<>(maxBatch);
        this.flags = new int[maxBatch];
    }

    @Override public void onEvent(MarketEvent event) {
        onEvent(event, 0);
    }

    @Override public void onEvent(MarketEvent event, int verdict) {
        flags[pending.size()] = verdict;
        pending.add(event);
        if (pending.size() >= maxBatch) onBatchEnd();
    }

    @Override public void onBatchEnd() {
        if (pending.isEmpty()) return;
        try {
            writer.add(pending, flags); // copies what it keeps; never waits, never throws for a full or closed sink
        } finally {
            pending.clear();
        }
    }
}
