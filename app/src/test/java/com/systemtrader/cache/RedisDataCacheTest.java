package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The Redis cache against a real server (the local one, or an embedded one when none answers). */
class RedisDataCacheTest {
    private RedisTestServer server;
    private final List<RedisDataCache> caches = new ArrayList<>();

    @BeforeEach void start() {
        server = RedisTestServer.start();
    }

    @AfterEach void stop() {
        caches.forEach(RedisDataCache::close);
        server.close();
    }

    private RedisDataCache cache(RedisConfig config) {
        RedisDataCache c = new RedisDataCache(config, null).start();
        caches.add(c);
        return c;
    }

    private static void flush(RedisDataCache c) {
        assertThat(c.writer().awaitIdle(10_000)).as("writer idle").isTrue();
    }

    private String key(String sym, String type, String source) {
        return server.prefix + ":{" + sym + "}:" + type + ":" + source;
    }

    @Test void rangeQueriesHonourNanosecondBoundsOrderAndLimit() {
        RedisDataCache c = cache(server.config());
        List<Trade> trades = new ArrayList<>();
        // ten trades, two per millisecond, 300 us apart
        for (int i = 0; i < 10; i++) trades.add(trade("AAPL", T0 + i * 300_000L, 100 + i, Integer.toString(i)));
        c.addAll(trades.reversed());
        flush(c);
        SeriesKey k = SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE);

