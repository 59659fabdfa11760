package com.systemtrader.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A requests-per-minute limit shared by every REST caller of one API key. The bucket holds up to
 * {@code perMinute} tokens, starts full and refills continuously at {@code perMinute / 60} tokens per second; a
 * request takes one token. {@code perMinute = 0} means unlimited (only {@link #penalize} holds requests back).
 * After a 429, {@link #penalize} empties the bucket and refuses tokens until the penalty ends (refill goes on
 * meanwhile, as the server's window resets).
 *
 * <p>Exact integer arithmetic: one token is 60·10⁹ units and the bucket gains {@code perMinute} units per
 * nanosecond. Thread-safe; the lock is held for a few field updates only and never while waiting, so
 * {@link #acquire} parks virtual threads without pinning. Waiters are not served in arrival order.
 */
public final class TokenBucket {
    /** The largest supported limit (keeps the unit arithmetic inside a {@code long}). */
    public static final int MAX_PER_MINUTE = 10_000_000;
    private static final long UNIT = 60_000_000_000L;

    /** How {@link #acquire} waits; tests substitute one that advances a fake clock. */
    @FunctionalInterface
    interface Parker {
        void park(long nanos) throws InterruptedException;
    }

    private static final Parker PARK = nanos -> {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) throw new InterruptedException();
    };

    private final int perMinute;
    private final long capacity;
    private final LongSupplier nanoTime;
    private final Parker parker;
    private final ReentrantLock lock = new ReentrantLock();
    private long level;
    private long lastRefill;
    private long penaltyEnd;

    /** A bucket on {@link System#nanoTime()}. */
    public TokenBucket(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    /** A bucket on the given monotonic nanosecond clock (tests pass a fake one). */
    public TokenBucket(int perMinute, LongSupplier nanoTime) {
        this(perMinute, nanoTime, PARK);
    }

    TokenBucket(int perMinute, LongSupplier nanoTime, Parker parker) {
        if (perMinute < 0 || perMinute > MAX_PER_MINUTE) {
            throw new IllegalArgumentException("perMinute must be 0.." + MAX_PER_MINUTE + ": " + perMinute);
        }
        this.perMinute = perMinute;
        this.capacity = perMinute * UNIT;
        this.nanoTime = nanoTime;
        this.parker = parker;
        this.level = capacity;
        this.lastRefill = nanoTime.getAsLong();
        this.penaltyEnd = lastRefill;
    }

    /** The configured requests per minute; 0 when unlimited. */
    public int perMinute() {
        return perMinute;
    }

    /** Whether only penalties limit this bucket. */
    public boolean unlimited() {
        return perMinute == 0;
    }

    /** Takes a token if one is available now. */
    public boolean tryAcquire() {
        lock.lock();
        try {
            return take(nanoTime.getAsLong());
        } finally {
            lock.unlock();
        }
    }

    /** Nanoseconds until a token will be available (0 when one is available now). */
    public long nanosUntilAvailable() {
        lock.lock();
        try {
            return waitNanos(nanoTime.getAsLong());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a token, waiting (parked) up to {@code maxWait} for one. Returns false at once when no token can become
     * available within {@code maxWait}, so a caller can fall back instead of sleeping in vain.
     *
     * @throws InterruptedException when the thread is interrupted before or while waiting
     */
    public boolean acquire(Duration maxWait) throws InterruptedException {
        long start = nanoTime.getAsLong();
        long budget = saturatedNanos(maxWait);
        while (true) {
            if (Thread.interrupted()) throw new InterruptedException();
            long wait;
            lock.lock();
            try {
                long now = nanoTime.getAsLong();
                if (take(now)) return true;
                wait = waitNanos(now);
                if (wait > budget - (now - start)) return false;
            } finally {
                lock.unlock();
            }
            parker.park(Math.max(wait, 1));
        }
    }

    /**
     * After a 429: empties the bucket and refuses tokens for {@code duration} (a longer penalty already in force is
     * kept). Refill continues meanwhile, so tokens are available when the penalty ends.
     */
    public void penalize(Duration duration) {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            refill(now);
            level = 0;
            long end = now + Math.max(0, saturatedNanos(duration));
            if (end - penaltyEnd > 0) penaltyEnd = end;
        } finally {
            lock.unlock();
        }
    }

    /** Whole tokens available now ({@link Integer#MAX_VALUE} when unlimited and not penalized). */
    public long available() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            if (now - penaltyEnd < 0) return 0;
            if (unlimited()) return Integer.MAX_VALUE;
            refill(now);
            return level / UNIT;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long to {@link #penalize} after an Alpaca 429, from its {@code X-RateLimit-Reset} header (Unix seconds;
     * a millisecond value is recognised by its size). Missing or unparsable headers give {@code fallback}; the
     * result is clamped to 0..5 minutes, so clock skew or a bad header cannot stall callers for long.
     */
    public static Duration resetDelay(String xRateLimitReset, Instant now, Duration fallback) {
        if (xRateLimitReset == null || xRateLimitReset.isBlank()) return fallback;
        long epoch;
        try {
            epoch = Long.parseLong(xRateLimitReset.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
        Instant reset = epoch > 100_000_000_000L ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
        Duration d = Duration.between(now, reset);
        if (d.isNegative()) return Duration.ZERO;
        Duration max = Duration.ofMinutes(5);
        return d.compareTo(max) > 0 ? max : d;
    }

    private boolean take(long now) {
        if (now - penaltyEnd < 0) return false;
        if (unlimited()) return true;
        refill(now);
        if (level < UNIT) return false;
        level -= UNIT;
        return true;
    }

    private long waitNanos(long now) {
        long wait = now - penaltyEnd < 0 ? penaltyEnd - now : 0;
        if (!unlimited()) {
            refill(now);
            if (level < UNIT) wait = Math.max(wait, Math.ceilDiv(UNIT - level, perMinute));
        }
        return wait;
    }

    private void refill(long now) {
        long elapsed = now - lastRefill;
        if (elapsed <= 0) return;
        lastRefill = now;
        level = elapsed >= UNIT ? capacity : Math.min(capacity, level + elapsed * perMinute);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    @Override
    public String toString() {
        return unlimited() ? "TokenBucket[unlimited]" : "TokenBucket[" + perMinute + "/min]";
    }
}
