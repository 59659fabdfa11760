package com.systemtrader.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A requests-per-minute limit shared by every REST caller of one API key, enforced over <b>every sliding 60-second
 * window</b>: however requests are spread in time, no 60 s interval (open or closed) holds more than
 * {@code perMinute} grants. A fresh bucket allows a burst of {@code perMinute} requests; after that a new request
 * is granted only as earlier grants age out of the window. {@code perMinute = 0} means unlimited (only
 * {@link #penalize} holds requests back). After a 429, {@link #penalize} refuses tokens until the penalty ends.
 *
 * <p>Why a window and not a refilling bucket: a bucket that starts full and refills continuously lets about twice
 * its rate through in the first minute (the full burst plus a minute of refill), which is exactly what a provider
 * counting requests per minute answers with 429.
 *
 * <p>Bounded memory whatever the limit: grants are counted in {@value #SLOTS} slots of 100 ms, and a grant counts
 * against the window from its slot's start until 60.1 s after it. That is conservative by at most one slot (a grant
 * may wait up to 100 ms longer than an exact log would make it), never permissive. Thread-safe; the lock is held
 * for a few field updates (at most one pass over the slots) and never while waiting, so {@link #acquire} parks
 * virtual threads without pinning. Waiters are not served in arrival order.
 */
public final class TokenBucket {
    /** The largest supported limit. */
    public static final int MAX_PER_MINUTE = 10_000_000;
    private static final long WINDOW = 60_000_000_000L;
    /** Slots per window; the ring holds one more, so a grant stays counted for more than a full window. */
    private static final int SLOTS = 600;
    private static final long SLOT = WINDOW / SLOTS;
    private static final int RING = SLOTS + 1;

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
    private final LongSupplier nanoTime;
    private final Parker parker;
    private final ReentrantLock lock = new ReentrantLock();
    private final long origin;
    /** Grants per slot; slot {@code s} lives at index {@code s mod RING} while {@code head - s < RING}. */
    private final int[] counts;
    private long head;
    private long inWindow;
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
        this.nanoTime = nanoTime;
        this.parker = parker;
        this.origin = nanoTime.getAsLong();
        this.counts = perMinute == 0 ? new int[0] : new int[RING];
        this.penaltyEnd = origin;
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
     * After a 429: refuses tokens for {@code duration} (a longer penalty already in force is kept). Grants keep
     * ageing out of the window meanwhile, so the window's budget is available again when the penalty ends (the
     * server has reset its own count by then).
     */
    public void penalize(Duration duration) {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
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
            advance(now);
            return Math.max(0, perMinute - inWindow);
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
        advance(now);
        if (inWindow >= perMinute) return false;
        counts[(int) Math.floorMod(head, (long) RING)]++;
        inWindow++;
        return true;
    }

    private long waitNanos(long now) {
        long wait = now - penaltyEnd < 0 ? penaltyEnd - now : 0;
        if (!unlimited()) {
            advance(now);
            long excess = inWindow - perMinute; // grants that must age out before one more fits
            if (excess >= 0) {
                for (long s = head - SLOTS; s <= head; s++) {
                    excess -= counts[(int) Math.floorMod(s, (long) RING)];
                    if (excess < 0) {
                        // slot s leaves the ring when head reaches s + RING
                        wait = Math.max(wait, origin + (s + RING) * SLOT - now);
                        break;
                    }
                }
            }
        }
        return wait;
    }

    /** Moves the ring to the slot of {@code now}, dropping the grants of slots that left the window. */
    private void advance(long now) {
        long slot = Math.floorDiv(now - origin, SLOT);
        long steps = slot - head;
        if (steps <= 0) return;
        if (steps >= RING) {
            java.util.Arrays.fill(counts, 0);
            inWindow = 0;
        } else {
            for (long s = head + 1; s <= slot; s++) {
                int i = (int) Math.floorMod(s, (long) RING);
                inWindow -= counts[i];
                counts[i] = 0;
            }
        }
        head = slot;
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
