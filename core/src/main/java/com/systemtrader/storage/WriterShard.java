package com.systemtrader.storage;

import com.systemtrader.schema.MarketEvent;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One connection of a {@link StorageWriter} and the {@link BatchWrite} that uses it. Shard 0 runs on the writer's
 * own thread ({@link #write}); every other shard owns one platform thread ({@link #submit}), so its connection and
 * encoder are only ever touched by that thread. A shard never journals, logs or backs off: it reports an
 * {@link Outcome} and the writer thread decides.
 */
final class WriterShard implements AutoCloseable {
    enum Status { WRITTEN, REJECTED, FAILED }

    /**
     * What one part of a batch came to. {@code WRITTEN} may include events the database rejected as bad data
     * ({@code rejected > 0}, isolated by bisection); {@code REJECTED}: every event of the part was.
     *
     * @param rows     rows sent (before duplicates were skipped) when written
     * @param fellBack the fast path hit a stored or repeated key and the part was redone by the safe path
     * @param rejected events dropped as bad data
     * @param error    why (the first) events were rejected, or why the part failed; null when all were written
     * @param settled  {@code FAILED} only: how many leading events of the part were committed or rejected before the
     *                 failure (halves of a bisection commit in order); the rest were not written. 0 otherwise
     */
    record Outcome(Status status, int rows, boolean fellBack, int rejected, Exception error, int settled) {
        Outcome(Status status, int rows, boolean fellBack, int rejected, Exception error) {
            this(status, rows, fellBack, rejected, error, 0);
        }
    }

    private final StorageWriter.ConnectionSource source;
    private final boolean synchronousCommit;
    private final BatchWrite batchWrite;
    private final ExecutorService executor;
    private Connection connection;

    /**
     * The longest a write waits for the server to answer. Past it the write fails and its batch goes to the journal,
     * instead of the writer hanging on a server that accepted the connection and stopped answering.
     */
    static final int NETWORK_TIMEOUT_MS = 60_000;

    /**
     * @param ownThread false: runs on the caller's thread; true: on a thread of its own named {@code name}
     * @param dirty     told the minutes whose stored trades corrections and cancels changed (after the commit)
     */
    WriterShard(String name, boolean ownThread, StorageWriter.ConnectionSource source, StorageWriterConfig config,
                TradeFixes.CorrectionCounts corrections, DirtyRollups dirty) {
        this.source = source;
        this.synchronousCommit = config.synchronousCommit();
        this.batchWrite = new BatchWrite(config.storeTrades(), config.storeQuotes(), config.fastPath(), corrections,
                dirty);
        this.executor = ownThread
                ? Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon(false).factory())
                : null;
    }

    /**
     * Writes {@code part} in one transaction on the calling thread (shard 0 only). When the database rejects it as bad
     * data, the part is written again in halves, recursively, so that only the events rejected on their own are
     * dropped and the rest of the part is stored (bad input loses nothing else); halves are written in order, each in
     * its own transaction. A failure (not a rejection) on the way fails the rest of the part: the outcome says how
     * many leading events were settled ({@link Outcome#settled}), and only the others go to the journal.
     *
     * @param flags the events' verdicts, parallel to {@code part} (may be longer); null = all 0
     */
    Outcome write(List<? extends MarketEvent> part, int[] flags) {
        Outcome o = writeOnce(part, flags);
        if (o.status() != Status.REJECTED || part.size() == 1) return o;
        return bisect(part, flags);
    }

    private Outcome bisect(List<? extends MarketEvent> part, int[] flags) {
        int half = part.size() / 2;
        Outcome left = write(part.subList(0, half), flags == null ? null : Arrays.copyOfRange(flags, 0, half));
        if (left.status() == Status.FAILED) return left;
        Outcome right = write(part.subList(half, part.size()),
                flags == null ? null : Arrays.copyOfRange(flags, half, part.size()));
        if (right.status() == Status.FAILED) { // the left half is settled: committed, or rejected as bad data
            return new Outcome(Status.FAILED, left.rows() + right.rows(), left.fellBack() || right.fellBack(),
                    left.rejected() + right.rejected(), right.error(), half + right.settled());
        }
        int rejected = left.rejected() + right.rejected();
        Exception why = left.error() != null ? left.error() : right.error();
        Status status = rejected == part.size() ? Status.REJECTED : Status.WRITTEN;
        return new Outcome(status, left.rows() + right.rows(), left.fellBack() || right.fellBack(), rejected, why);
    }

    private Outcome writeOnce(List<? extends MarketEvent> part, int[] flags) {
        try {
            if (connection == null) {
                Connection c = source.open();
                try {
                    c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS); // a hung server fails the write
                    BatchWrite.prepare(c, synchronousCommit);
                    batchWrite.connected(c);
                } catch (SQLException | RuntimeException e) {
                    closeQuietly(c);
                    throw e;
                }
                connection = c;
            }
            long fallbacksBefore = batchWrite.fallbacks;
            batchWrite.write(connection, part, flags);
            return new Outcome(Status.WRITTEN, batchWrite.lastRows, batchWrite.fallbacks != fallbacksBefore, 0, null);
        } catch (SQLException e) {
            if (rejectsData(e)) return new Outcome(Status.REJECTED, 0, false, part.size(), e);
            closeConnection();
            return new Outcome(Status.FAILED, 0, false, 0, e);
        } catch (Exception e) {
            closeConnection();
            return new Outcome(Status.FAILED, 0, false, 0, e);
        }
    }

    /** Writes {@code part} on this shard's own thread. */
    Future<Outcome> submit(List<? extends MarketEvent> part, int[] flags) {
        return executor.submit(() -> write(part, flags));
    }

    /**
     * True for SQLSTATE classes 22 (data exception) and 23 (integrity constraint) on a connection that still works:
     * the same batch would fail again. A missing partition (23514) has already been retried by {@link BatchWrite},
     * and a unique violation (23505) only reaches here if the safe path itself raised it.
     */
    private boolean rejectsData(SQLException e) {
        String state = e.getSQLState();
        if (state == null || !(state.startsWith("22") || state.startsWith("23"))) return false;
        try {
            return connection != null && connection.isValid(2);
        } catch (SQLException invalid) {
            return false;
        }
    }

    private void closeConnection() {
        if (connection == null) return;
        closeQuietly(connection);
        connection = null;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    /** Closes the connection (on the shard's thread) and ends the thread. Call from the writer thread. */
    @Override public void close() {
        if (executor == null) {
            closeConnection();
            return;
        }
        executor.execute(this::closeConnection);
        executor.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
