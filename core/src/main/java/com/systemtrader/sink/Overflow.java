package com.systemtrader.sink;

/** What an {@link EventSink} does when it cannot keep up; each sink states its own. */
public enum Overflow {
    /**
     * Runs to completion on the pipeline thread: a slow sink slows the pipeline, the frame ring fills and the
     * collector pauses reading the socket (backpressure). For in-memory work that takes microseconds (the memory
     * cache, user listeners, which must not block).
     */
    BLOCK,
    /**
     * Never waits: when behind, the oldest queued data is dropped (counted) and the newest wins; what was dropped is
     * restored from a fuller copy once the sink has caught up (the Redis cache, from the memory cache).
     */
    CONFLATE,
    /**
     * Never waits and drops nothing: a bounded queue in memory, then a durable journal on disk, replayed once the
     * destination is back (storage). Only a full disk loses data, and then counted with its reason.
     */
    SPILL
}
