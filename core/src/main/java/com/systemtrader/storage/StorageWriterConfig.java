package com.systemtrader.storage;

import java.time.Duration;

/**
 * Settings of a {@link StorageWriter}.
 *
 * @param batchRows         the writer flushes when this many events are pending ({@code db_batch_size})
 * @param maxAge            ... or when the oldest pending event has waited this long, whichever comes first
 * @param queueBatches      capacity of the writer's queue in batches (default 16,384: the pipelines hand over one
 *                          batch per drain of their ring, often a few events, so a bound of 1,024 batches was
 *                          reached with 30,000 events a second and the intake spilled for nothing) ...
 * @param queueEvents       ... and in events, whichever is reached first; when it is full the intake spills to the
 *                          journal until the writer has caught up (default 100,000: about a second at 100k/s)
 * @param intakeEvents      capacity of the intake queue in front of the writer, in events: batches wait there only
 *                          until the intake thread hands them to the writer or the journal; a batch that does not
 *                          fit is counted lost ({@code reason="intake_full"}) (default 500,000)
 * @param storeTrades       write trades to websocket_data
 * @param storeQuotes       write quotes to websocket_data
 * @param retryMin          the ceiling of the first wait after a failed write before the database is tried again
 * @param retryMax          the largest ceiling (it doubles up to this; each wait is drawn below it, {@code Backoff})
 * @param writers           database connections a batch is written over, each batch split by
 *                          {@code hash(symbol) % writers} so that one symbol always goes through one connection
 *                          (default 2: measured best on 2 cores, docs/PERFORMANCE.md)
 * @param fastPath          COPY ticks straight into websocket_data and fall back to staging + ON CONFLICT DO NOTHING
 *                          only when a batch hits a stored or repeated key (default true); false always stages
 * @param synchronousCommit true (default) keeps the server's {@code synchronous_commit}; false sets it {@code off}
 *                          on the writer's connections. <b>Risk</b>: a server crash (not a client crash) can then
 *                          lose the last ~0.6 s of commits the writer already acknowledged, and the spill journal
 *                          has already dropped those batches, so they are gone unless the feed is replayed
 */
public record StorageWriterConfig(int batchRows, Duration maxAge, int queueBatches, int queueEvents,
                                  long intakeEvents, boolean storeTrades, boolean storeQuotes, Duration retryMin,
                                  Duration retryMax, int writers, boolean fastPath, boolean synchronousCommit) {
    /** Connections used when nothing says otherwise (measured, docs/PERFORMANCE.md). */
    public static final int DEFAULT_WRITERS = 2;

    public StorageWriterConfig {
        if (batchRows < 1) throw new IllegalArgumentException("batchRows must be at least 1: " + batchRows);
        if (queueBatches < 1) throw new IllegalArgumentException("queueBatches must be at least 1: " + queueBatches);
        if (queueEvents < 1) throw new IllegalArgumentException("queueEvents must be at least 1: " + queueEvents);
        if (intakeEvents < 1) throw new IllegalArgumentException("intakeEvents must be at least 1: " + intakeEvents);
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
        if (retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("need 0 <= retryMin <= retryMax");
        }
        if (writers < 1 || writers > 64) throw new IllegalArgumentException("writers must be 1 to 64: " + writers);
    }

    /** The settings before the queue bounds in events, writers, fast path and synchronous commit existed. */
    public StorageWriterConfig(int batchRows, Duration maxAge, int queueBatches, boolean storeTrades,
                               boolean storeQuotes, Duration retryMin, Duration retryMax) {
        this(batchRows, maxAge, queueBatches, 100_000, 500_000, storeTrades, storeQuotes, retryMin, retryMax,
                DEFAULT_WRITERS, true, true);
    }

    /**
     * 10 000 rows or 200 ms, 16,384 queued batches or 100,000 events, an intake of 500,000 events, trades and
     * quotes, retries from 250 ms up to 10 s, 2 writer connections, fast path on, synchronous commit as the server
     * has it.
     */
    public static StorageWriterConfig defaults() {
        return new StorageWriterConfig(10_000, Duration.ofMillis(200), 16_384, true, true,
                Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public StorageWriterConfig withBatchRows(int rows) {
        return new StorageWriterConfig(rows, maxAge, queueBatches, queueEvents, intakeEvents, storeTrades,
                storeQuotes, retryMin, retryMax, writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withMaxAge(Duration age) {
        return new StorageWriterConfig(batchRows, age, queueBatches, queueEvents, intakeEvents, storeTrades,
                storeQuotes, retryMin, retryMax, writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withQueueBatches(int n) {
        return new StorageWriterConfig(batchRows, maxAge, n, queueEvents, intakeEvents, storeTrades, storeQuotes,
                retryMin, retryMax, writers, fastPath, synchronousCommit);
    }

    /** The writer queue's bound in events and the intake's. */
    public StorageWriterConfig withQueueEvents(int writerQueue, long intake) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, writerQueue, intake, storeTrades,
                storeQuotes, retryMin, retryMax, writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withStore(boolean trades, boolean quotes) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, queueEvents, intakeEvents, trades, quotes,
                retryMin, retryMax, writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withRetry(Duration min, Duration max) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, queueEvents, intakeEvents, storeTrades,
                storeQuotes, min, max, writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withWriters(int n) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, queueEvents, intakeEvents, storeTrades,
                storeQuotes, retryMin, retryMax, n, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withFastPath(boolean on) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, queueEvents, intakeEvents, storeTrades,
                storeQuotes, retryMin, retryMax, writers, on, synchronousCommit);
    }

    public StorageWriterConfig withSynchronousCommit(boolean on) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, queueEvents, intakeEvents, storeTrades,
                storeQuotes, retryMin, retryMax, writers, fastPath, on);
    }
}
