package com.systemtrader.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
    @Test void theFirstIsLoggedThenOnePerIntervalSayingHowManyWereLeftOut() {
        AtomicLong now = new AtomicLong(-5_000); // any origin, as System.nanoTime
        LogLimiter limiter = new LogLimiter(Duration.ofNanos(1_000), now::get);
        assertThat(limiter.admit()).isZero();
        assertThat(limiter.admit()).isEqualTo(-1);
        now.addAndGet(999);
        assertThat(limiter.admit()).isEqualTo(-1);
        now.addAndGet(1);
        assertThat(limiter.admit()).isEqualTo(2);
        now.addAndGet(5_000);
        assertThat(limiter.admit()).isZero();
    }

    @Test void theNoteNamesTheLeftOutCountOrNothing() {
        assertThat(LogLimiter.skippedNote(0)).isEmpty();
        assertThat(LogLimiter.skippedNote(3)).isEqualTo(" (3 more not logged since the previous line)");
    }

    @Test void manyThreadsAtOnceLogOnceAndCountTheRest() throws Exception {
        LogLimiter limiter = new LogLimiter(Duration.ofHours(1));
        AtomicLong logged = new AtomicLong();
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int k = 0; k < 10_000; k++) if (limiter.admit() >= 0) logged.incrementAndGet();
            });
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        assertThat(logged.get()).isEqualTo(1);
    }
}
