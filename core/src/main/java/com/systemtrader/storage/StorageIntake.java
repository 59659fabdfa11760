package com.systemtrader.storage;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.storage.journal.JournalFullException;
import com.systemtrader.storage.journal.SpillJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of the storage sink: takes batches from any thread without waiting and routes them, on its own thread
 * ({@code storage-intake}), either to the database writer's queue or to the spill journal.
 *
 * <p><b>Routing.</b> While the writer keeps up, a batch goes to its queue ({@code direct}). When that queue is full
 * (the writer is behind, the database is slow or away) the intake starts <em>spilling</em>: this batch and every
 * later one is appended to the journal (batches gathered in one pass are joined into one journal record, one fsync)
 * until the writer has written its queue and replayed the journal to the end; only the writer ends spilling
 * ({@link #leaveSpillingIfDrained}). So the database receives batches in the order they were added, and no thread
 * that hands data over ever waits for the database, the journal or a lock either of them holds during a write.
 *
 * <p><b>Overflow policies.</b> The intake queue is bounded in events ({@link StorageWriterConfig#intakeEvents()}):
 * a batch that does not fit is dropped and counted ({@link StorageLosses.Reason#INTAKE_FULL}). When the journal
 * refuses a batch (disk budget, I/O error) and the writer's queue has room, the batch goes there instead (out of
 * order, which the idempotent writes tolerate); otherwise it is counted lost with the journal's reason.
 */
final class StorageIntake {
    private static final Logger log = LoggerFactory.getLogger(StorageWriter.class);

    /**
     * A batch on its way: the events and their verdicts ({@code flags[i]} for {@code events.get(i)}, or null), and
     * what to run once they are committed to the database (or null; see {@link StorageWriter#add(List, int[], Runnable)}).
     */
    record Chunk(List<MarketEvent> events, int[] flags, Runnable committed) {
        Chunk(List<MarketEvent> events, int[] flags) {
            this(events, flags, null);
        }
    }

    private final SpillJournal journal;
    private final ChunkQueue writerQueue;
    private final StorageLosses losses;
    private final AtomicLong inFlight;
    private final long capacityEvents;
    private final int joinEvents;
    private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedEvents = new AtomicLong();
    private final AtomicLong batchesSpilled = new AtomicLong();
    private final AtomicLong spillEpisodes = new AtomicLong();
    private final Object mode = new Object();
    private final Thread thread;
    /** Written under {@link #mode}; read without it by {@link #spilling()} (health must not wait for a journal fsync). */
    private volatile boolean spilling;
    private volatile boolean closing;
    /** Guarded by {@link #mode}: when the last "spilling" line was logged. */
    private long lastSpillLog;
    private static final long SPILL_LOG_NANOS = 10_000_000_000L;
    private boolean started;

    /**
     * @param writerQueue    the database writer's queue, bounded: a refused {@code offer} starts spilling
     * @param capacityEvents the most events waiting in the intake queue
     * @param joinEvents     batches spilled in one pass are joined into journal records of about this many events
     * @param inFlight       events taken and not yet stored, journaled or lost: lowered here for what is journaled
     *                       or lost, by the writer for what it commits
     */
    StorageIntake(SpillJournal journal, ChunkQueue writerQueue, StorageLosses losses, long capacityEvents,
                  int joinEvents, AtomicLong inFlight) {
        this.journal = journal;
        this.writerQueue = writerQueue;
        this.losses = losses;
        this.inFlight = inFlight;
        this.capacityEvents = capacityEvents;
        this.joinEvents = joinEvents;
        this.spilling = journal.batchesPending() > 0; // a journal left behind is written before anything new
        this.thread = Thread.ofPlatform().name("storage-intake").daemon(false).unstarted(this::run);
    }

    synchronized void start() {
        started = true;
        thread.start();
    }

    /** Any thread; never waits. False (and counted lost) when the intake queue is full or closed. */
    boolean offer(Chunk chunk) {
        int n = chunk.events().size();
        if (closing) {
            losses.record(StorageLosses.Reason.CLOSED, n, "storage writer is closed");
            return false;
        }
        if (queuedEvents.addAndGet(n) > capacityEvents) {
            queuedEvents.addAndGet(-n);
            losses.record(StorageLosses.Reason.INTAKE_FULL, n, "storage intake queue full (" + capacityEvents
                    + " events): the spill journal cannot keep up");
            return false;
        }
        queue.add(chunk);
        return true;
    }

    /**
     * Writer thread: ends spilling when the journal and the writer's queue are both empty. True when batches go
     * to the writer directly (afterwards, or already).
     */
    boolean leaveSpillingIfDrained() {
        synchronized (mode) {
            if (spilling && journal.batchesPending() == 0 && writerQueue.isEmpty()) {
                spilling = false;
                log.info("storage writer: caught up with the spill journal; writing directly again");
            }
            return !spilling;
        }
    }

    /** Any thread, never waits: the intake may hold {@link #mode} across a journal append and its fsync. */
    boolean spilling() {
        return spilling;
    }

    private void run() {
        List<Chunk> pass = new ArrayList<>();
        while (true) {
            Chunk first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                closing = true;
                first = null;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) break;
                continue;
            }
            pass.add(first);
            int events = first.events().size();
            Chunk more;
            while (events < joinEvents && (more = queue.poll()) != null) {
                pass.add(more);
                events += more.events().size();
            }
            queuedEvents.addAndGet(-events);
            route(pass);
            pass.clear();
        }
    }

    /** Intake thread: direct while not spilling and the writer's queue has room; else the journal, in order. */
    private void route(List<Chunk> pass) {
        synchronized (mode) {
            int i = 0;
            while (!spilling && i < pass.size()) {
                if (writerQueue.offer(pass.get(i))) {
                    i++;
                } else {
                    spilling = true;
                    long episodes = spillEpisodes.incrementAndGet();
                    long now = System.nanoTime();
                    if (lastSpillLog == 0 || now - lastSpillLog >= SPILL_LOG_NANOS) { // at most one line per 10 s
                        lastSpillLog = now;
                        log.warn("storage writer: behind or the database is away ({} batches, {} events queued); "
                                + "spilling to the journal {} until it catches up ({} times so far)",
                                writerQueue.batches(), writerQueue.events(), journal.directory(), episodes);
                    }
                }
            }
            if (i < pass.size()) spill(pass.subList(i, pass.size()), true, "writer behind");
        }
    }

    /**
     * Writer thread: {@code older} (a batch the database did not take and what was queued behind it) goes to the
     * journal, and the intake spills from now on, so nothing overtakes it. Counted lost when the journal refuses.
     */
    void spillFromWriter(List<Chunk> older, String why) {
        synchronized (mode) {
            if (!spilling) {
                spilling = true;
                spillEpisodes.incrementAndGet();
            }
            spill(older, false, why);
        }
    }

    /**
     * Appends the chunks as one journal record. On refusal they go to the writer's queue when {@code orToWriter} and
     * it has room (out of order, but stored), else they are counted lost.
     */
    private void spill(List<Chunk> chunks, boolean orToWriter, String why) {
        int total = 0;
        for (Chunk c : chunks) total += c.events().size();
        List<MarketEvent> events = new ArrayList<>(total);
        int[] flags = new int[total];
        for (Chunk c : chunks) {
            if (c.flags() != null) System.arraycopy(c.flags(), 0, flags, events.size(), c.events().size());
            events.addAll(c.events());
        }
        StorageLosses.Reason reason;
        String detail;
        try {
            journal.append(events, flags);
            batchesSpilled.addAndGet(chunks.size());
            inFlight.addAndGet(-total);
            return;
        } catch (JournalFullException e) {
            reason = StorageLosses.Reason.JOURNAL_FULL;
            detail = why + ": " + e.getMessage();
        } catch (Exception e) {
            reason = StorageLosses.Reason.JOURNAL_ERROR;
            detail = why + ": spill journal append failed: " + e;
        }
        if (orToWriter && writerQueue.offer(new Chunk(events, flags))) return; // out of order, but stored
        losses.record(reason, total, detail);
        inFlight.addAndGet(-total);
    }

    /** Stops taking batches and waits until every batch taken was routed (on the caller's thread if never started). */
    void close() {
        closing = true;
        boolean wasStarted;
        synchronized (this) {
            wasStarted = started;
        }
        if (wasStarted) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        Chunk late; // never started, or offered while the thread was ending
        while ((late = queue.poll()) != null) {
            queuedEvents.addAndGet(-late.events().size());
            route(List.of(late));
        }
    }

    /** Batches waiting for the intake thread. */
    int queuedBatches() { return queue.size(); }

    int queuedEvents() { return (int) Math.min(Integer.MAX_VALUE, queuedEvents.get()); }
    /** Batches appended to the spill journal. */
    long batchesSpilled() { return batchesSpilled.get(); }
    /** Times the intake started spilling because the writer's queue was full. */
    long spillEpisodes() { return spillEpisodes.get(); }
}
