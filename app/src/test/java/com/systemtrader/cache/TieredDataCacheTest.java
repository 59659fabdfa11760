package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Memory first, Redis second: a process that starts late serves what an earlier one wrote. */
class TieredDataCacheTest {
    @Test void aLateProcessFallsBackToRedisAndThenServesFromMemory() {
        SeriesKey k = SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE);
        try (RedisTestServer server = RedisTestServer.start()) {
            List<MarketEvent> early = new ArrayList<>();
            for (int i = 0; i < 20; i++) early.add(trade("AAPL", T0 + i * MS, 100 + i, Integer.toString(i)));
            try (TieredDataCache first = TieredDataCache.create(MemoryCacheConfig.defaults(), server.config())) {
                first.addAll(early);
                assertThat(first.redis().writer().awaitIdle(10_000)).isTrue();
                assertThat(first.range(RangeQuery.all(k, 5, true))).hasSize(5);
            }
            try (TieredDataCache late = TieredDataCache.create(MemoryCacheConfig.defaults(), server.config())) {
                // nothing in memory yet: Redis answers
                assertThat(late.latest(k)).get().extracting(MarketEvent::eventTimeNs).isEqualTo(T0 + 19 * MS);
                assertThat(late.range(RangeQuery.all(k, 100, false))).hasSize(20);
                assertThat(late.symbols(RecordType.TRADE)).containsExactly("AAPL");
                // a new trade arrives: latest comes from memory (with its receive time), a range that memory does
                // not cover still comes from Redis (now with it), a short newest-first range from memory
                MarketEvent next = trade("AAPL", T0 + 20 * MS, 120, "20");
                late.addAll(List.of(next));
                assertThat(late.latest(k)).contains(next);
                assertThat(late.redis().writer().awaitIdle(10_000)).isTrue();
                assertThat(late.range(RangeQuery.all(k, 100, false))).hasSize(21);
                assertThat(late.range(RangeQuery.all(k, 1, true))).containsExactly(next);
            }
        }
    }
}
