package com.systemtrader.storage;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.storage.journal.JournalFullException;
import com.systemtrader.storage.journal.JournalSink;
import com.systemtrader.storage.journal.ReplayResult;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The storage sink: batches of trades, quotes and bars from the pipeline, written over
 * {@link StorageWriterConfig#writers()} connections.
 *
 * <h2>Flow</h2>
 * {@link #add} never touches the database: it puts the batch on a bounded queue. <b>Overflow policy: spill</b> —
 * when the queue is full the batch is appended to the {@link SpillJournal} on the caller's thread (a disk write
 * and fsync, counted in {@code storage.writer.overflow}). The writer thread collects events until
 * {@link StorageWriterConfig#batchRows()} are pending or the oldest has waited {@link StorageWriterConfig#maxAge()},
 * then writes them ({@link BatchWrite}: binary COPY straight into {@code websocket_data}, and when the batch hits a
 * stored or repeated key, COPY into TEMP staging tables and {@code ON CONFLICT DO NOTHING} instead; an upsert for
 * bars), so a replay writes no duplicates.
 *
 * <h2>Several connections</h2>
 * With {@code writers = N > 1} a batch is split by {@code hash(symbol) % N} into N parts, each written in its own
 * transaction on its own connection ({@link WriterShard}; part 0 on the writer thread, the others on one thread per
 * shard), all at the same time. The writer waits for every part before it takes the next batch, so batches still
 * reach the database one after the other: one symbol always uses the same connection and its rows are committed in
 * the order they were added. The batch is the unit of the journal: it counts as written only when every part
 * committed (or was rejected as bad data, see below). When any part fails, the <em>whole</em> batch is journaled
 * (or, during a replay, stays unacknowledged) although other parts may have committed; replaying it later writes
 * those parts again, which inserts nothing (the fast path hits their keys and falls back to
 * {@code ON CONFLICT DO NOTHING}). So one journal, one acknowledgement cursor and the batch order serve any N.
 *
 * <h2>When the database is away</h2>
 * A failed write closes that connection, appends the batch to the journal and backs off (doubling from
 * {@code retryMin} to {@code retryMax}); until the back-off ends every batch goes to the journal. Then the journal
 * is replayed oldest first (each batch acknowledged only after its commit) and only when it is empty are new
 * batches written directly again, so the database sees batches in the order they were flushed. A journal left
 * behind by an earlier process is replayed when the writer starts. The only loss is a batch the journal refuses
 * (disk budget reached or an I/O error): it is logged at ERROR and counted in {@code storage.writer.lost.events}.
 * A part the database itself rejects as bad data (SQLSTATE class 22 or 23 on a connection that still answers) would
 * fail forever and block the journal behind it, so it is dropped, logged at ERROR and counted in
 * {@code storage.writer.rejected.events}.
 *
 * <h2>Verdicts, corrections and cancels</h2>
 * Every event travels with the cleaner's verdict ({@link com.systemtrader.clean.Flags}, an {@code int} parallel to
 * the batch): through the queue, the split, the journal (codec version 2) and into {@code websocket_data.flags} /
 * {@code eligibility} and {@code market_data.flags}. {@link TradeCorrection}s and {@link TradeCancel}s are applied
 * to the stored trade by the shard that writes their symbol, in the same transaction as their batch and after its
 * inserts ({@link BatchWrite}); counted in {@code storage.writer.corrections{outcome=applied|no_match|dropped}}.
 *
 * <p>Close drains: queued batches are written (or journaled when the database is away) before the thread ends.
 */
public final class StorageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageWriter.class);

    /** Opens a new connection to the database (for example {@code Database::connect}). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final SpillJournal journal;
    private final StorageWriterConfig config;
    private final ArrayBlockingQueue<Chunk> queue;
    private final WriterShard[] shards;
    private final Thread thread;
    private volatile boolean closing;

    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicLong batchesSpilled = new AtomicLong();
    private final AtomicLong batchesOverflowed = new AtomicLong();
    private final AtomicLong batchesReplayed = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong eventsLost = new AtomicLong();
    private final AtomicLong eventsRejected = new AtomicLong();
    private final AtomicLong lastWriteNanos = new AtomicLong();
    private final AtomicLong fastFallbacks = new AtomicLong();
    private final BatchWrite.CorrectionCounts corrections = new BatchWrite.CorrectionCounts();

    /** A batch on its way: the events and their verdicts ({@code flags[i]} for {@code events.get(i)}). */
    private record Chunk(List<MarketEvent> events, int[] flags) {}

    // writer-thread state
    private boolean down;
    private long retryAt;
    private long backoffNanos;

    public StorageWriter(ConnectionSource source, SpillJournal journal, StorageWriterConfig config,
                         MeterRegistry registry) {
        this(source, journal, config, registry, DirtyRollups.NONE);
    }

    /** @param dirty told the minutes whose stored trades corrections and cancels changed ({@link RollupRefresher}) */
    public StorageWriter(ConnectionSource source, SpillJournal journal, StorageWriterConfig config,
                         MeterRegistry registry, DirtyRollups dirty) {
        this.journal = journal;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueBatches());
        this.shards = new WriterShard[config.writers()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new WriterShard("storage-writer-" + i, i > 0, source, config, corrections, dirty);
        }
        this.backoffNanos = config.retryMin().toNanos();
        this.retryAt = System.nanoTime();
        if (registry != null) register(registry);
        this.thread = Thread.ofPlatform().name("storage-writer").daemon(false).start(this::run);
    }

    /** {@link #add(List, int[])} without verdicts: every event is stored with flags and eligibility 0. */
    public void add(List<? extends MarketEvent> batch) {
        add(batch, null);
    }

    /**
     * Queues a batch for writing; never waits for the database. Trades, quotes, bars, trade corrections and trade
     * cancels are kept, other events ignored. When the queue is full the batch is appended to the spill journal
     * instead.
     *
     * @param flags the cleaner's verdict of each event ({@code flags[i]} for {@code batch.get(i)}), stored in
     *              {@code flags} and (its eligibility bits) {@code eligibility}; null = all 0
     * @throws IllegalStateException after {@link #close()}
     * @throws IllegalArgumentException when {@code flags} is shorter than {@code batch}
     */
    public void add(List<? extends MarketEvent> batch, int[] flags) {
        if (closing) throw new IllegalStateException("storage writer is closed");
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
        if (kept.isEmpty()) return;
        Chunk chunk = new Chunk(kept, keptFlags == null ? null : Arrays.copyOf(keptFlags, kept.size()));
        if (!queue.offer(chunk)) {
            batchesOverflowed.incrementAndGet();
            spill(chunk.events(), chunk.flags());
        }
    }

    private void run() {
        if (journal.batchesPending() > 0) {
            log.info("storage writer: replaying {} batches left in the spill journal {}", journal.batchesPending(),
                    journal.directory());
            replay();
        }
        List<MarketEvent> pending = new ArrayList<>();
        int[] pendingFlags = new int[64];
        long firstAt = 0;
        long maxAge = config.maxAge().toNanos();
        while (true) {
            long now = System.nanoTime();
            long wait = pending.isEmpty() ? Math.min(maxAge, TimeUnit.MILLISECONDS.toNanos(50))
                    : Math.max(0, firstAt + maxAge - now);
            Chunk next;
            try {
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                next = null;
                closing = true;
            }
            while (next != null) {
                if (pending.isEmpty()) firstAt = System.nanoTime();
                int at = pending.size(), n = next.events().size();
                if (at + n > pendingFlags.length) pendingFlags = Arrays.copyOf(pendingFlags, Math.max(at + n, 2 * at));
                if (next.flags() == null) Arrays.fill(pendingFlags, at, at + n, 0);
                else System.arraycopy(next.flags(), 0, pendingFlags, at, n);
                pending.addAll(next.events());
                next = pending.size() < config.batchRows() ? queue.poll() : null;
            }
            now = System.nanoTime();
            boolean drained = closing && queue.isEmpty();
            if (!pending.isEmpty() && (pending.size() >= config.batchRows() || now - firstAt >= maxAge || drained)) {
                flush(pending, Arrays.copyOf(pendingFlags, pending.size()));
                pending = new ArrayList<>();
            } else if (pending.isEmpty() && journal.batchesPending() > 0 && now - retryAt >= 0 && !closing) {
                replay();
            }
            if (drained && pending.isEmpty()) break;
        }
        closeShards();
    }

    private void flush(List<MarketEvent> batch, int[] flags) {
        if (down && System.nanoTime() - retryAt < 0) {
            spill(batch, flags);
            return;
        }
        if (journal.batchesPending() > 0 && !replay()) {
            spill(batch, flags);
            return;
        }
        if (!write(batch, flags)) spill(batch, flags);
    }

    /** Replays the journal; true when it is empty afterwards. */
    private boolean replay() {
        try {
            ReplayResult r = journal.replay(new JournalSink() {
                @Override public boolean write(List<MarketEvent> batch) { return StorageWriter.this.write(batch, null); }

                @Override public boolean write(List<MarketEvent> batch, int[] flags) {
                    return StorageWriter.this.write(batch, flags);
                }
            });
            batchesReplayed.addAndGet(r.acknowledged());
            if (r.acknowledged() > 0) {
                log.info("storage writer: replayed {} journaled batches, {} left", r.acknowledged(),
                        journal.batchesPending());
            }
            return journal.batchesPending() == 0;
        } catch (Exception e) {
            log.error("storage writer: spill journal {} cannot be replayed: {}", journal.directory(), e.toString(), e);
            markDown();
            return false;
        }
    }

    /**
     * Writes one batch, split over the shards, each part in one transaction; false (failed connections dropped,
     * back-off started) when any part failed.
     */
    private boolean write(List<? extends MarketEvent> batch, int[] flags) {
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
        for (int i = 0; i < shards.length; i++) {
            WriterShard.Outcome o = outcomes[i];
            if (o == null) continue;
            switch (o.status()) {
                case WRITTEN -> {
                    rows += o.rows();
                    if (o.fellBack()) fastFallbacks.incrementAndGet();
                }
                case REJECTED -> {
                    // deterministic: retrying or journaling it would block every later batch forever
                    writeErrors.incrementAndGet();
                    eventsRejected.addAndGet(parts[i].size());
                    SQLException e = (SQLException) o.error();
                    log.error("storage writer: DATA REJECTED by the database, {} events dropped ({} so far),"
                            + " SQLSTATE {}: {}", parts[i].size(), eventsRejected.get(), e.getSQLState(),
                            e.getMessage());
                }
                case FAILED -> {
                    writeErrors.incrementAndGet();
                    if (failure == null) failure = o.error();
                }
            }
        }
        rowsWritten.addAndGet(rows);
        if (failure != null) return failed(batch, failure);
        lastWriteNanos.set(System.nanoTime() - start);
        batchesWritten.incrementAndGet();
        if (down) log.info("storage writer: database is back");
        down = false;
        backoffNanos = config.retryMin().toNanos();
        return true;
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
                    closing = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    return new WriterShard.Outcome(WriterShard.Status.FAILED, 0, false,
                            cause instanceof Exception ex ? ex : new RuntimeException(cause));
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The database is away (or the write timed out): back off (the failed shard has dropped its connection). */
    private boolean failed(List<? extends MarketEvent> batch, Exception e) {
        if (!down) log.warn("storage writer: write of {} events failed, journaling until the database answers: {}",
                batch.size(), e.getMessage());
        markDown();
        return false;
    }

    private void markDown() {
        down = true;
        retryAt = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(config.retryMax().toNanos(), Math.max(1, backoffNanos * 2));
    }

    private void spill(List<MarketEvent> batch, int[] flags) {
        try {
            journal.append(batch, flags);
            batchesSpilled.incrementAndGet();
        } catch (JournalFullException e) {
            eventsLost.addAndGet(batch.size());
            log.error("storage writer: DATA LOST: spill journal full, {} events dropped ({} lost so far): {}",
                    batch.size(), eventsLost.get(), e.getMessage());
        } catch (Exception e) {
            eventsLost.addAndGet(batch.size());
            log.error("storage writer: DATA LOST: spill journal append failed, {} events dropped ({} lost so far)",
                    batch.size(), eventsLost.get(), e);
        }
    }

    private void closeShards() {
        for (WriterShard shard : shards) shard.close();
    }

    /** Stops accepting batches, writes (or journals) everything queued, and waits for the writer thread. */
    @Override public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        Chunk late; // added while the thread was finishing: kept for the next start
        while ((late = queue.poll()) != null) spill(late.events(), late.flags());
    }

    public long rowsWritten() { return rowsWritten.get(); }
    public long batchesWritten() { return batchesWritten.get(); }
    public long batchesSpilled() { return batchesSpilled.get(); }
    public long batchesOverflowed() { return batchesOverflowed.get(); }
    public long batchesReplayed() { return batchesReplayed.get(); }
    public long writeErrors() { return writeErrors.get(); }
    public long eventsLost() { return eventsLost.get(); }
    public long eventsRejected() { return eventsRejected.get(); }
    public int queueDepth() { return queue.size(); }
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

    private void register(MeterRegistry r) {
        counter(r, "storage.writer.rows", "rows sent to websocket_data and market_data", rowsWritten);
        counter(r, "storage.writer.batches", "batches committed", batchesWritten);
        counter(r, "storage.writer.spilled", "batches appended to the spill journal", batchesSpilled);
        counter(r, "storage.writer.overflow", "batches spilled because the queue was full", batchesOverflowed);
        counter(r, "storage.writer.replayed", "journaled batches written on replay", batchesReplayed);
        counter(r, "storage.writer.errors", "failed writes", writeErrors);
        counter(r, "storage.writer.fast.fallbacks",
                "batch parts whose direct COPY hit a stored or repeated key and were redone via staging", fastFallbacks);
        counter(r, "storage.writer.lost.events", "events the journal refused", eventsLost);
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
        Gauge.builder("storage.writer.queue.depth", queue, ArrayBlockingQueue::size)
                .description("batches waiting for the writer thread").register(r);
        TimeGauge.builder("storage.writer.last.write", lastWriteNanos, TimeUnit.NANOSECONDS,
                (ToDoubleFunction<AtomicLong>) AtomicLong::get).description("latency of the last write").register(r);
    }

    private static void counter(MeterRegistry r, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(r);
    }
}
