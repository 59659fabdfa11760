package com.systemtrader.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test void fullJitterGrowsExponentiallyUpToTheCapAndNeverBelowTheFloor() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 7);
        long floor = 100_000_000L;
        long[] maxSeen = new long[8];
        for (int round = 0; round < 2_000; round++) {
            b.reset();
            for (int attempt = 0; attempt < 8; attempt++) {
                long d = b.nextDelayNs();
                long ceiling = Math.min(30_000_000_000L, 1_000_000_000L << attempt);
                assertThat(d).isBetween(floor, ceiling);
                maxSeen[attempt] = Math.max(maxSeen[attempt], d);
            }
        }
        // jitter really spreads: the largest draws come close to each ceiling
        assertThat(maxSeen[0]).isGreaterThan(900_000_000L);
        assertThat(maxSeen[3]).isGreaterThan(7_000_000_000L);
        assertThat(maxSeen[7]).isGreaterThan(28_000_000_000L).isLessThanOrEqualTo(30_000_000_000L);
    }

    @Test void resetStartsOverAndAttemptsAreCounted() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 1);
        for (int i = 0; i < 10; i++) b.nextDelayNs();
        assertThat(b.attempts()).isEqualTo(10);
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.nextDelayNs()).isLessThanOrEqualTo(200_000_000L);
    }
}
