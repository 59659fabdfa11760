package com.systemtrader.data;

import com.systemtrader.provider.alpaca.AlpacaVendorRest;
import com.systemtrader.provider.polygon.PolygonVendorRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.schema.DataSource;
import com.systemtrader.simulator.rest.RestEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;

/** Every tier and every fallback path of {@link RealtimeDataProvider}, against real components. */
class RealtimeDataProviderTest extends ProviderTestSupport {
    private static final Duration HOUR = Duration.ofHours(1);

    private static Attempt.Outcome outcome(List<Attempt> attempts, Tier tier) {
        return attempts.stream().filter(a -> a.tier() == tier).findFirst().orElseThrow().outcome();
    }

    @Test
    void freshMemoryAnswersFromMemory() {
        MemoryDataCache memory = new MemoryDataCache();
        long t = now() - S;
        memory.add(trade(DataSource.POLYGON, "MEM1", t, 101.5));
        RealtimeDataProvider p = track(builder().memory(memory).database(deadDatabase()).build());

        LatestPrice lp = p.getLatestPrice("MEM1");
        assertThat(lp.price()).isEqualTo(101.5);
        assertThat(lp.provenance().tier()).isEqualTo(Tier.MEMORY);
        assertThat(lp.provenance().source()).isEqualTo(DataSource.POLYGON);
        assertThat(lp.provenance().fresh()).isTrue();
        assertThat(lp.provenance().asOfNs()).isEqualTo(t);
        assertThat(lp.provenance().staleness()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(30));
        assertThat(counter("provider.tier.failures")).isZero();   // the database was never asked
    }

    @Test
    void sourcePreferenceAndExplicitSource() {
        MemoryDataCache memory = new MemoryDataCache();
        memory.add(trade(DataSource.POLYGON, "PREF", now() - S, 10));
        memory.add(trade(DataSource.ALPACA, "PREF", now() - S, 11));
        RealtimeDataProvider p = track(builder().memory(memory).sources(DataSource.ALPACA, DataSource.POLYGON).build());
        assertThat(p.getLatestPrice("PREF").price()).isEqualTo(11);
        assertThat(p.getLatestPrice("PREF", DataSource.POLYGON).price()).isEqualTo(10);
    }

    @Test
    void staleMemoryFallsBackToFreshRedis() {
        try (RedisTestServer server = RedisTestServer.start()) {
            RedisConfig rc = redisConfig(server);
            long fresh = now() - 2 * S;
            putRedis(rc, List.of(trade(DataSource.POLYGON, "STL1", fresh, 200.25), quote(DataSource.POLYGON, "STL1", fresh, 200, 200.5)));
            MemoryDataCache memory = new MemoryDataCache();
            memory.add(trade(DataSource.POLYGON, "STL1", now() - 10 * MIN, 150));
            RealtimeDataProvider p = track(builder().memory(memory).redis(rc).build());

            LatestPrice lp = p.getLatestPrice("STL1", DataSource.POLYGON, Duration.ofSeconds(30));
            assertThat(lp.price()).isEqualTo(200.25);
            assertThat(lp.provenance().tier()).isEqualTo(Tier.REDIS);
            assertThat(outcome(lp.provenance().attempts(), Tier.MEMORY)).isEqualTo(Attempt.Outcome.STALE);

            LatestQuote q = p.getLatestQuote("STL1");
            assertThat(q.bidPrice()).isEqualTo(200);
            assertThat(q.askPrice()).isEqualTo(200.5);
            assertThat(q.provenance().tier()).isEqualTo(Tier.REDIS);

            // a looser per-call limit accepts the memory value
            assertThat(p.getLatestPrice("STL1", DataSource.POLYGON, HOUR).provenance().tier()).isEqualTo(Tier.MEMORY);
        }
    }

