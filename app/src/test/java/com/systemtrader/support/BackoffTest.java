package com.systemtrader.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test void fullJitterGrowsExponentiallyUpToTheCapAndNeverBelowTheFloor() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(100));
        SplittableRandom random = new SplittableRandom(7);
        long floor = 100_000_000L;
        long[] maxSeen = new long[9];
        for (int round = 0; round < 2_000; round++) {
            for (int failures = 1; failures <= 8; failures++) {
                long d = b.delayNanos(failures, random);
                long ceiling = Math.min(30_000_000_000L, 1_000_000_000L << (failures - 1));
                assertThat(d).isBetween(floor, ceiling);
                maxSeen[failures] = Math.max(maxSeen[failures], d);
            }
        }
        // jitter really spreads: the largest draws come close to each ceiling
        assertThat(maxSeen[1]).isGreaterThan(900_000_000L);
        assertThat(maxSeen[4]).isGreaterThan(7_000_000_000L);
        assertThat(maxSeen[8]).isGreaterThan(28_000_000_000L).isLessThanOrEqualTo(30_000_000_000L);
    }

    @Test void theFloorIsATenthOfTheBaseAtLeastTheMinimumAndNeverAboveTheBase() {
        assertThat(Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(10)).floorNanos()).isEqualTo(200_000_000L);
        assertThat(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMillis(100)).floorNanos())
                .isEqualTo(100_000_000L);
        assertThat(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(100)).floorNanos())
                .isEqualTo(50_000_000L);
    }

    @Test void manyFailuresStayAtTheCapWithoutOverflow() {
        Backoff b = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int failures : new int[] {5, 30, 40, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(b.ceilingNanos(failures)).as("failures %d", failures).isEqualTo(1_000_000_000L);
            assertThat(b.delay(failures)).isBetween(Duration.ofMillis(10), Duration.ofSeconds(1));
        }
        assertThat(b.ceilingNanos(1)).isEqualTo(100_000_000L);
        assertThat(b.ceilingNanos(2)).isEqualTo(200_000_000L);
    }

    @Test void hugeDurationsSaturateInsteadOfOverflowing() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(Long.MAX_VALUE), Duration.ZERO);
        assertThat(b.ceilingNanos(200)).isEqualTo(Long.MAX_VALUE);
        assertThat(b.delayNanos(200, new SplittableRandom(1))).isBetween(100_000_000L, Long.MAX_VALUE);
        assertThat(Backoff.of(Duration.ZERO, Duration.ZERO).delayNanos(3, new SplittableRandom(1))).isBetween(0L, 1L);
    }

    @Test void aCapBelowTheBaseMeansTheBaseAndNegativeDurationsAreRefused() {
        assertThat(Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)).ceilingNanos(5)).isEqualTo(2_000_000_000L);
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}
