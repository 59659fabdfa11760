package com.systemtrader.credentials;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Piece 3: TokenBucket vs Bucket4j. Throughput of a granted acquire (wait at most 100 ms), 1 thread and 2 threads,
 * ROUNDS interleaved rounds of MS milliseconds each after a warm-up. Both limiters run at 10,000,000/min on a clock
 * that runs 1000x fast (so tokens are always there and the grant path is what is measured; the window still moves).
 * Then a semantics check: penalty and "wait at most X then fail".
 */
public final class BucketBench {
    static final int LIMIT = TokenBucket.MAX_PER_MINUTE;
    static final LongSupplier FAST = () -> System.nanoTime() * 1000;
    static final Duration MAX_WAIT = Duration.ofMillis(100);

    interface Limiter { boolean acquire() throws InterruptedException; }

    static Limiter handWritten() {
        TokenBucket b = new TokenBucket(LIMIT, FAST);
        return () -> b.acquire(MAX_WAIT);
    }

    static Limiter bucket4j() {
        Bucket b = Bucket.builder()
                .addLimit(l -> l.capacity(LIMIT).refillGreedy(LIMIT, Duration.ofMinutes(1)))
                .withCustomTimePrecision(new TimeMeter() {
                    public long currentTimeNanos() { return FAST.getAsLong(); }
                    public boolean isWallClockBased() { return false; }
                }).build();
        return () -> b.asBlocking().tryConsume(1, MAX_WAIT);
    }

    static double run(Limiter l, int threads, long ms) throws Exception {
        LongAdder ops = new LongAdder();
        LongAdder refused = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        long[] end = new long[1];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                try {
                    start.await();
                    long n = 0, r = 0;
                    long stop = System.nanoTime() + ms * 1_000_000;
                    while (true) {
                        for (int k = 0; k < 1000; k++) if (!l.acquire()) r++;
                        n += 1000;
                        if (System.nanoTime() >= stop) break;
                    }
                    ops.add(n);
                    refused.add(r);
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            ts[i].start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : ts) t.join();
        long el = System.nanoTime() - t0;
        if (refused.sum() > 0) System.out.println("  (refused " + refused.sum() + ")");
        return ops.sum() / (el / 1e9);
    }