    @Test
    void redisDownFallsBackToDatabase() throws Exception {
        long t = now() - 3 * S;
        insertTrades("RDN1", "polygon", new long[] {t - 5 * S, t}, new double[] {50, 51});
        insertQuote("RDN1", "polygon", t, 50.9, 51.1);
        RealtimeDataProvider p = track(builder().redis(deadRedis()).database(database()).build());

        LatestPrice lp = p.getLatestPrice("RDN1");
        assertThat(lp.price()).isEqualTo(51);
        assertThat(lp.eventTimeNs()).isEqualTo(t);
        assertThat(lp.provenance().tier()).isEqualTo(Tier.DATABASE);
        assertThat(lp.provenance().failures()).extracting(Attempt::tier).containsExactly(Tier.REDIS);
        assertThat(lp.provenance().failures().getFirst().detail()).containsIgnoringCase("connect");
        assertThat(counter("provider.tier.failures", "tier", "redis")).isEqualTo(1);

        LatestQuote q = p.getLatestQuote("RDN1");
        assertThat(q.bidPrice()).isEqualTo(50.9);
        assertThat(q.provenance().tier()).isEqualTo(Tier.DATABASE);
    }

    @Test
    void failedTierIsSkippedWhileCoolingDown() {
        MemoryDataCache memory = new MemoryDataCache();
        memory.add(trade(DataSource.POLYGON, "COOL", now() - 10 * MIN, 1));
        RealtimeDataProvider p = track(builder().memory(memory).redis(deadRedis()).retryAfter(Duration.ofMinutes(1)).build());
        LatestPrice first = p.getLatestPrice("COOL");
        LatestPrice second = p.getLatestPrice("COOL");
        assertThat(outcome(first.provenance().attempts(), Tier.REDIS)).isEqualTo(Attempt.Outcome.FAILED);
        assertThat(outcome(second.provenance().attempts(), Tier.REDIS)).isEqualTo(Attempt.Outcome.SKIPPED);
        assertThat(second.provenance().fresh()).isFalse();          // freshest stale value, marked stale
        assertThat(second.provenance().tier()).isEqualTo(Tier.MEMORY);
    }

    @Test
    void databaseDownFallsBackToRest() {
        RestTransport t = transport();
        RealtimeDataProvider p = track(builder().database(deadDatabase()).rest(new PolygonVendorRest(polygon(t))).maxAge(HOUR).build());
        LatestPrice lp = p.getLatestPrice("AAPL");
        assertThat(lp.provenance().tier()).isEqualTo(Tier.REST);
        assertThat(lp.provenance().source()).isEqualTo(DataSource.POLYGON);
        assertThat(lp.price()).isPositive();                         // the simulator's market moves on meanwhile
        assertThat(lp.provenance().fresh()).isTrue();
        assertThat(outcome(lp.provenance().attempts(), Tier.DATABASE)).isEqualTo(Attempt.Outcome.FAILED);
        assertThat(counter("provider.tier.failures", "tier", "database")).isEqualTo(1);
    }

    @Test
    void unreachableSourceFallsBackToTheNextSource() {
        RestTransport t = transport();
        RealtimeDataProvider p = track(builder().rest(new PolygonVendorRest(unreachablePolygon(t))).rest(new AlpacaVendorRest(alpaca(t))).maxAge(HOUR).build());
        LatestQuote q = p.getLatestQuote("MSFT");
        assertThat(q.provenance().tier()).isEqualTo(Tier.REST);
        assertThat(q.provenance().source()).isEqualTo(DataSource.ALPACA);
        Attempt failed = q.provenance().failures().getFirst();
        assertThat(failed.source()).isEqualTo(DataSource.POLYGON);
        assertThat(counter("provider.tier.failures", "tier", "rest", "source", "polygon", "reason", "unreachable")).isEqualTo(1);
    }

    @Test
    void rest429IsRetriedByTheClientAndAnswers() {
        RestTransport t = transport();
        RealtimeDataProvider p = track(builder().rest(new PolygonVendorRest(polygon(t))).maxAge(HOUR).build());
        long before = sim.rest().stats().tooManyRequestsAnswered();
        sim.rest().failNext(2, 429);
        LatestPrice lp = p.getLatestPrice("TSLA");
        assertThat(lp.provenance().tier()).isEqualTo(Tier.REST);
        assertThat(lp.provenance().failures()).isEmpty();
        assertThat(sim.rest().stats().tooManyRequestsAnswered() - before).isEqualTo(2);
    }

