package com.systemtrader.storage;

import java.time.Duration;

/**
 * Settings of a {@link StorageWriter}.
 *
 * @param batchRows         the writer flushes when this many events are pending ({@code db_batch_size})
 * @param maxAge            ... or when the oldest pending event has waited this long, whichever comes first
 * @param queueBatches      capacity of the queue between {@code add} and the writer thread, in batches; when it is
 *                          full a batch goes straight to the spill journal
 * @param storeTrades       write trades to websocket_data
 * @param storeQuotes       write quotes to websocket_data
 * @param retryMin          first wait after a failed write before the database is tried again
 * @param retryMax          the longest such wait (it doubles up to this)
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
public record StorageWriterConfig(int batchRows, Duration maxAge, int queueBatches, boolean storeTrades,
                                  boolean storeQuotes, Duration retryMin, Duration retryMax, int writers,
                                  boolean fastPath, boolean synchronousCommit) {
    /** Connections used when nothing says otherwise (measured, docs/PERFORMANCE.md). */
    public static final int DEFAULT_WRITERS = 2;

    public StorageWriterConfig {
        if (batchRows < 1) throw new IllegalArgumentException("batchRows must be at least 1: " + batchRows);
        if (queueBatches < 1) throw new IllegalArgumentException("queueBatches must be at least 1: " + queueBatches);
        if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be positive");
        if (retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("need 0 <= retryMin <= retryMax");
        }
        if (writers < 1 || writers > 64) throw new IllegalArgumentException("writers must be 1 to 64: " + writers);
    }

    /** The settings before writers, fast path and synchronous commit existed, with their defaults. */
    public StorageWriterConfig(int batchRows, Duration maxAge, int queueBatches, boolean storeTrades,
                               boolean storeQuotes, Duration retryMin, Duration retryMax) {
        this(batchRows, maxAge, queueBatches, storeTrades, storeQuotes, retryMin, retryMax, DEFAULT_WRITERS, true,
                true);
    }

    /**
     * 10 000 rows or 200 ms, 1 024 queued batches, trades and quotes, retries from 250 ms up to 10 s, 2 writer
     * connections, fast path on, synchronous commit as the server has it.
     */
    public static StorageWriterConfig defaults() {
        return new StorageWriterConfig(10_000, Duration.ofMillis(200), 1024, true, true,
                Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public StorageWriterConfig withBatchRows(int rows) {
        return new StorageWriterConfig(rows, maxAge, queueBatches, storeTrades, storeQuotes, retryMin, retryMax,
                writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withMaxAge(Duration age) {
        return new StorageWriterConfig(batchRows, age, queueBatches, storeTrades, storeQuotes, retryMin, retryMax,
                writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withQueueBatches(int n) {
        return new StorageWriterConfig(batchRows, maxAge, n, storeTrades, storeQuotes, retryMin, retryMax,
                writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withStore(boolean trades, boolean quotes) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, trades, quotes, retryMin, retryMax,
                writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withRetry(Duration min, Duration max) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, storeTrades, storeQuotes, min, max,
                writers, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withWriters(int n) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, storeTrades, storeQuotes, retryMin, retryMax,
                n, fastPath, synchronousCommit);
    }

    public StorageWriterConfig withFastPath(boolean on) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, storeTrades, storeQuotes, retryMin, retryMax,
                writers, on, synchronousCommit);
    }

    public StorageWriterConfig withSynchronousCommit(boolean on) {
        return new StorageWriterConfig(batchRows, maxAge, queueBatches, storeTrades, storeQuotes, retryMin, retryMax,
                writers, fastPath, on);
    }
}
