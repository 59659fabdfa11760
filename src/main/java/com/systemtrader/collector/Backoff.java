package com.systemtrader.collector;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Exponential backoff with full jitter and a cap: the n-th consecutive failure waits a uniformly random time in
 * {@code [floor, min(cap, base * 2^n)]}. The floor (a tenth of the base, at least 100 ms) keeps a run of unlucky
 * draws from becoming a tight loop. {@link #reset()} is called only after a connection stayed healthy.
 */
final class Backoff {
    private final long baseNs;
    private final long capNs;
    private final long floorNs;
    private final SplittableRandom random;
    private int attempt;

    Backoff(Duration base, Duration cap, long seed) {
        this.baseNs = Math.max(1, base.toNanos());
        this.capNs = Math.max(baseNs, cap.toNanos());
        this.floorNs = Math.min(baseNs, Math.max(100_000_000L, baseNs / 10));
        this.random = new SplittableRandom(seed);
    }

    /** The delay before the next attempt, in nanoseconds; advances the attempt counter. */
    long nextDelayNs() {
        long ceiling = attempt >= 62 ? capNs : Math.min(capNs, baseNs << Math.min(attempt, 30));
        attempt++;
        return floorNs + (ceiling > floorNs ? random.nextLong(ceiling - floorNs + 1) : 0);
    }

    int attempts() { return attempt; }

    void reset() { attempt = 0; }
}
