package com.systemtrader.storage;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.storage.journal.ReplayBatch;
import com.systemtrader.storage.journal.SpillJournal;
import com.systemtrader.support.Backoff;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The storage sink: batches of trades, quotes, bars, corrections and cancels from any thread, written to the
 * database over {@link StorageWriterConfig#writers()} connections, spilled to the {@link SpillJournal} when the
 * database is away or the writer is behind, and every event that reaches neither counted in {@link StorageLosses}.
 *
 * <p>{@link #add} never waits: it puts the batch on the {@link StorageIntake}, whose thread routes it to this
 * writer's bounded queue or, while that is full or the journal is not yet replayed, to the journal. The writer
 * thread ({@code storage-writer}) gathers queued batches until {@link StorageWriterConfig#batchRows()} events are
 * pending or the oldest has waited {@link StorageWriterConfig#maxAge()} and writes them ({@link BatchWrite} on each
 * {@link WriterShard}: a batch is split by {@code hash(symbol) % writers}, each part in its own transaction, all at
 * once; the batch counts as written when every part committed or was rejected as bad data). When its queue is empty
 * it replays the journal, oldest first, in steps of at least {@link #REPLAY_STEP_EVENTS} events (whole journaled
 * batches), each acknowledged after its commit, and then tells the intake to write directly again. So the database sees batches in the order they were
 * added and a replay writes no duplicates (idempotent keys).
 *
 * <p><b>Database away.</b> A failed write sends the parts of its batch that did not commit (the committed parts stay:
 * a loss count never includes stored rows) and everything queued behind them to the journal, in order and ahead of
 * whatever the intake spills from then on, and backs off (doubling from {@code retryMin} to
 * {@code retryMax}, with jitter) before it replays the journal; so during an outage nothing waits in memory. A part
 * the database rejects as bad data (SQLSTATE class 22 or 23 on a connection that still answers) would fail forever:
 * it is written again in halves until the rejected events are isolated ({@link WriterShard#write}), and those alone
 * are dropped, logged and counted in {@code storage.writer.rejected.events}. Corrections and cancels are
 * applied by {@link BatchWrite} after their batch's inserts.
 *
 * <p><b>Threads.</b> {@link #add} and the getters: any thread. Fields marked "writer-thread state" and
 * {@link #run}'s locals: the {@code storage-writer} thread only. The spill mode is the intake's, under its lock.
 *
 * <p><b>Lifecycle.</b> The constructor starts nothing; {@link #start()} starts the intake and writer threads (and
 * replays a journal left behind first). {@link #close(Duration)} stops taking batches and writes what is in memory
 * within the deadline; whatever the deadline (or a database that is away) cuts goes to the journal, to be
 * replayed at the next start.
 */
public final class StorageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageWriter.class);
    /** How long {@link #close()} gives the writer to write what is in memory before it journals the rest. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final long PROGRESS_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Events one replay step reads from the journal at least (more when {@code batchRows} is larger), written as one
     * batch (a transaction per shard) and acknowledged once. Each step waits for the commits and for the durable
     * acknowledgement, twice a disk flush: with steps of {@code db_batch_size} (1,000) events the replay drained
     * about 30,000 events/s while the stream ran at 100,000 msg/s with the writer threads nearly idle, so once the
     * intake had spilled it never caught up (docs/PERFORMANCE.md).
     */
    static final int REPLAY_STEP_EVENTS = 20_000;

    /** Opens a new connection to the database (for example {@code Database::connect}). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** What the writer is doing, for health and readiness. */
    public enum State {
        /** Batches are written as they come. */
        WRITING,
        /** The database answers, but batches are being spilled to the journal or replayed from it. */
        CATCHING_UP,
        /** The last write failed; batches go to the journal until the database answers. */
        DATABASE_DOWN,
        /** Not started, or closed. */
        STOPPED
    }

    private final SpillJournal journal;
    private final StorageWriterConfig config;
    private final ChunkQueue queue;
    private final StorageIntake intake;
    private final StorageLosses losses = new StorageLosses();
    private final WriterShard[] shards;
    private final Thread thread;
    private final Timer commitLag;
    private volatile boolean running;
    /** Set by {@link #close(Duration)} once the intake has routed its last batch: the writer drains and ends. */
    private volatile boolean closing;
    private boolean closeCalled;
    private volatile long drainDeadlineNanos;
    /** When the database stopped answering ({@code System.nanoTime()}), or 0 while it answers. */
    private volatile long downSinceNanos;

    private final AtomicLong eventsInFlight = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong batchesReplayed = new AtomicLong();
    private final AtomicLong eventsReplayed = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong eventsRejected = new AtomicLong();
    private final AtomicLong lastWriteNanos = new AtomicLong();
    private final AtomicLong fastFallbacks = new AtomicLong();
    private final TradeFixes.CorrectionCounts corrections = new TradeFixes.CorrectionCounts();
    private final Backoff backoff;

    // writer-thread state
    private boolean down;
    private long retryAt;
    /** Failed writes since the last one that succeeded (the backoff's exponent). */
    private int failures;
    private long lastProgressLog;

    /** A writer over {@code journal}; starts nothing ({@link #start()}). */
    public StorageWriter(ConnectionSource source, SpillJournal journal, StorageWriterConfig config,
                         MeterRegistry registry) {
        this(source, journal, config, registry, DirtyRollups.NONE);
    }

    /** @param dirty told the minutes whose stored trades corrections and cancels changed ({@link RollupRefresher}) */
    public StorageWriter(ConnectionSource source, SpillJournal journal, StorageWriterConfig config,
                         MeterRegistry registry, DirtyRollups dirty) {
        this.journal = journal;
        this.config = config;
        this.queue = new ChunkQueue(config.queueBatches(), config.queueEvents());
        this.intake = new StorageIntake(journal, queue, losses, config.intakeEvents(), config.batchRows(),
                eventsInFlight);
        this.shards = new WriterShard[config.writers()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new WriterShard("storage-writer-" + i, i > 0, source, config, corrections, dirty);
        }
        this.backoff = Backoff.of(config.retryMin(), config.retryMax());
        this.retryAt = System.nanoTime();
        this.commitLag = registry == null ? null : register(registry);
        this.thread = Thread.ofPlatform().name("storage-writer").daemon(false).unstarted(this::run);
    }

    /** Starts the intake and writer threads; a journal left behind is replayed before new batches. */
    public synchronized StorageWriter start() {
        if (running || closeCalled) throw new IllegalStateException("a storage writer starts once");
        running = true;
        intake.start();
        thread.start();
        return this;
    }

    /** {@link #add(List, int[])} without verdicts: every event is stored with flags and eligibility 0. */
    public void add(List<? extends MarketEvent> batch) {
        add(batch, null);
    }

    /**
     * Hands a batch over for storage from any thread; never waits. Trades, quotes, bars, trade corrections and trade
     * cancels are kept (copied), other events ignored. A batch that cannot be taken (the intake is full, or the
     * writer is closed) is counted lost with its reason, never thrown.
     *
     * @param flags the cleaner's verdict of each event ({@code flags[i]} for {@code batch.get(i)}), stored in
     *              {@code flags} and (its eligibility bits) {@code eligibility}; null = all 0
     * @throws IllegalArgumentException when {@code flags} is shorter than {@code batch}
     */
    public void add(List<? extends MarketEvent> batch, int[] flags) {
        add(batch, flags, null);
    }

    /**
     * As {@link #add(List, int[])}, and runs {@code committed} on the writer thread once every event of the batch
     * it keeps is committed to the database (or rejected there as bad data: those are dropped and counted), after
     * the callbacks of the batches added before it. It is the hook of a caller that must not acknowledge its input
     * before the database commit (the Kafka consumer of the {@code store} role commits its offsets from it). It is
     * <em>never</em> run for a batch that went to the spill journal (its events reach the database when the journal
     * is replayed, which {@link #idle()} tells) or that was counted lost ({@link #eventsLost()}); and at once, on
     * the caller's thread, for a batch that holds nothing to store. It must be quick and must not call the writer.
     */
    public void add(List<? extends MarketEvent> batch, int[] flags, Runnable committed) {
        if (flags != null && flags.length < batch.size()) {
            throw new IllegalArgumentException(flags.length + " flags for " + batch.size() + " events");
        }
        List<MarketEvent> kept = new ArrayList<>(batch.size());
        int[] keptFlags = flags == null ? null : new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            MarketEvent e = batch.get(i);
            if (e instanceof Trade || e instanceof Quote || e instanceof Bar || e instanceof TradeCorrection
                    || e instanceof TradeCancel) {
                if (keptFlags != null) keptFlags[kept.size()] = flags[i];
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            if (committed != null) committed.run();
            return;
        }
        eventsInFlight.addAndGet(kept.size());
        if (!intake.offer(new StorageIntake.Chunk(kept, keptFlags == null ? null
                : Arrays.copyOf(keptFlags, kept.size()), committed))) {
            eventsInFlight.addAndGet(-kept.size()); // counted lost by the intake
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void run() {
        if (journal.batchesPending() > 0) {
            log.info("storage writer: {} batches left in the spill journal {} are written before new ones",
                    journal.batchesPending(), journal.directory());
        }
        List<MarketEvent> pending = new ArrayList<>();
        List<Runnable> pendingCommitted = new ArrayList<>();
        int[] pendingFlags = new int[64];
        long firstAt = 0;
        long maxAge = config.maxAge().toNanos();
        while (true) {
            long now = System.nanoTime();
            boolean replayDue = !closing && journal.batchesPending() > 0 && (!down || now - retryAt >= 0);
            long wait = !pending.isEmpty() ? Math.max(0, firstAt + maxAge - now)
                    : replayDue ? 0 : Math.min(maxAge, TimeUnit.MILLISECONDS.toNanos(50));
            StorageIntake.Chunk next;
            try {
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                next = null;
                drainDeadlineNanos = System.nanoTime();
                closing = true;
            }
            while (next != null) {
                if (pending.isEmpty()) firstAt = System.nanoTime();
                int at = pending.size(), n = next.events().size();
                if (at + n > pendingFlags.length) pendingFlags = Arrays.copyOf(pendingFlags, Math.max(at + n, 2 * at));
                if (next.flags() == null) Arrays.fill(pendingFlags, at, at + n, 0);
                else System.arraycopy(next.flags(), 0, pendingFlags, at, n);
                pending.addAll(next.events());
                if (next.committed() != null) pendingCommitted.add(next.committed());
                next = pending.size() < config.batchRows() ? queue.poll() : null;
            }
            now = System.nanoTime();
            boolean inputDone = closing && queue.isEmpty();
            if (!pending.isEmpty() && (pending.size() >= config.batchRows() || now - firstAt >= maxAge || inputDone)) {
                StorageIntake.Chunk batch = new StorageIntake.Chunk(pending, Arrays.copyOf(pendingFlags, pending.size()));
                pending = new ArrayList<>();
                boolean cut = pastDeadline() || (down && now - retryAt < 0);
                StorageIntake.Chunk unwritten = cut ? batch : write(batch.events(), batch.flags());
                if (unwritten == null) {
                    eventsInFlight.addAndGet(-batch.events().size());
                    runCommitted(pendingCommitted);
                } else {
                    // the parts the database committed stay committed: only the rest is journaled (or, the journal
                    // full, counted lost), so a loss count never includes stored rows
                    eventsInFlight.addAndGet(-(batch.events().size() - unwritten.events().size()));
                    spillWithQueue(unwritten); // their callbacks are never run: the journal keeps events, not callers
                }
                pendingCommitted.clear();
                continue;
            }
            if (inputDone && pending.isEmpty()) break; // what is journaled is replayed at the next start
            if (pending.isEmpty() && queue.isEmpty() && !closing) {
                if (journal.batchesPending() > 0) {
                    if (!down || now - retryAt >= 0) replayStep();
                } else {
                    intake.leaveSpillingIfDrained();
                }
            }
        }
        closeShards();
    }

    /** Writer thread: the callbacks of committed batches, in the order their batches were added. */
    private static void runCommitted(List<Runnable> callbacks) {
        for (Runnable r : callbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("storage writer: a commit callback threw: {}", e.toString());
            }
        }
    }

    private boolean pastDeadline() {
        return closing && System.nanoTime() - drainDeadlineNanos >= 0;
    }

    /**
     * Writer thread: the database did not take {@code batch} (or the close deadline passed): it and everything
     * queued behind it go to the journal, in order and ahead of anything the intake spills from now on.
     */
    private void spillWithQueue(StorageIntake.Chunk batch) {
        List<StorageIntake.Chunk> older = new ArrayList<>();
        older.add(batch);
        StorageIntake.Chunk c;
        while ((c = queue.poll()) != null) older.add(c);
        intake.spillFromWriter(older, closing ? "at shutdown" : "database away"); // settles their in-flight count
    }

    /** Writer thread: writes the oldest journaled batches (one replay step) and acknowledges them. */
    private void replayStep() {
        ReplayBatch b;
        try {
            b = journal.read(Math.max(config.batchRows(), REPLAY_STEP_EVENTS));
        } catch (Exception e) {
            log.error("storage writer: spill journal {} cannot be read: {}", journal.directory(), e.toString(), e);
            markDown(e);
            return;
        }
        if (b == null || write(b.events(), b.flags()) != null) return; // a part written is written again: no rows
        // counted once written, before the acknowledgement empties the journal: whoever sees nothing pending sees
        // the replay counted (a test read the counter between the two and found 0 under CPU load)
        batchesReplayed.addAndGet(b.batches());
        eventsReplayed.addAndGet(b.events().size());
        try {
            journal.acknowledge(b);
        } catch (Exception e) {
            log.error("storage writer: spill journal {} acknowledgement failed (the batch will be written again, "
                    + "which inserts nothing): {}", journal.directory(), e.toString());
            markDown(e);
            return;
        }
        long now = System.nanoTime();
        if (now - lastProgressLog >= PROGRESS_LOG_NANOS || journal.batchesPending() == 0) {
            lastProgressLog = now;
            log.info("storage writer: replayed {} journaled events so far, {} batches ({} MB) left", eventsReplayed.get(),
                    journal.batchesPending(), journal.bytesUsed() >> 20);
        }
    }

    /**
     * Writes one batch, split over the shards, each part in one transaction. Returns null when every part was
     * written; else (failed connections dropped, back-off started) the events of the parts that failed, each part in
     * the batch's order, with their flags: the other parts are committed.
     */
    private StorageIntake.Chunk write(List<? extends MarketEvent> batch, int[] flags) {
        long start = System.nanoTime();
        int[][] partFlags = new int[shards.length][];
        List<? extends MarketEvent>[] parts = split(batch, flags, partFlags);
        WriterShard.Outcome[] outcomes = new WriterShard.Outcome[shards.length];
        @SuppressWarnings("unchecked")
        Future<WriterShard.Outcome>[] futures = new Future[shards.length];
        for (int i = 1; i < shards.length; i++) {
            if (!parts[i].isEmpty()) futures[i] = shards[i].submit(parts[i], partFlags[i]);
        }
        if (!parts[0].isEmpty()) outcomes[0] = shards[0].write(parts[0], partFlags[0]);
        for (int i = 1; i < shards.length; i++) {
            if (futures[i] != null) outcomes[i] = await(futures[i]);
        }
        long rows = 0;
        Exception failure = null;
        List<MarketEvent> unwritten = null;
        int[] unwrittenFlags = null;
        for (int i = 0; i < shards.length; i++) {
            WriterShard.Outcome o = outcomes[i];
            if (o == null) continue;
            switch (o.status()) {
                case WRITTEN, REJECTED -> {
                    rows += o.rows();
                    if (o.fellBack()) fastFallbacks.incrementAndGet();
                    if (o.rejected() > 0) writeErrors.incrementAndGet();
                    countRejected(o.rejected(), parts[i].size(), o.error());
                }
                case FAILED -> {
                    writeErrors.incrementAndGet();
                    rows += o.rows();
                    countRejected(o.rejected(), parts[i].size(), null); // before the failure, in a bisection
                    if (failure == null) {
                        failure = o.error();
                        unwritten = new ArrayList<>();
                        unwrittenFlags = new int[batch.size()];
                    }
                    int from = o.settled(), n = parts[i].size() - from; // the settled head stays settled
                    if (partFlags[i] != null) System.arraycopy(partFlags[i], from, unwrittenFlags, unwritten.size(), n);
                    unwritten.addAll(parts[i].subList(from, parts[i].size()));
                }
            }
        }
        rowsWritten.addAndGet(rows);
        if (failure != null) {
            failed(batch, failure);
            return new StorageIntake.Chunk(unwritten, Arrays.copyOf(unwrittenFlags, unwritten.size()));
        }
        lastWriteNanos.set(System.nanoTime() - start);
        batchesWritten.incrementAndGet();
        if (down) log.info("storage writer: database is back after {} s", databaseDownFor().toSeconds());
        down = false;
        downSinceNanos = 0;
        failures = 0;
        recordLag(batch);
        return null;
    }

    /**
     * Counts and logs the events of a part the database rejected as bad data ({@code why}: the rejection, null when
     * a failure of the connection followed it): deterministic, so retrying or journaling them would block every
     * later batch forever.
     */
    private void countRejected(int rejected, int partSize, Exception why) {
        if (rejected == 0) return;
        eventsRejected.addAndGet(rejected);
        String state = why instanceof SQLException e ? e.getSQLState() : "?";
        log.error("storage writer: DATA REJECTED by the database, {} of {} events dropped ({} so far), SQLSTATE {}: {}",
                rejected, partSize, eventsRejected.get(), state,
                why == null ? "(isolated before the connection failed)" : why.getMessage());
    }

    /** Records each received event's time from receipt to now (its commit) in {@code storage.writer.commit.lag}. */
    private void recordLag(List<? extends MarketEvent> batch) {
        if (commitLag == null) return;
        long now = Timestamps.nowNs();
        for (MarketEvent e : batch) {
            long rx = e.receiveTimeNs();
            if (rx > 0) commitLag.record(Math.max(0, now - rx), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The batch's events by {@code hash(symbol) % writers}, each part in the batch's order; the parts' verdicts go
     * to {@code partFlags} (null entries when {@code flags} is null).
     */
    @SuppressWarnings("unchecked")
    private List<? extends MarketEvent>[] split(List<? extends MarketEvent> batch, int[] flags, int[][] partFlags) {
        int n = shards.length;
        if (n == 1) {
            partFlags[0] = flags;
            return new List[] {batch};
        }
        List<MarketEvent>[] parts = new List[n];
        int expected = batch.size() / n + 16;
        for (int i = 0; i < n; i++) {
            parts[i] = new ArrayList<>(expected);
            if (flags != null) partFlags[i] = new int[expected];
        }
        for (int k = 0; k < batch.size(); k++) {
            MarketEvent e = batch.get(k);
            int s = shardOf(e.symbol(), n);
            if (flags != null) {
                int at = parts[s].size();
                if (at == partFlags[s].length) partFlags[s] = Arrays.copyOf(partFlags[s], 2 * at);
                partFlags[s][at] = flags[k];
            }
            parts[s].add(e);
        }
        return parts;
    }

    /** The shard a symbol's events always go to. */
    static int shardOf(String symbol, int writers) {
        int h = symbol.hashCode();
        return Math.floorMod(h ^ (h >>> 16), writers);
    }

    /** The shard's outcome; waits through interrupts (a part being written is always waited for). */
    private WriterShard.Outcome await(Future<WriterShard.Outcome> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    drainDeadlineNanos = System.nanoTime();
                    closing = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    return new WriterShard.Outcome(WriterShard.Status.FAILED, 0, false, 0,
                            cause instanceof Exception ex ? ex : new RuntimeException(cause));
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The database is away (or the write timed out): back off (the failed shard has dropped its connection). */
    private void failed(List<? extends MarketEvent> batch, Exception e) {
        if (!down) log.warn("storage writer: write of {} events failed; retrying with back-off while the intake "
                + "spills to the journal: {}", batch.size(), e.getMessage());
        markDown(e);
    }

    private void markDown(Exception e) {
        if (!down) downSinceNanos = System.nanoTime();
        down = true;
        retryAt = System.nanoTime() + backoff.delayNanos(++failures, ThreadLocalRandom.current());
    }

    private void closeShards() {
        for (WriterShard shard : shards) shard.close();
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_DRAIN_TIMEOUT}. */
    @Override public void close() {
        close(DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Stops taking batches, writes what is in memory to the database within {@code drain}, journals whatever that
     * cuts (at once when the database is away), and waits for the threads. Idempotent. A journal still holding
     * batches keeps them for the next start.
     */
    public void close(Duration drain) {
        synchronized (this) {
            if (closeCalled) return;
            closeCalled = true;
            drainDeadlineNanos = System.nanoTime() + drain.toNanos();
        }
        intake.close(); // every batch taken is in the writer's queue or the journal now
        closing = true; // only now: the writer must not end while the intake may still hand it batches
        if (running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        } else {
            StorageIntake.Chunk first = queue.poll();
            if (first != null) spillWithQueue(first); // never started: what was taken goes to the journal
            closeShards();
        }
        running = false;
    }

    // ---------------------------------------------------------------- state, any thread

    /** What the writer is doing now. */
    public State state() {
        if (!running) return State.STOPPED;
        if (downSinceNanos != 0) return State.DATABASE_DOWN;
        if (intake.spilling() || journal.batchesPending() > 0) return State.CATCHING_UP;
        return State.WRITING;
    }

    /** How long the database has not been answering; zero while it answers. */
    public Duration databaseDownFor() {
        long since = downSinceNanos;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** The losses ledger: events that reached neither the database nor the journal, by reason. */
    public StorageLosses losses() { return losses; }

    /** Events taken by {@link #add} and neither written, journaled nor counted lost yet. */
    public long eventsInFlight() { return eventsInFlight.get(); }

    /** True when everything taken is in the database: nothing in flight and nothing journaled. */
    public boolean idle() { return eventsInFlight.get() == 0 && journal.batchesPending() == 0; }

    public long rowsWritten() { return rowsWritten.get(); }
    public long batchesWritten() { return batchesWritten.get(); }
    /** Batches appended to the spill journal. */
    public long batchesSpilled() { return intake.batchesSpilled(); }
    /** Times the intake began spilling because the writer's queue was full. */
    public long spillEpisodes() { return intake.spillEpisodes(); }
    public long batchesReplayed() { return batchesReplayed.get(); }
    /** Events written from the journal on replay. */
    public long eventsReplayed() { return eventsReplayed.get(); }
    public long writeErrors() { return writeErrors.get(); }
    /** Events lost for any reason ({@link #losses()} has them by reason). */
    public long eventsLost() { return losses.total(); }
    public long eventsRejected() { return eventsRejected.get(); }
    /** Batches waiting in the intake and the writer's queue. */
    public int queueDepth() { return queue.batches() + intake.queuedBatches(); }
    public long lastWriteLatencyNanos() { return lastWriteNanos.get(); }
    /** Parts whose fast-path COPY hit a stored or repeated key and were redone through staging. */
    public long fastPathFallbacks() { return fastFallbacks.get(); }
    /** Corrections and cancels applied to a stored trade. */
    public long correctionsApplied() { return corrections.applied.get(); }
    /** Corrections and cancels that found no stored trade when their batch was written (then kept pending). */
    public long correctionsUnmatched() { return corrections.noMatch.get(); }
    /** Pending corrections and cancels given up (too old, or pushed out of the full pending set). */
    public long correctionsDropped() { return corrections.dropped.get(); }
    /** Connections batches are written over. */
    public int writers() { return shards.length; }
    public SpillJournal journal() { return journal; }

    private Timer register(MeterRegistry r) {
        counter(r, "storage.writer.rows", "rows sent to websocket_data and market_data", rowsWritten);
        counter(r, "storage.writer.batches", "batches committed", batchesWritten);
        FunctionCounter.builder("storage.writer.spilled", this, StorageWriter::batchesSpilled)
                .description("batches appended to the spill journal").register(r);
        FunctionCounter.builder("storage.writer.spill.episodes", this, StorageWriter::spillEpisodes)
                .description("times the writer fell behind (its queue full) and new batches went to the journal")
                .register(r);
        counter(r, "storage.writer.replayed", "journaled batches written on replay", batchesReplayed);
        counter(r, "storage.writer.errors", "failed writes", writeErrors);
        counter(r, "storage.writer.fast.fallbacks",
                "batch parts whose direct COPY hit a stored or repeated key and were redone via staging", fastFallbacks);
        losses.register(r);
        counter(r, "storage.writer.rejected.events", "events in batches the database rejected as bad data",
                eventsRejected);
        String corr = "trade corrections and cancels, by outcome: applied to a stored trade, no stored trade when"
                + " their batch was written (kept pending and retried), dropped from the pending set";
        FunctionCounter.builder("storage.writer.corrections", corrections.applied, AtomicLong::get)
                .tags(Tags.of("outcome", "applied")).description(corr).register(r);
        FunctionCounter.builder("storage.writer.corrections", corrections.noMatch, AtomicLong::get)
                .tags(Tags.of("outcome", "no_match")).description(corr).register(r);
        FunctionCounter.builder("storage.writer.corrections", corrections.dropped, AtomicLong::get)
                .tags(Tags.of("outcome", "dropped")).description(corr).register(r);
        Gauge.builder("storage.writer.queue.depth", queue, ChunkQueue::batches)
                .description("batches waiting for the writer thread").register(r);
        Gauge.builder("storage.writer.queue.events", queue, ChunkQueue::events)
                .description("events waiting for the writer thread").register(r);
        Gauge.builder("storage.writer.intake.events", intake, StorageIntake::queuedEvents)
                .description("events waiting for the intake thread (bounded by intakeEvents)").register(r);
        Gauge.builder("storage.writer.inflight.events", eventsInFlight, AtomicLong::get)
                .description("events taken and not yet written, journaled or counted lost").register(r);
        Gauge.builder("storage.writer.database.down", this, w -> w.databaseDownFor().toMillis() / 1000.0)
                .description("seconds the database has not been answering (0 while it answers)")
                .baseUnit("seconds").register(r);
        TimeGauge.builder("storage.writer.last.write", lastWriteNanos, TimeUnit.NANOSECONDS,
                (ToDoubleFunction<AtomicLong>) AtomicLong::get).description("latency of the last write").register(r);
        return Timer.builder("storage.writer.commit.lag")
                .description("from an event's receipt by the collector to the commit of its row")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(r);
    }

    private static void counter(MeterRegistry r, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(r);
    }
}