    @Test
    void everyTierFailingReturnsTheFreshestStaleValueMarkedStale() {
        MemoryDataCache memory = new MemoryDataCache();
        long old = now() - 20 * MIN;
        memory.add(trade(DataSource.POLYGON, "AAPL", old, 99));
        RestTransport t = transport();
        RealtimeDataProvider p = track(builder().memory(memory).redis(deadRedis()).database(deadDatabase())
                .rest(new PolygonVendorRest(polygon(t))).build());
        sim.rest().failNext(1000, 429);
        try {
            LatestPrice lp = p.getLatestPrice("AAPL", DataSource.POLYGON, Duration.ofSeconds(5));
            assertThat(lp.price()).isEqualTo(99);
            assertThat(lp.provenance().fresh()).isFalse();
            assertThat(lp.provenance().tier()).isEqualTo(Tier.MEMORY);
            assertThat(lp.provenance().staleness()).isGreaterThan(Duration.ofMinutes(19));
            assertThat(lp.provenance().failures()).extracting(Attempt::tier)
                    .containsExactly(Tier.REDIS, Tier.DATABASE, Tier.REST);
            assertThat(lp.provenance().failures().getLast().detail()).contains("429");
            assertThat(counter("provider.tier.failures", "tier", "rest", "reason", "rate_limited")).isEqualTo(1);
        } finally {
            sim.rest().failNext(0, 429);
        }
    }

    @Test
    void noValueAnywhereThrowsNamingEveryAttempt() {
        RealtimeDataProvider p = track(builder().memory(new MemoryDataCache()).redis(deadRedis())
                .database(database()).build());
        assertThatThrownBy(() -> p.getLatestPrice("NOPE"))
                .isInstanceOf(DataUnavailableException.class)
                .hasMessageContaining("memory/polygon: empty").hasMessageContaining("redis: failed")
                .hasMessageContaining("database/polygon: empty");
    }

    @Test
    void ohlcvStitchesDatabaseBarsAndTheFresherMemoryTail() throws Exception {
        long minuteNow = Math.floorDiv(now(), MIN) * MIN;
        long dbFrom = minuteNow - 30 * MIN;
        List<Long> times = new ArrayList<>();
        for (long m = dbFrom; m < minuteNow - 5 * MIN; m += MIN) {
            times.add(m + S);
            times.add(m + 30 * S);
        }
        long[] ts = times.stream().mapToLong(Long::longValue).toArray();
        double[] px = new double[ts.length];
        for (int i = 0; i < px.length; i++) px[i] = 100 + i * 0.1;
        insertTrades("OHL1", "polygon", ts, px);
        MemoryDataCache memory = new MemoryDataCache();
        for (long m = minuteNow - 6 * MIN; m < minuteNow; m += MIN) {
            memory.add(builtMinuteBar(DataSource.POLYGON, "OHL1", m, 120, 10_000));
            memory.add(minuteBar(DataSource.POLYGON, "OHL1", m, 130, 20_000)); // the provider's own: another series
        }
        RealtimeDataProvider p = track(builder().memory(memory).database(database()).build());

        OhlcvSeries s = p.getOhlcv("OHL1", 20, OhlcvInterval.M1);
        assertThat(s.bars()).hasSize(20);
        assertThat(s.origin()).isEqualTo(BarOrigin.BUILT);
        assertThat(s.bars()).allMatch(b -> b.origin() == BarOrigin.BUILT && b.state() == BarState.FINAL)
                .noneMatch(b -> b.close() == 130);
        assertThat(s.complete()).isTrue();
        assertThat(s.fresh()).isTrue();
        assertThat(s.parts()).extracting(SeriesPart::tier).containsExactly(Tier.DATABASE, Tier.MEMORY);
        assertThat(s.parts().getLast().bars()).isEqualTo(6);   // the memory bar of the last DB minute has more volume
        for (int i = 1; i < s.bars().size(); i++) {
            assertThat(s.bars().get(i).startNs() - s.bars().get(i - 1).startNs()).isEqualTo(MIN);
        }
        OhlcvBar dbBar = s.bars().getFirst();
        assertThat(dbBar.volume()).isEqualTo(200);
        assertThat(dbBar.tradeCount()).isEqualTo(2);

        // 5-minute bars from the same data: the database view, memory minutes aggregated at the edge
        OhlcvSeries five = p.getOhlcv("OHL1", 4, OhlcvInterval.M5);
        assertThat(five.bars()).hasSize(4);
        assertThat(five.bars()).allMatch(b -> b.startNs() % (5 * MIN) == 0);

        DataFrame df = s.toDataFrame();
        assertThat(df.height()).isEqualTo(20);
        assertThat(df.getColumnsIndex().toArray()).containsExactly("time", "open", "high", "low", "close", "volume",
                "vwap", "trade_count", "tier", "state", "origin", "source");
        assertThat(df.getColumn("tier").get(19)).isEqualTo("memory");

        // the provider's own bars are their own series: memory has six, the database's market_data none
        OhlcvSeries own = p.getOhlcv("OHL1", 6, OhlcvInterval.M1, null, BarOrigin.PROVIDER, p.maxAge());
        assertThat(own.bars()).hasSize(6).allMatch(b -> b.close() == 130 && b.origin() == BarOrigin.PROVIDER);
        assertThat(own.parts()).extracting(SeriesPart::tier).containsExactly(Tier.MEMORY);
    }

