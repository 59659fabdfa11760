package com.systemtrader.simulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void bucketEmptiesAndRefillsAMinuteAfterTheWindowOpened() {
        RateLimiter limiter = new RateLimiter(2);
        RateLimiter.Decision a = limiter.tryAcquire("k", 10_500);
        assertThat(a).isEqualTo(new RateLimiter.Decision(true, 2, 1, 71));
        assertThat(limiter.tryAcquire("k", 30_000)).isEqualTo(new RateLimiter.Decision(true, 2, 0, 71));
        assertThat(limiter.tryAcquire("k", 70_499)).isEqualTo(new RateLimiter.Decision(false, 2, 0, 71));
        assertThat(limiter.peek("k", 70_499).allowed()).isFalse();
        assertThat(limiter.peek("k", 70_500)).isEqualTo(new RateLimiter.Decision(true, 2, 2, 131));
        assertThat(limiter.tryAcquire("k", 70_500)).isEqualTo(new RateLimiter.Decision(true, 2, 1, 131));
        assertThat(limiter.tryAcquire("other", 70_500).remaining()).isEqualTo(1);
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimiter limiter = new RateLimiter(key -> key.equals("free") ? 0 : 1);
        for (int i = 0; i < 1000; i++) assertThat(limiter.tryAcquire("free", i).allowed()).isTrue();
        assertThat(limiter.tryAcquire("free", 0).unlimited()).isTrue();
        assertThat(limiter.tryAcquire("paid", 0).allowed()).isTrue();
        assertThat(limiter.tryAcquire("paid", 1).allowed()).isFalse();
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheLimit() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(500);
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) if (limiter.tryAcquire("k", 1_000).allowed()) allowed.incrementAndGet();
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) th.join();
        assertThat(allowed.get()).isEqualTo(500);
    }
}
