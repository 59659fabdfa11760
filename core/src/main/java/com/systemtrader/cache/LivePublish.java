package com.systemtrader.cache;

import java.util.Locale;

/**
 * How the Redis cache writer publishes what it writes for out-of-process consumers (docs/REDIS_SCHEMA.md, "Live
 * publication"): one message or stream entry per series and batch, carrying the batch's members.
 */
public enum LivePublish {
    /**
     * {@code PUBLISH md:live:<type>}: costs Redis nothing while nobody listens and holds no memory; a consumer that
     * was away catches up from the sorted sets. The default.
     */
    PUBSUB,
    /** {@code XADD md:stream:<type> MAXLEN ~ n}: replayable by entry id, at the cost of a second copy in Redis. */
    STREAM,
    /** No live publication. */
    OFF;

    /** The configuration value: {@code pubsub}, {@code stream} or {@code off}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LivePublish of(String token) {
        return valueOf(token.toUpperCase(Locale.ROOT));
    }
}
