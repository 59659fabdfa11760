package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.schema.MarketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Live publication by Pub/Sub as docs/REDIS_SCHEMA.md describes it, read with a plain subscriber: every member the
 * writer adds to a sorted set is published exactly once, in the order received, on the type's channel; nothing is
 * published when publication is off. (The stream mode: RedisDataCacheTest.publishesEveryWrittenEventOnTheLiveStream.)
 */
class RedisLivePublishTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RedisTestServer server;

    @BeforeEach void start() {
        server = RedisTestServer.start();
    }

    @AfterEach void stop() {
        server.close();
    }

    /** Trades for two symbols, interleaved, in several batches. */
    private static List<List<MarketEvent>> batches() {
        List<List<MarketEvent>> out = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            List<MarketEvent> batch = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int n = b * 25 + i;
                batch.add(trade(n % 2 == 0 ? "AAPL" : "MSFT", T0 + n * MS, 100 + n * 0.01, Integer.toString(n)));
            }
            out.add(batch);
        }
        return out;
    }

    /** What the sorted sets hold per symbol, oldest first (members are unique and time-ordered here). */
    private Map<String, List<String>> stored(Jedis j) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String sym : List.of("AAPL", "MSFT")) {
            m.put(sym, j.zrange(server.prefix + ":{" + sym + "}:trade:polygon", 0, -1));
        }
        return m;
    }

    /** Appends an envelope's members ({@code sym}, {@code v}) to {@code bySymbol}, checking its other fields. */
    private static void collect(JsonNode envelope, Map<String, List<String>> bySymbol) {
        assertThat(envelope.get("src").asText()).isEqualTo("polygon");
        assertThat(envelope.get("type").asText()).isEqualTo("trade");
        JsonNode v = envelope.get("v");
        assertThat(v.isArray()).isTrue();
        assertThat(envelope.get("n").asInt()).isEqualTo(v.size());
        List<String> members = bySymbol.computeIfAbsent(envelope.get("sym").asText(), k -> new ArrayList<>());
        for (JsonNode m : v) members.add(m.toString()); // compact JSON: the member's own text
    }

    /** A subscriber on its own connection and thread, collecting the messages of one channel. */
    private static final class Subscriber implements AutoCloseable {
        final List<String> messages = new CopyOnWriteArrayList<>();
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final Jedis jedis;
        private final CompletableFuture<Void> loop;
        private final JedisPubSub listener = new JedisPubSub() {
            @Override public void onSubscribe(String ch, int count) {
                subscribed.countDown();
            }

            @Override public void onMessage(String ch, String message) {
                messages.add(message);
            }
        };

        Subscriber(RedisTestServer server, String channel) throws InterruptedException {
            jedis = server.jedis();
            loop = CompletableFuture.runAsync(() -> jedis.subscribe(listener, channel));
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed").isTrue();
        }

        @Override public void close() throws Exception {
            listener.unsubscribe();
            loop.get(10, TimeUnit.SECONDS);
            jedis.close();
        }
    }

    @Test void pubSubChannelCarriesEveryMemberOnceInOrder() throws Exception {
        RedisConfig config = server.config();
        assertThat(config.livePublish()).isEqualTo(LivePublish.PUBSUB);
        try (Subscriber sub = new Subscriber(server, server.prefix + ":live:trade"); Jedis j = server.jedis()) {
            try (RedisDataCache cache = new RedisDataCache(config, null).start()) {
                for (List<MarketEvent> b : batches()) cache.addAll(b);
                assertThat(cache.writer().awaitIdle(60_000)).isTrue();
            }
            Map<String, List<String>> stored = stored(j);
            assertThat(stored.get("AAPL")).hasSize(50);
            // every member published so far, by symbol, until the channel has carried all that was stored
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                Map<String, List<String>> published = new LinkedHashMap<>();
                for (String m : sub.messages) collect(JSON.readTree(m), published);
                assertThat(published).isEqualTo(stored);
            });
            assertThat(j.exists(server.prefix + ":stream:trade")).isFalse();
        }
    }

    @Test void offPublishesNothing() throws Exception {
        RedisConfig config = server.config().withWriter(1024, 16_384, java.time.Duration.ofMillis(5),
                LivePublish.OFF, 1000);
        try (Subscriber sub = new Subscriber(server, server.prefix + ":live:trade"); Jedis j = server.jedis()) {
            try (RedisDataCache cache = new RedisDataCache(config, null).start()) {
                for (List<MarketEvent> b : batches()) cache.addAll(b);
                assertThat(cache.writer().awaitIdle(60_000)).isTrue();
            }
            assertThat(stored(j).get("MSFT")).hasSize(50);
            // a PING through the same server after the writes: a message published before it would have arrived
            j.ping();
            Thread.sleep(200); // deliberate: shows that no message arrives within 200 ms after the PING
            assertThat(sub.messages).isEmpty();
            assertThat(j.exists(server.prefix + ":stream:trade")).isFalse();
        }
    }
}
