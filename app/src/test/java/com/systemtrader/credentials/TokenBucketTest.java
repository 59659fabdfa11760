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

    /** 60.1 s: a grant counts against the window until its 100 ms slot has fully left it. */
    private static final long AGE_OUT = 60_100_000_000L;

    @Test
    void burstThenNothingUntilTheBurstHasLeftTheWindow() {
        TokenBucket b = new TokenBucket(5, clock);
        int burst = 0;
        while (b.tryAcquire()) burst++;
        assertThat(burst).isEqualTo(5);
        assertThat(b.nanosUntilAvailable()).isEqualTo(AGE_OUT);

        List<Long> grantedAtMs = new ArrayList<>();
        for (int ms = 100; ms <= 61_000; ms += 100) {
            clock.advance(100_000_000L);
            if (b.tryAcquire()) grantedAtMs.add((long) ms);
        }
        // the old refilling bucket granted 5 more inside the first minute (at 12, 24, 36, 48 and 60 s)
        assertThat(grantedAtMs).containsExactly(60_100L, 60_200L, 60_300L, 60_400L, 60_500L);
    }

    @Test
    void spreadGrantsAgeOutOneByOne() {
        TokenBucket b = new TokenBucket(7, clock);
        for (int i = 0; i < 7; i++) {
            assertThat(b.tryAcquire()).as("grant at %d s", i * 10).isTrue();
            if (i < 6) clock.advanceSeconds(10);
        }
        // seven grants at 0, 10, ..., 60 s: the closed window [0 s, 60 s] holds exactly the limit
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.available()).isZero();
        assertThat(b.nanosUntilAvailable()).isEqualTo(100_000_000L);
        clock.advance(99_999_999L);
        assertThat(b.tryAcquire()).isFalse();
        clock.advance(1);
        assertThat(b.tryAcquire()).isTrue(); // the grant at 0 s has aged out, nothing else
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.nanosUntilAvailable()).isEqualTo(9_900_000_000L + 100_000_000L);

        clock.advanceSeconds(3600);
        assertThat(b.available()).isEqualTo(7);
    }

    @Test
    void noSixtySecondWindowEverExceedsTheLimit() {
        for (int perMinute : new int[] {1, 5, 7, 200, 1_000}) {
            FakeNanos c = new FakeNanos();
            TokenBucket b = new TokenBucket(perMinute, c);
            java.util.Random random = new java.util.Random(perMinute);
            List<Long> grants = new ArrayList<>();
            long horizon = 30 * 60_000_000_000L; // half an hour of simulated time
            long start = c.getAsLong();
            while (c.getAsLong() - start < horizon) {
                int attempts = random.nextInt(perMinute * 2 + 2);
                for (int i = 0; i < attempts; i++) if (b.tryAcquire()) grants.add(c.getAsLong());
                // steps from 1 ns to 3 s, sometimes exactly to the moment a token is due
                if (random.nextInt(4) == 0 && b.nanosUntilAvailable() > 0) c.advance(b.nanosUntilAvailable());
                else c.advance(1 + (long) (random.nextDouble() * 3e9));
            }
            int maxInWindow = 0;
            for (int i = 0, j = 0; i < grants.size(); i++) {
                while (grants.get(i) - grants.get(j) > 60_000_000_000L) j++; // grants in the closed [t - 60 s, t]
                maxInWindow = Math.max(maxInWindow, i - j + 1);
            }
            assertThat(maxInWindow).as("most grants in any 60 s window at %d/min", perMinute).isEqualTo(perMinute);
            // and the limit is used: at least one full window's worth per 60.1 s after the first burst
            assertThat(grants.size()).as("grants in 30 min at %d/min", perMinute)
                    .isGreaterThanOrEqualTo((int) (perMinute * (horizon / AGE_OUT)));
        }
    }

    @Test
    void penaltyBlocksThenTheWindowBudgetIsBack() {
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
        assertThat(b.available()).isEqualTo(200); // nothing was granted in the last 60 s
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
        assertThat(max.available()).isZero();
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

        assertThat(b.acquire(Duration.ofSeconds(60))).isFalse(); // the burst ages out after 60.1 s
        assertThat(b.acquire(Duration.ofSeconds(61))).isTrue();
        assertThat(parks).containsExactly(AGE_OUT);

        b.penalize(Duration.ofSeconds(10));
        assertThat(b.acquire(Duration.ofSeconds(9))).isFalse();
        assertThat(b.acquire(Duration.ofSeconds(10))).isTrue();
        assertThat(parks).containsExactly(AGE_OUT, 10_000_000_000L);
    }

    @Test
    @Timeout(10)
    void acquireParksAVirtualThreadBriefly() throws Exception {
        TokenBucket b = new TokenBucket(6_000);
        b.penalize(Duration.ofMillis(20)); // real time: the only wait is the penalty
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
            assertThat(sum(results)).isEqualTo(600); // 10 s is inside one window: the burst and nothing more
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
