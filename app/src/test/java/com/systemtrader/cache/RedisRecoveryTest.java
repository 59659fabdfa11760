package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * Redis goes away in the middle of a stream and comes back empty (an embedded server stopped and started on the same
 * port): the pipeline never blocks, the failed writes are counted, the writer reconnects, and the recent window is
 * rewritten from memory, so the series in Redis ends up with every event memory holds: no hole.
 */
class RedisRecoveryTest {
    @Test void rewritesTheRecentWindowAfterARestart() throws IOException {
        int port = RedisTestServer.freePort();
        RedisServer server = RedisTestServer.startEmbedded(port);
        RedisConfig cfg = RedisConfig.local("127.0.0.1", port).withKeyPrefix("rec")
                .withBackoff(Duration.ofMillis(500), Duration.ofMillis(20), Duration.ofMillis(200))
                .withWriter(8, 256, Duration.ofMillis(2), LivePublish.STREAM, 1000);
        SeriesKey k = SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE);
        try (TieredDataCache cache = TieredDataCache.create(MemoryCacheConfig.defaults(), cfg)) {
            RedisCacheWriter w = cache.redis().writer();
            int id = 0;
            for (int b = 0; b < 20; b++) cache.addAll(batch(id++ * 10));
            assertThat(w.awaitIdle(60_000)).isTrue();
            assertThat(zcard(port, k)).isEqualTo(200);

            server.stop();
            long t0 = System.nanoTime();
            for (int b = 0; b < 50; b++) cache.addAll(batch(id++ * 10)); // Redis away: addAll must not block
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
            // let the writer notice and back off a few times
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.dropped() > 0 && !w.connected());

            server = RedisTestServer.startEmbedded(port); // back, and empty
            for (int b = 0; b < 10; b++) cache.addAll(batch(id++ * 10));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> w.connected() && w.reconnects() >= 1);
            assertThat(w.awaitIdle(60_000)).isTrue();

            int total = id * 10;
            assertThat(cache.memory().events(k)).hasSize(total);
            assertThat(zcard(port, k)).as("every event memory holds is back in Redis").isEqualTo(total);
            assertThat(cache.redis().range(RangeQuery.all(k, 100_000, false))).hasSize(total);
            assertThat(cache.redis().latest(k)).get().extracting(MarketEvent::eventTimeNs)
                    .isEqualTo(T0 + (total - 1) * MS);
            assertThat(cache.redis().symbols(RecordType.TRADE)).containsExactly("AAPL");
            assertThat(w.resynced()).isGreaterThanOrEqualTo(total);
            assertThat(w.dropped()).isPositive();
        } finally {
            server.stop();
        }
    }

    private static List<MarketEvent> batch(int first) {
        List<MarketEvent> out = new ArrayList<>();
        for (int i = first; i < first + 10; i++) out.add(trade("AAPL", T0 + i * MS, 100 + i * 0.01, Integer.toString(i)));
        return out;
    }

    private static long zcard(int port, SeriesKey k) {
        try (Jedis j = RedisTestServer.connect(port, 2000)) {
            return j.zcard(new RedisKeys("rec").series(k));
        }
    }
}
