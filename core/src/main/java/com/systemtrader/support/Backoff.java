package com.systemtrader.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The one retry-delay policy of the project (collector reconnects, the Redis cache writer, REST retries, the storage
 * writer): capped exponential backoff with full jitter and a floor. The n-th consecutive failure (n from 1) waits a
 * uniformly random time in {@code [floor, min(cap, base * 2^(n-1))]}. Full jitter spreads the retries of many clients
 * that failed together; the floor, a tenth of the base but at least {@code minFloor} (and never above the base),
 * keeps a run of unlucky draws from becoming a tight loop. Immutable; the caller counts its failures.
 *
 * @param base     the ceiling of the first wait
 * @param cap      the largest ceiling
 * @param minFloor the least floor (0: a tenth of the base)
 */
public record Backoff(Duration base, Duration cap, Duration minFloor) {
    /** A cap below the base means the base (every wait's ceiling is then the base). */
    public Backoff {
        if (base.isNegative() || cap.isNegative() || minFloor.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative, were base " + base + ", cap "
                    + cap + ", minFloor " + minFloor);
        }
    }

    /** A policy whose floor is a tenth of the base. */
    public static Backoff of(Duration base, Duration cap) {
        return new Backoff(base, cap, Duration.ZERO);
    }

    /** The floor every wait is at least (0 only with a zero base, which tests use for "retry at once"). */
    public long floorNanos() {
        long b = nanos(base);
        return Math.min(b, Math.max(nanos(minFloor), b / 10));
    }

    /** The largest wait after {@code failures} consecutive failures. */
    public long ceilingNanos(int failures) {
        long b = Math.max(1, nanos(base));
        long c = Math.max(b, nanos(cap));
        int doublings = Math.max(0, failures - 1);
        return doublings >= Long.numberOfLeadingZeros(b) - 1 ? c : Math.min(c, b << doublings); // past it: overflow
    }

    /** The wait after {@code failures} (at least 1) consecutive failures, drawn from {@code random}. */
    public long delayNanos(int failures, RandomGenerator random) {
        long floor = floorNanos();
        long ceiling = ceilingNanos(failures);
        if (ceiling <= floor) return floor;
        return ceiling == Long.MAX_VALUE ? random.nextLong(floor, ceiling) : random.nextLong(floor, ceiling + 1);
    }

    /** Nanoseconds, saturated at {@link Long#MAX_VALUE} (about 292 years). */
    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@link #delayNanos} with the calling thread's random generator. */
    public Duration delay(int failures) {
        return Duration.ofNanos(delayNanos(failures, ThreadLocalRandom.current()));
    }
}
