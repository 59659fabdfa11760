package com.systemtrader.sink;

import com.systemtrader.schema.ConnectionStatus;

/**
 * A consumer of a collector's cleaned events: the memory cache, the Redis writer, the storage writer, user listeners,
 * and later a distributed log. Every one attaches the same way ({@code WebsocketCollector.addSink}) and receives the
 * same batches through the collector's one {@link SinkFanout}.
 *
 * <p>Threading contract: {@link #accept} and {@link #onStatus} are called on the collector's single pipeline thread,
 * in arrival order, never concurrently for one sink. {@link #accept} must return as its {@link #overflow()} states:
 * a {@link Overflow#BLOCK} sink does its work there; the others hand the batch to their own bounded queue and
 * return at once. An exception is counted ({@code sink.errors}) and logged, and does not stop the collector or the
 * other sinks. {@link #depth()} and {@link #dropped()} are read from any thread (metrics).
 */
public interface EventSink {
    /** The sink's name in metrics and logs: {@code memory}, {@code redis}, {@code storage}, {@code listeners}... */
    String name();

    /** What it does when it cannot keep up. */
    Overflow overflow();

    /** A batch of cleaned events with their verdicts. */
    void accept(EventBatch batch);

    /** A connection state change of the collector. */
    default void onStatus(ConnectionStatus status) {}

    /** What waits in the sink's own queue, in its unit (batches or events); 0 for a {@link Overflow#BLOCK} sink. */
    default long depth() { return 0; }

    /** Events the sink dropped by its overflow policy (or lost, with the reason in its own metrics). */
    default long dropped() { return 0; }
}
