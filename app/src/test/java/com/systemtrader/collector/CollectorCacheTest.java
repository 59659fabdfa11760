package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.defaultKeys;
import static com.systemtrader.collector.CollectorTestSupport.polygonFeed;
import static com.systemtrader.collector.CollectorTestSupport.simulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RangeQuery;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A collector feeds an attached cache with what it keeps, and falls back to it for symbols it has not seen. */
class CollectorCacheTest {
    @Test void keptEventsAndBuiltBarsReachTheCacheAndLatestFallsBackToIt() throws Exception {
        MemoryDataCache cache = new MemoryDataCache();
        long t = com.systemtrader.codec.Timestamps.nowNs();
        cache.add(new Quote(DataSource.POLYGON, "ZZZ", t, t, 1, 9.99, 1, 2, 10.01, 1, Conditions.NONE, Conditions.NONE,
                'C', Absent.LONG));
        AtomicLong trades = new AtomicLong();
        try (ExchangeSimulator sim = simulator(2_000);
             WebsocketCollector c = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "Q")), defaultKeys())) {
            c.attachCache(cache);
            c.addListener(e -> {
                if (e instanceof Trade && e.symbol().equals("AAPL")) trades.incrementAndGet();
            });
            c.addSymbol("AAPL");
            c.start();
            assertThat(c.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
            // streaming until 500 AAPL trades have been kept and a one-second bar has been built
            SeriesKey builtBars = SeriesKey.bars(DataSource.DERIVED, "AAPL", BarInterval.SECOND);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> trades.get() >= 500
                    && !cache.range(RangeQuery.all(builtBars, 100, false)).isEmpty());
            c.stop();
            SeriesKey aaplTrades = SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE);
            List<MarketEvent> cached = cache.range(RangeQuery.all(aaplTrades, 1_000_000, false));
            assertThat(cached).hasSize((int) trades.get()).isNotEmpty();
            assertThat(cache.range(RangeQuery.all(builtBars, 100, false))).as("built one-second bars").isNotEmpty();
            assertThat(c.getLatestData("AAPL", RecordType.QUOTE)).isPresent();
            assertThat(c.getLatestData("ZZZ", RecordType.QUOTE)).as("from the cache").isPresent();
            assertThat(c.getLatestData("ZZZ", RecordType.TRADE)).isEmpty();
        }
    }
}
