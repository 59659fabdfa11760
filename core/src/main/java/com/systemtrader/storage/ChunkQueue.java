package com.systemtrader.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage writer's queue: bounded both in batches and in events. {@link #offer} never waits; it refuses a batch
 * that would pass either bound (the intake then spills). For one producer thread at a time (the intake) and one
 * consumer (the writer); sizes may be read from any thread.
 */
final class ChunkQueue {
    private final ArrayBlockingQueue<StorageIntake.Chunk> queue;
    private final long maxEvents;
    private final AtomicLong events = new AtomicLong();

    ChunkQueue(int maxBatches, long maxEvents) {
        this.queue = new ArrayBlockingQueue<>(maxBatches);
        this.maxEvents = maxEvents;
    }

    /** False when the batch would pass a bound; an empty queue always takes one batch, however large. */
    boolean offer(StorageIntake.Chunk chunk) {
        int n = chunk.events().size();
        if (!queue.isEmpty() && events.get() + n > maxEvents) return false;
        events.addAndGet(n);
        if (queue.offer(chunk)) return true;
        events.addAndGet(-n);
        return false;
    }

    StorageIntake.Chunk poll() {
        return taken(queue.poll());
    }

    StorageIntake.Chunk poll(long timeout, TimeUnit unit) throws InterruptedException {
        return taken(queue.poll(timeout, unit));
    }

    private StorageIntake.Chunk taken(StorageIntake.Chunk c) {
        if (c != null) events.addAndGet(-c.events().size());
        return c;
    }

    boolean isEmpty() { return queue.isEmpty(); }
    int batches() { return queue.size(); }
    long events() { return events.get(); }
}
