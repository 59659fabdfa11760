package com.systemtrader.storage;

import com.systemtrader.sink.EventBatch;
import com.systemtrader.sink.EventSink;
import com.systemtrader.sink.Overflow;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link StorageWriter} as a collector's {@code SPILL} sink named {@code storage}: each batch, in pieces of at
 * most {@code maxBatch} events ({@code data.db_batch_size}), goes to {@link StorageWriter#add}, which only hands it
 * to the writer's intake (routed to the database writer or the spill journal on the intake's own thread), so the
 * pipeline thread never waits for the database, the journal or a lock either holds. Each event's verdict
 * ({@code clean.Flags}) is stored in {@code flags} and {@code eligibility}. Depth: batches queued for the database;
 * dropped: events lost with a reason ({@code storage.events.lost}).
 */
public final class StorageSink implements EventSink {
    private final StorageWriter writer;
    private final int maxBatch;

    public StorageSink(StorageWriter writer, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be positive");
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    @Override public String name() { return "storage"; }

    @Override public Overflow overflow() { return Overflow.SPILL; }

    @Override public void accept(EventBatch batch) {
        List<com.systemtrader.schema.MarketEvent> events = batch.events();
        int[] flags = batch.flags();
        for (int from = 0; from < events.size(); from += maxBatch) {
            int to = Math.min(events.size(), from + maxBatch);
            // copies what it keeps; never waits, never throws for a full or closed writer
            writer.add(events.subList(from, to), from == 0 && to == events.size() ? flags
                    : Arrays.copyOfRange(flags, from, to));
        }
    }

    @Override public long depth() { return writer.queueDepth(); }

    @Override public long dropped() { return writer.eventsLost(); }
}
