package com.systemtrader.simulator.rest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Per-key requests-per-minute limiter. Each key has a bucket of {@code limit} tokens; the first request after
 * the bucket was last refilled opens a one-minute window, and when the window ends the bucket is refilled
 * completely. A request takes one token or is refused. A limit of 0 (or less) means unlimited. Thread-safe;
 * buckets are locked only for a few field updates. Time is passed in, so tests need no sleeps.
 */
public final class RateLimiter {
    /** Length of a refill window. */
    public static final long WINDOW_MILLIS = 60_000L;

    /**
     * The outcome of one request.
     *
     * @param allowed            whether a token was taken
     * @param limit              the key's limit; 0 when unlimited
     * @param remaining          tokens left in the current window
     * @param resetEpochSeconds  Unix seconds (rounded up) when the bucket is refilled; 0 when unlimited
     */
    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
        public boolean unlimited() { return limit <= 0; }
    }

    private static final Decision UNLIMITED = new Decision(true, 0, 0, 0);

    private final ToIntFunction<String> limitOfKey;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** The same limit for every key. */
    public RateLimiter(int requestsPerMinute) {
        this(key -> requestsPerMinute);
    }

    /** A limit per key, asked on every request (so it may change at run time). */
    public RateLimiter(ToIntFunction<String> limitOfKey) {
        this.limitOfKey = limitOfKey;
    }

    /** Takes one token for {@code key} if there is one. */
    public Decision tryAcquire(String key, long nowMillis) {
        int limit = limitOfKey.applyAsInt(key);
        if (limit <= 0) return UNLIMITED;
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket());
        synchronized (b) {
            b.refillIfDue(limit, nowMillis);
            boolean ok = b.tokens > 0;
            if (ok) b.tokens--;
            return new Decision(ok, limit, b.tokens, Math.ceilDiv(b.windowEndMillis, 1000L));
        }
    }

    /** The state of {@code key}'s bucket without taking a token. */
    public Decision peek(String key, long nowMillis) {
        int limit = limitOfKey.applyAsInt(key);
        if (limit <= 0) return UNLIMITED;
        Bucket b = buckets.get(key);
        if (b == null) return new Decision(true, limit, limit, Math.ceilDiv(nowMillis + WINDOW_MILLIS, 1000L));
        synchronized (b) {
            if (nowMillis >= b.windowEndMillis) {
                return new Decision(true, limit, limit, Math.ceilDiv(nowMillis + WINDOW_MILLIS, 1000L));
            }
            return new Decision(b.tokens > 0, limit, Math.min(b.tokens, limit), Math.ceilDiv(b.windowEndMillis, 1000L));
        }
    }

    private static final class Bucket {
        int tokens;
        long windowEndMillis = Long.MIN_VALUE;

        void refillIfDue(int limit, long nowMillis) {
            if (nowMillis >= windowEndMillis) {
                tokens = limit;
                windowEndMillis = nowMillis + WINDOW_MILLIS;
            } else if (tokens > limit) {
                tokens = limit; // the limit was lowered during the window
            }
        }
    }
}
