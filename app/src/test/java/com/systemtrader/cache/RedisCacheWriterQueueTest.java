package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.MarketEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer queue's overflow policy: never block, drop the oldest batch, count it. No server needed. */
class RedisCacheWriterQueueTest {
    @Test void aFullQueueDropsTheOldestBatchAndCountsIt() {
        int port = RedisTestServer.freePort(); // nothing listens there
        RedisConfig cfg = RedisConfig.local("127.0.0.1", port).withWriter(2, 100, Duration.ofMillis(1), LivePublish.OFF, 1)
                .withBackoff(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(100));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisCacheWriter w = new RedisCacheWriter(cfg, null).start();
        w.bindTo(registry);
        long t0 = System.nanoTime();
        for (int b = 0; b < 10; b++) w.offer(batch(b));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
        assertThat(w.droppedQueueFull()).isEqualTo(80);
        assertThat(w.queueDepth()).isEqualTo(2);
        assertThat(registry.get("cache.redis.dropped").tag("reason", "queue_full").functionCounter().count()).isEqualTo(80);
        assertThat(registry.get("cache.redis.connected").gauge().value()).isZero();
        w.close();
        assertThat(w.dropped()).as("what was still queued at close counts as not written").isEqualTo(100);
        assertThat(w.written()).isZero();
    }

    @Test void theConstructorStartsNoThreadAndANeverStartedWriterCountsWhatItHeldAsNotWritten() {
        RedisConfig cfg = RedisConfig.local("127.0.0.1", RedisTestServer.freePort())
                .withWriter(4, 100, Duration.ofMillis(1), LivePublish.OFF, 1);
        long before = writerThreads();
        RedisCacheWriter w = new RedisCacheWriter(cfg, null);
        assertThat(writerThreads()).isEqualTo(before);
        w.offer(batch(0));
        w.offer(batch(1));
        w.close();
        assertThat(w.droppedWriteFailed()).isEqualTo(20);
        assertThat(w.queueDepth()).isZero();
        assertThat(writerThreads()).isEqualTo(before);
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("redis-cache-writer")
                && t.isAlive()).count();
    }

    private static List<MarketEvent> batch(int b) {
        List<MarketEvent> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) out.add(trade("AAPL", T0 + (b * 10 + i) * MS, 1, Integer.toString(b * 10 + i)));
        return out;
    }
}