    /** A time range that reaches now holds the open bucket, labelled partial; the closed ones are final. */
    @Test
    void aTimeRangeLabelsTheOpenBucketPartial() throws Exception {
        long minuteNow = Math.floorDiv(now(), MIN) * MIN;
        long[] ts = {minuteNow - 2 * MIN + S, minuteNow - MIN + S, minuteNow + 1};
        insertTrades("RNG1", "polygon", ts, new double[] {10, 11, 12});
        RealtimeDataProvider p = track(builder().database(database()).clock(() -> minuteNow + 30 * S).build());
        OhlcvSeries s = p.getOhlcv("RNG1", OhlcvInterval.M1, java.time.Instant.ofEpochSecond(0, minuteNow - 2 * MIN),
                java.time.Instant.ofEpochSecond(0, minuteNow + MIN));
        assertThat(s.bars()).extracting(OhlcvBar::state)
                .containsExactly(BarState.FINAL, BarState.FINAL, BarState.PARTIAL);
        assertThat(s.bars()).extracting(OhlcvBar::close).containsExactly(10.0, 11.0, 12.0);
        assertThat(s.complete()).as(s.gaps()).isTrue();
        // last-N answers closed buckets only
        assertThat(p.getOhlcv("RNG1", 3, OhlcvInterval.M1).bars()).extracting(OhlcvBar::close).containsExactly(10.0, 11.0);
    }

    @Test
    void ohlcvFromRestWhenTheDatabaseIsDownFollowingPages() {
        RestTransport t = transport();
        RealtimeDataProvider p = track(builder().database(deadDatabase()).rest(new PolygonVendorRest(polygon(t))).restPageLimit(1000).build());
        long before = sim.rest().stats().requests(RestEndpoint.POLYGON_AGGS);
        OhlcvSeries s = p.getOhlcv("AAPL", 120, OhlcvInterval.M1, null, BarOrigin.PROVIDER, p.maxAge());
        long requests = sim.rest().stats().requests(RestEndpoint.POLYGON_AGGS) - before;
        assertThat(s.bars()).hasSize(120);
        assertThat(s.complete()).isTrue();
        assertThat(s.parts()).extracting(SeriesPart::tier).containsExactly(Tier.REST);
        assertThat(s.sources()).containsExactly(DataSource.POLYGON);
        assertThat(requests).as("paginated").isGreaterThan(1);
        assertThat(outcome(s.attempts(), Tier.DATABASE)).isEqualTo(Attempt.Outcome.FAILED);
        for (int i = 1; i < s.bars().size(); i++) assertThat(s.bars().get(i).startNs()).isGreaterThan(s.bars().get(i - 1).startNs());
    }

    @Test
    void ohlcvFromAlpacaRestWhenPolygonIsUnreachable() {
        RestTransport t = transport();
        RealtimeDataProvider p = track(builder().rest(new PolygonVendorRest(unreachablePolygon(t))).rest(new AlpacaVendorRest(alpaca(t))).restPageLimit(500).build());
        OhlcvSeries s = p.getOhlcv("MSFT", 30, OhlcvInterval.M15, null, BarOrigin.PROVIDER, p.maxAge());
        assertThat(s.bars()).hasSize(30);
        assertThat(s.sources()).containsExactly(DataSource.ALPACA);
        assertThat(s.bars()).allMatch(b -> b.startNs() % (15 * MIN) == 0);
        assertThat(s.attempts()).anyMatch(a -> a.tier() == Tier.REST && a.source() == DataSource.POLYGON
                && a.outcome() == Attempt.Outcome.FAILED);
    }