        assertThat(c.range(RangeQuery.all(k, 100, false))).containsExactlyElementsOf(noReceive(trades));
        assertThat(c.range(RangeQuery.all(k, 100, true))).containsExactlyElementsOf(noReceive(trades).reversed());
        assertThat(c.range(RangeQuery.all(k, 3, true))).containsExactlyElementsOf(noReceive(trades).reversed().subList(0, 3));
        assertThat(c.range(RangeQuery.all(k, 3, false))).containsExactlyElementsOf(noReceive(trades).subList(0, 3));
        // bounds inside a millisecond: 600_000 .. 1_500_000 ns -> trades 2..5, inclusive at both ends
        assertThat(c.range(new RangeQuery(k, T0 + 600_000, T0 + 1_500_000, 100, false)))
                .containsExactlyElementsOf(noReceive(trades).subList(2, 6));
        assertThat(c.range(new RangeQuery(k, T0 + 600_001, T0 + 1_499_999, 100, false)))
                .containsExactlyElementsOf(noReceive(trades).subList(3, 5));
        assertThat(c.range(new RangeQuery(k, T0 + 600_001, T0 + 2_000_000, 2, true)))
                .containsExactlyElementsOf(noReceive(trades).reversed().subList(3, 5));
        assertThat(c.range(new RangeQuery(k, T0 + 10 * S, T0 + 11 * S, 5, false))).isEmpty();
        assertThat(c.range(RangeQuery.all(SeriesKey.of(DataSource.ALPACA, "AAPL", RecordType.TRADE), 5, false))).isEmpty();
    }

    @Test void reSentEventsAreIdempotent() {
        RedisDataCache c = cache(server.config());
        List<MarketEvent> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(trade("MSFT", T0 + i * MS, 400, Integer.toString(i)));
            batch.add(quote("MSFT", T0 + i * MS, 399.9, 400.1, i));
        }
        c.addAll(batch);
        flush(c);
        // the same events received again (other receive times) and the same batch again
        c.addAll(batch.stream().map(e -> e instanceof Trade t ? t.withReceiveTime(1) : e).toList());
        c.addAll(batch);
        flush(c);
        try (Jedis j = server.jedis()) {
            assertThat(j.zcard(key("MSFT", "trade", "polygon"))).isEqualTo(50);
            assertThat(j.zcard(key("MSFT", "quote", "polygon"))).isEqualTo(50);
        }
    }

    @Test void trimsByRetentionAndCountAndSetsTtls() {
        RedisConfig cfg = server.config().withLimits(Map.of("trade", Duration.ofSeconds(60), "quote", Duration.ofHours(1)),
                Map.of("trade", Duration.ofSeconds(86_400), "quote", Duration.ofSeconds(600)), 5);
        RedisDataCache c = cache(cfg);
        for (int i = 0; i < 5; i++) c.addAll(List.of(trade("IBM", T0 + i * 40 * S, 200, Integer.toString(i))));
        List<MarketEvent> quotes = new ArrayList<>();
        for (int i = 0; i < 12; i++) quotes.add(quote("IBM", T0 + i * S, 1, 2, i));
        c.addAll(quotes);
        flush(c);
        try (Jedis j = server.jedis()) {
            // newest trade at 160 s; retention 60 s keeps 120 s and 160 s
            assertThat(j.zrange(key("IBM", "trade", "polygon"), 0, -1)).hasSize(2)
                    .allSatisfy(m -> assertThat(RedisCodec.eventTimeNs(m)).isGreaterThanOrEqualTo(T0 + 100 * S));
            assertThat(j.ttl(key("IBM", "trade", "polygon"))).isBetween(86_000L, 86_400L);
            assertThat(j.ttl(server.prefix + ":{IBM}:latest:trade:polygon")).isBetween(86_000L, 86_400L);
            // the count cap keeps the newest five quotes
            assertThat(j.zcard(key("IBM", "quote", "polygon"))).isEqualTo(5);
            assertThat(RedisCodec.eventTimeNs(j.zrange(key("IBM", "quote", "polygon"), 0, 0).get(0))).isEqualTo(T0 + 7 * S);
            assertThat(j.ttl(key("IBM", "quote", "polygon"))).isBetween(500L, 600L);
        }
        // expire(now) trims relative to the given clock
        c.expire(T0 + 250 * S);
        flush(c);
        try (Jedis j = server.jedis()) {
            assertThat(j.zcard(key("IBM", "trade", "polygon"))).isZero();
        }
    }

    @Test void indexSetsListSymbolsPerType() {
        RedisDataCache c = cache(server.config());
        c.addAll(List.of(trade("AAPL", T0, 1, "1"), alpacaTrade("TSLA", T0, 2, "2"), quote("NVDA", T0, 1, 2, 1),
                minuteBar(DataSource.DERIVED, "AMD", T0, 1, 1), halt("GME", T0)));
        flush(c);
        try (Jedis j = server.jedis()) {
            assertThat(j.smembers(server.prefix + ":idx:trade")).containsExactlyInAnyOrder("AAPL", "TSLA");
            assertThat(j.smembers(server.prefix + ":idx:bar")).containsExactly("AMD");
        }
        assertThat(c.symbols(RecordType.TRADE)).containsExactlyInAnyOrder("AAPL", "TSLA");
        assertThat(c.symbols(RecordType.QUOTE)).containsExactly("NVDA");
        assertThat(c.symbols(RecordType.TRADING_STATUS)).containsExactly("GME");
        assertThat(c.symbols(RecordType.LULD)).isEmpty();
    }

    @Test void latestOnlyMovesForwardInEventTime() {
        RedisDataCache a = cache(server.config());
        SeriesKey k = SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE);
        a.addAll(List.of(trade("AAPL", T0 + 5 * S, 105, "5"), trade("AAPL", T0 + 3 * S, 103, "3")));
        flush(a);
        assertThat(a.latest(k)).get().extracting(MarketEvent::eventTimeNs).isEqualTo(T0 + 5 * S);
        a.addAll(List.of(trade("AAPL", T0 + 4 * S, 104, "4"))); // late: into the series, not the latest
        flush(a);
        assertThat(a.latest(k)).get().extracting(MarketEvent::eventTimeNs).isEqualTo(T0 + 5 * S);
        // another writer that knows nothing of this series cannot move it back either (the script checks)
        RedisDataCache b = cache(server.config());
        b.addAll(List.of(trade("AAPL", T0 + 1 * S, 101, "1")));
        flush(b);
        assertThat(b.latest(k)).get().extracting(MarketEvent::eventTimeNs).isEqualTo(T0 + 5 * S);
        b.addAll(List.of(trade("AAPL", T0 + 6 * S, 106, "6")));
        flush(b);
        assertThat(a.latest(k)).get().isEqualTo(trade("AAPL", T0 + 6 * S, 106, "6").withReceiveTime(0));
        try (Jedis j = server.jedis()) {
            assertThat(j.hget(server.prefix + ":{AAPL}:latest:trade:polygon", "ts")).isEqualTo(Long.toString(T0 + 6 * S));
        }
    }

    @Test void aRevisedBarReplacesItsWindow() {
        RedisDataCache c = cache(server.config());
        SeriesKey k = SeriesKey.bars(DataSource.ALPACA, "AAPL", com.systemtrader.schema.BarInterval.MINUTE);
        c.addAll(List.of(minuteBar(DataSource.ALPACA, "AAPL", T0, 100.5, 1000),
                minuteBar(DataSource.ALPACA, "AAPL", T0 + 60 * S, 101, 500)));
        flush(c);
        Bar revised = minuteBar(DataSource.ALPACA, "AAPL", T0, 100.75, 1200);
        c.addAll(List.of(revised));
        // two revisions of one window in one batch: the last one wins
        c.addAll(List.of(minuteBar(DataSource.ALPACA, "AAPL", T0 + 60 * S, 101.5, 700),
                minuteBar(DataSource.ALPACA, "AAPL", T0 + 60 * S, 101.75, 800)));
        flush(c);
        List<MarketEvent> bars = c.range(RangeQuery.all(k, 10, false));
        assertThat(bars).hasSize(2);
        assertThat(((Bar) bars.get(0)).close()).isEqualTo(100.75);
        assertThat(((Bar) bars.get(0)).volume()).isEqualTo(1200);
        assertThat(((Bar) bars.get(1)).close()).isEqualTo(101.75);
        assertThat(((Bar) c.latest(k).orElseThrow()).volume()).isEqualTo(800);
    }

    @Test void aLateProcessReadsWhatAnotherWrote() {
        RedisDataCache writer = cache(server.config());
        List<MarketEvent> events = List.of(trade("AAPL", T0, 1, "1"), quote("AAPL", T0 + 1, 1, 2, 1),
                minuteBar(DataSource.POLYGON, "AAPL", T0, 3, 4), halt("AAPL", T0 + 2), luld("AAPL", T0 + 3),
                imbalance("AAPL", T0 + 4));
        writer.addAll(events);
        flush(writer);
        writer.close();
        caches.remove(writer);
        RedisDataCache reader = cache(server.config());
        for (MarketEvent e : events) {
            assertThat(reader.latest(SeriesKey.of(e))).as(e.type().name()).isPresent()
                    .get().extracting(RedisCodec::encode).isEqualTo(RedisCodec.encode(e));
            assertThat(reader.range(RangeQuery.all(SeriesKey.of(e), 10, true))).hasSize(1);
        }
        assertThat(reader.symbols(RecordType.IMBALANCE)).containsExactly("AAPL");
    }

    @Test void publishesEveryWrittenEventOnTheLiveStream() {
        RedisDataCache c = cache(server.config().withWriter(1024, 16_384, Duration.ofMillis(5), LivePublish.STREAM,
                1000));
        c.addAll(List.of(trade("AAPL", T0, 1, "1"), trade("MSFT", T0 + 1, 2, "2"), quote("AAPL", T0, 1, 2, 1)));
        flush(c);
        c.addAll(List.of(trade("MSFT", T0 + 3, 2, "3"), trade("MSFT", T0 + 2, 2, "4")));
        flush(c);
        try (Jedis j = server.jedis()) {
            var entries = j.xrange(server.prefix + ":stream:trade", (redis.clients.jedis.StreamEntryID) null, null);
            assertThat(entries.get(0).getFields()).containsEntry("sym", "AAPL").containsEntry("src", "polygon")
                    .containsEntry("type", "trade").containsEntry("n", "1")
                    .containsEntry("v", "[" + RedisCodec.encode(trade("AAPL", T0, 1, "1")) + "]");
            assertThat(j.xlen(server.prefix + ":stream:quote")).isEqualTo(1);
            // one entry per series and batch, members in the order received
            assertThat(entries).hasSize(3);
            assertThat(entries.get(2).getFields()).containsEntry("sym", "MSFT").containsEntry("n", "2")
                    .containsEntry("v", "[" + RedisCodec.encode(trade("MSFT", T0 + 3, 2, "3")) + ","
                            + RedisCodec.encode(trade("MSFT", T0 + 2, 2, "4")) + "]");
        }
    }

    private static List<MarketEvent> noReceive(List<Trade> trades) {
        return trades.stream().map(t -> (MarketEvent) t.withReceiveTime(0)).toList();
    }
}
