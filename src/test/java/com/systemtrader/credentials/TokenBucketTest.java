package com.systemtrader.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.credentials.Keys.FakeNanos;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TokenBucketTest {
    private final FakeNanos clock = new FakeNanos();

    private static void drain(TokenBucket b) {
        while (b.tryAcquire()) { /* empty it */ }
    }

    @Test
    void limitIsRespectedOverASimulatedMinute() {
        TokenBucket b = new TokenBucket(5, clock);
        int burst = 0;
        while (b.tryAcquire()) burst++;
        assertThat(burst).isEqualTo(5);

        List<Long> grantedAtMs = new ArrayList<>();
        for (int ms = 100; ms <= 60_000; ms += 100) {
            clock.advance(100_000_000L);
            if (b.tryAcquire()) grantedAtMs.add((long) ms);
        }
        assertThat(grantedAtMs).containsExactly(12_000L, 24_000L, 36_000L, 48_000L, 60_000L);

        int later = 0;
        for (int i = 0; i < 10 * 600; i++) {
            clock.advance(100_000_000L);
            if (b.tryAcquire()) later++;
        }
        assertThat(later).isEqualTo(50);
    }

    @Test
    void refillsContinuouslyUpToCapacity() {
        TokenBucket b = new TokenBucket(60, clock);
        drain(b);
        assertThat(b.nanosUntilAvailable()).isEqualTo(1_000_000_000L);
        clock.advanceSeconds(0.5);
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.nanosUntilAvailable()).isEqualTo(500_000_000L);
        clock.advanceSeconds(0.5);
        assertThat(b.nanosUntilAvailable()).isZero();
        assertThat(b.tryAcquire()).isTrue();
        assertThat(b.tryAcquire()).isFalse();

        clock.advanceSeconds(3600);
        assertThat(b.available()).isEqualTo(60);
    }

    @Test
    void fractionalRatesAreExact() {
        TokenBucket b = new TokenBucket(7, clock);
        drain(b);
        long interval = Math.ceilDiv(60_000_000_000L, 7);
        assertThat(b.nanosUntilAvailable()).isEqualTo(interval);
        clock.advance(interval - 1);
        assertThat(b.tryAcquire()).isFalse();
        clock.advance(1);
        assertThat(b.tryAcquire()).isTrue();
    }

    @Test
    void penaltyBlocksThenTheBucketHasRefilled() {
        TokenBucket b = new TokenBucket(200, clock);
        b.penalize(Duration.ofSeconds(30));
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.available()).isZero();
        assertThat(b.nanosUntilAvailable()).isEqualTo(30_000_000_000L);

        b.penalize(Duration.ofSeconds(5)); // a shorter penalty does not shorten the one in force
        assertThat(b.nanosUntilAvailable()).isEqualTo(30_000_000_000L);

        clock.advanceSeconds(29.9);
        assertThat(b.tryAcquire()).isFalse();
        clock.advanceSeconds(0.1);
        assertThat(b.available()).isEqualTo(100); // 30 s at 200/min
        assertThat(b.tryAcquire()).isTrue();
    }

    @Test
    void unlimitedBucketIsOnlyHeldBackByPenalties() {
        TokenBucket b = new TokenBucket(0, clock);
        assertThat(b.unlimited()).isTrue();
        for (int i = 0; i < 10_000; i++) assertThat(b.tryAcquire()).isTrue();
        assertThat(b.nanosUntilAvailable()).isZero();
        b.penalize(Duration.ofSeconds(2));
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.nanosUntilAvailable()).isEqualTo(2_000_000_000L);
        clock.advanceSeconds(2);
        assertThat(b.tryAcquire()).isTrue();
    }

    @Test
    void rejectsLimitsOutOfRange() {
        assertThatThrownBy(() -> new TokenBucket(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(TokenBucket.MAX_PER_MINUTE + 1)).isInstanceOf(IllegalArgumentException.class);
        TokenBucket max = new TokenBucket(TokenBucket.MAX_PER_MINUTE, clock);
        drain(max);
        clock.advanceSeconds(3600);
        assertThat(max.available()).isEqualTo(TokenBucket.MAX_PER_MINUTE);
    }

    @Test
    void acquireWaitsOnTheFakeClockAndGivesUpWhenTheTokenIsTooFar() throws Exception {
        List<Long> parks = new ArrayList<>();
        TokenBucket b = new TokenBucket(60, clock, nanos -> {
            parks.add(nanos);
            clock.advance(nanos);
        });
        drain(b);
        long before = clock.getAsLong();
        assertThat(b.acquire(Duration.ofMillis(500))).isFalse();
        assertThat(parks).isEmpty();
        assertThat(clock.getAsLong()).isEqualTo(before);

        assertThat(b.acquire(Duration.ofSeconds(2))).isTrue();
        assertThat(parks).containsExactly(1_000_000_000L);

        b.penalize(Duration.ofSeconds(10));
        assertThat(b.acquire(Duration.ofSeconds(9))).isFalse();
        assertThat(b.acquire(Duration.ofSeconds(10))).isTrue();
        assertThat(parks).containsExactly(1_000_000_000L, 10_000_000_000L);
    }

    @Test
    @Timeout(10)
    void acquireParksAVirtualThreadBriefly() throws Exception {
        TokenBucket b = new TokenBucket(6_000); // one token per 10 ms of real time
        drain(b);
        AtomicReference<Boolean> got = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                got.set(b.acquire(Duration.ofSeconds(5)));
            } catch (InterruptedException e) {
                got.set(null);
            }
        });
        t.join();
        assertThat(got.get()).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    @Timeout(10)
    void acquireIsInterruptible() throws Exception {
        TokenBucket b = new TokenBucket(1);
        drain(b);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                b.acquire(Duration.ofMinutes(10));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        started.await();
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> b.acquire(Duration.ZERO)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void concurrentTryAcquireNeverExceedsCapacity() throws Exception {
        TokenBucket b = new TokenBucket(100, clock);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    for (int k = 0; k < 10_000; k++) if (b.tryAcquire()) n++;
                    return n;
                }));
            }
            go.countDown();
            assertThat(sum(results)).isEqualTo(100);
        }
    }

    @Test
    void concurrentTryAcquireWithAMovingClockGrantsExactlyWhatRefilled() throws Exception {
        TokenBucket b = new TokenBucket(600, clock); // 10 tokens per simulated second
        int threads = 6;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads + 1)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int n = 0;
                    for (int k = 0; k < 20_000; k++) if (b.tryAcquire()) n++;
                    return n;
                }));
            }
            Future<?> mover = pool.submit(() -> {
                go.await();
                for (int s = 0; s < 100; s++) clock.advance(100_000_000L);
                return null;
            });
            go.countDown();
            mover.get();
            assertThat(sum(results)).isBetween(600, 600 + 100); // the burst, plus at most 10 s of refill
        }
    }

    @Test
    void resetHeaderGivesTheWaitUntilTheReset() {
        Instant now = Instant.ofEpochSecond(1_780_000_000L);
        Duration fallback = Duration.ofSeconds(60);
        assertThat(TokenBucket.resetDelay("1780000012", now, fallback)).isEqualTo(Duration.ofSeconds(12));
        assertThat(TokenBucket.resetDelay("1780000012500", now, fallback)).isEqualTo(Duration.ofMillis(12_500));
        assertThat(TokenBucket.resetDelay("1779999990", now, fallback)).isEqualTo(Duration.ZERO);
        assertThat(TokenBucket.resetDelay("1790000000", now, fallback)).isEqualTo(Duration.ofMinutes(5));
        assertThat(TokenBucket.resetDelay(null, now, fallback)).isEqualTo(fallback);
        assertThat(TokenBucket.resetDelay("soon", now, fallback)).isEqualTo(fallback);
    }

    private static int sum(List<Future<Integer>> results) throws InterruptedException, ExecutionException {
        int total = 0;
        for (Future<Integer> f : results) total += f.get();
        return total;
    }
}