    /** An unknown symbol reaches REST once per source, not on every request (the key's rate limit is shared). */
    @Test
    void aSymbolRestHasNothingForIsNotAskedAgainForAMinute() {
        RestTransport tr = transport();
        RealtimeDataProvider p = track(builder().rest(new PolygonVendorRest(polygon(tr))).maxAge(HOUR).build());
        long before = sim.rest().stats().requests(RestEndpoint.POLYGON_LAST_TRADE);
        assertThatThrownBy(() -> p.getLatestPrice("ZZZNONE")).isInstanceOf(DataUnavailableException.class)
                .hasMessageContaining("rest/polygon: empty");
        long asked = sim.rest().stats().requests(RestEndpoint.POLYGON_LAST_TRADE) - before;
        assertThat(asked).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> p.getLatestPrice("ZZZNONE")).isInstanceOf(DataUnavailableException.class)
                    .hasMessageContaining("rest/polygon: empty (nothing at the last ask");
        }
        assertThat(sim.rest().stats().requests(RestEndpoint.POLYGON_LAST_TRADE) - before).isEqualTo(asked);
        // a symbol it knows is still asked and answered
        assertThat(p.getLatestPrice("TSLA").provenance().tier()).isEqualTo(Tier.REST);
    }

    @Test
    void multiSymbolPricesAskEachTierOnceForAllSymbols() throws Exception {
        try (RedisTestServer server = RedisTestServer.start()) {
            RedisConfig rc = redisConfig(server);
            long t = now() - S;
            MemoryDataCache memory = new MemoryDataCache();
            memory.add(trade(DataSource.POLYGON, "AAPL", t, 1));
            putRedis(rc, List.of(trade(DataSource.POLYGON, "MSFT", t, 2)));
            insertTrades("MULTIDB", "polygon", new long[] {t}, new double[] {3});
            RestTransport tr = transport();
            RealtimeDataProvider p = track(builder().memory(memory).redis(rc).database(database()).rest(new PolygonVendorRest(polygon(tr)))
                    .maxAge(HOUR).build());
            long snapshots = sim.rest().stats().requests(RestEndpoint.POLYGON_SNAPSHOT_TICKERS);
            long lastTrades = sim.rest().stats().requests(RestEndpoint.POLYGON_LAST_TRADE);

            MultiPrices m = p.getMultiSymbolPrices(List.of("AAPL", "MSFT", "MULTIDB", "TSLA", "ZZZNONE"));
            assertThat(m.prices().keySet()).containsExactly("AAPL", "MSFT", "MULTIDB", "TSLA");
            assertThat(m.missing()).containsExactly("ZZZNONE");
            assertThat(m.prices().get("AAPL").provenance().tier()).isEqualTo(Tier.MEMORY);
            assertThat(m.prices().get("MSFT").provenance().tier()).isEqualTo(Tier.REDIS);
            assertThat(m.prices().get("MULTIDB").provenance().tier()).isEqualTo(Tier.DATABASE);
            assertThat(m.prices().get("TSLA").provenance().tier()).isEqualTo(Tier.REST);
            assertThat(m.attempts()).extracting(Attempt::tier)
                    .containsExactly(Tier.MEMORY, Tier.REDIS, Tier.DATABASE, Tier.REST);
            assertThat(sim.rest().stats().requests(RestEndpoint.POLYGON_SNAPSHOT_TICKERS) - snapshots).isEqualTo(1);
            assertThat(sim.rest().stats().requests(RestEndpoint.POLYGON_LAST_TRADE) - lastTrades).isZero();
            assertThat(counter("rest.requests", "provider", "polygon")).isEqualTo(1);
        }
    }

    @Test
    void staticFacadeUsesTheDefaultInstance() {
        MemoryDataCache memory = new MemoryDataCache();
        memory.add(trade(DataSource.POLYGON, "STAT", now(), 7));
        RealtimeDataProvider p = track(builder().memory(memory).build());
        RealtimeData.setDefault(p);
        try {
            assertThat(RealtimeData.getLatestPrice("STAT").price()).isEqualTo(7);
        } finally {
            RealtimeData.setDefault(null);
        }
    }
}