    public static void main(String[] a) throws Exception {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 5;
        long ms = a.length > 1 ? Long.parseLong(a[1]) : 1000;
        for (int threads : new int[] {1, 2}) {
            run(handWritten(), threads, 500);   // warm-up
            run(bucket4j(), threads, 500);
            double[] h = new double[rounds], b = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) { h[i] = run(handWritten(), threads, ms); b[i] = run(bucket4j(), threads, ms); }
                else { b[i] = run(bucket4j(), threads, ms); h[i] = run(handWritten(), threads, ms); }
                System.out.printf("threads=%d round=%d TokenBucket=%.0f ops/s Bucket4j=%.0f ops/s%n", threads, i + 1, h[i], b[i]);
            }
            Arrays.sort(h);
            Arrays.sort(b);
            System.out.printf("RESULT threads=%d median TokenBucket=%.0f ops/s Bucket4j=%.0f ops/s ratio(Bucket4j/TokenBucket)=%.2f%n",
                    threads, h[rounds / 2], b[rounds / 2], b[rounds / 2] / h[rounds / 2]);
        }
        semantics();
    }

    /** Penalty and bounded wait, on real time. */
    static void semantics() throws Exception {
        System.out.println("--- semantics (real clock, 60/min) ---");
        TokenBucket tb = new TokenBucket(60);
        tb.penalize(Duration.ofSeconds(30));
        System.out.printf("TokenBucket after penalize(30s): nanosUntilAvailable=%.1f s, acquire(100ms)=%s (returns at once)%n",
                tb.nanosUntilAvailable() / 1e9, timed(() -> tb.acquire(MAX_WAIT)));
        Bucket b = Bucket.builder().addLimit(l -> l.capacity(60).refillGreedy(60, Duration.ofMinutes(1))).build();
        // Bucket4j has no penalty: the nearest thing is to go into debt by (available + rate * penalty) tokens
        long debt = b.getAvailableTokens() + 30;
        b.consumeIgnoringRateLimits(debt);
        System.out.printf("Bucket4j after consumeIgnoringRateLimits(%d): available=%d, nanosToWait(1)=%.1f s, "
                        + "asBlocking().tryConsume(1, 100ms)=%s (returns at once)%n", debt, b.getAvailableTokens(),
                b.estimateAbilityToConsume(1).getNanosToWaitForRefill() / 1e9,
                timed(() -> b.asBlocking().tryConsume(1, MAX_WAIT)));
        // fake clocks for what follows
        long[] now = {0};
        TimeMeter meter = new TimeMeter() {
            public long currentTimeNanos() { return now[0]; }
            public boolean isWallClockBased() { return false; }
        };
        TokenBucket ft = new TokenBucket(60, () -> now[0]);
        Bucket fb = Bucket.builder().addLimit(l -> l.capacity(60).refillGreedy(60, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter).build();
        Bucket fi = Bucket.builder().addLimit(l -> l.capacity(60).refillIntervally(60, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter).build();
        int gt = 0, gb = 0, gi = 0;
        for (long t = 0; t <= 60_000; t += 10) {   // a request every 10 ms over the closed interval [0 s, 60 s]
            now[0] = t * 1_000_000L;
            if (ft.tryAcquire()) gt++;
            if (fb.tryConsume(1)) gb++;
            if (fi.tryConsume(1)) gi++;
        }
        System.out.printf("grants within one 60 s window at 60/min, fresh limiter, greedy caller: TokenBucket=%d, "
                + "Bucket4j refillGreedy=%d, Bucket4j refillIntervally=%d%n", gt, gb, gi);
        // idle until 59.5 s, then greedy for one second: the boundary burst of a fixed-interval refill
        now[0] = 0;
        TokenBucket bt = new TokenBucket(60, () -> now[0]);
        Bucket bg = Bucket.builder().addLimit(l -> l.capacity(60).refillGreedy(60, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter).build();
        Bucket bi = Bucket.builder().addLimit(l -> l.capacity(60).refillIntervally(60, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter).build();
        int ct = 0, cg = 0, ci = 0;
        for (long t = 59_500; t <= 60_500; t += 10) {
            now[0] = t * 1_000_000L;
            if (bt.tryAcquire()) ct++;
            if (bg.tryConsume(1)) cg++;
            if (bi.tryConsume(1)) ci++;
        }
        System.out.printf("idle until 59.5 s, then a request every 10 ms until 60.5 s (one second): TokenBucket=%d, "
                + "Bucket4j refillGreedy=%d, Bucket4j refillIntervally=%d%n", ct, cg, ci);
        // penalty then recovery: after a 30 s penalty, how many requests may go at once?
        now[0] = 3_600_000_000_000L;
        TokenBucket pt = new TokenBucket(60, () -> now[0]);
        Bucket pb = Bucket.builder().addLimit(l -> l.capacity(60).refillGreedy(60, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter).build();
        pt.penalize(Duration.ofSeconds(30));
        pb.consumeIgnoringRateLimits(pb.getAvailableTokens() + 30);
        now[0] += 30_000_000_000L;
        System.out.printf("30 s penalty on an idle 60/min limiter, then at its end: TokenBucket.available()=%d, "
                + "Bucket4j.getAvailableTokens()=%d (refills 1/s from there)%n", pt.available(), pb.getAvailableTokens());
    }

    interface Call { boolean call() throws InterruptedException; }

    static String timed(Call c) throws InterruptedException {
        long t = System.nanoTime();
        boolean r = c.call();
        return r + " in " + (System.nanoTime() - t) / 1000 + " us";
    }
}
