package com.systemtrader.rest;

import com.systemtrader.provider.polygon.PolygonRestClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.provider.polygon.PolygonRestClient.Timespan;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PolygonRestClient} against the simulator over loopback. */
class PolygonRestClientTest extends RestTestSupport {
    private static final long MINUTE_NS = 60_000_000_000L;
    private PolygonRestClient client;
    private APIKeyManager keys;

    @BeforeEach
    void setUp() {
        start(simConfig());
        keys = keys(0, 0);
        client = new PolygonRestClient(base(), keys, transport(FAST));
        awaitTicks();
    }

    private void awaitTicks() {
        await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream()
                .allMatch(s -> sim.history().lastTrade(s).isPresent() && sim.history().lastQuote(s).isPresent()));
    }

    private double requests(String endpoint) {
        return counter("rest.requests", "provider", "polygon", "endpoint", endpoint, "status", "200");
    }

    @Test
    void aggregatesFollowNextUrlAcrossPagesAndMatchOneBigPage() {
        Instant to = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        Instant from = to.minus(3, ChronoUnit.HOURS);
        List<Integer> pageSizes = new ArrayList<>();
        List<Bar> paged = new ArrayList<>();
        long n = client.aggregates("AAPL", 1, Timespan.MINUTE, from, to, 50, page -> {
            pageSizes.add(page.size());
            paged.addAll(page);
        });
        List<Bar> big = client.aggregates("AAPL", 1, Timespan.MINUTE, from, to);
        List<Bar> truth = sim.history().bars("AAPL", MINUTE_NS, from.toEpochMilli() * 1_000_000L,
                to.toEpochMilli() * 1_000_000L);

        assertThat(truth).hasSizeGreaterThan(150);
        assertThat(n).isEqualTo(paged.size()).isEqualTo(truth.size());
        assertThat(pageSizes.size()).isEqualTo((truth.size() + 49) / 50);
        assertThat(pageSizes.subList(0, pageSizes.size() - 1)).containsOnly(50);
        assertThat(requests("/v2/aggs/ticker/{ticker}/range")).isEqualTo(pageSizes.size() + 1);
        assertThat(times(paged)).isEqualTo(times(big)).isEqualTo(times(truth));
        for (int i = 0; i < truth.size(); i++) {
            Bar b = paged.get(i);
            Bar t = truth.get(i);
            assertThat(b.source()).isEqualTo(DataSource.POLYGON);
            assertThat(b.symbol()).isEqualTo("AAPL");
            assertThat(b.interval()).isEqualTo(BarInterval.MINUTE);
            assertThat(b.endTimeNs() - b.eventTimeNs()).isEqualTo(MINUTE_NS);
            assertThat(new double[] {b.open(), b.high(), b.low(), b.close()})
                    .containsExactly(t.open(), t.high(), t.low(), t.close());
            assertThat(b.volume()).isEqualTo(t.volume());
        }

        // five-minute bars: the window length is carried by endTimeNs
        List<Bar> five = client.aggregates("AAPL", 5, Timespan.MINUTE, from, to);
        assertThat(five).isNotEmpty();
        assertThat(five.getFirst().endTimeNs() - five.getFirst().eventTimeNs()).isEqualTo(5 * MINUTE_NS);
        assertThat(five.size()).isBetween(truth.size() / 5, truth.size() / 5 + 2);
    }

    @Test
    void pagesAreFetchedLazilyAndTheMaxPagesGuardStopsARunawayRange() {
        Instant to = Instant.now().minus(1, ChronoUnit.HOURS);
        Instant from = to.minus(2, ChronoUnit.HOURS);
        Iterator<List<Bar>> pages = client.aggregatePages("MSFT", 1, Timespan.MINUTE, from, to, 10);
        assertThat(requests("/v2/aggs/ticker/{ticker}/range")).isZero();
        assertThat(pages.next()).hasSize(10);
        assertThat(requests("/v2/aggs/ticker/{ticker}/range")).isEqualTo(1);

        PolygonRestClient guarded = new PolygonRestClient(base(), keys, transport(FAST.withMaxPages(3)));
        assertThatThrownBy(() -> guarded.aggregates("MSFT", 1, Timespan.MINUTE, from, to, 10, page -> { }))
                .isInstanceOf(RestException.class)
                .hasMessageContaining("/v2/aggs/ticker/MSFT/range/1/minute/")
                .hasMessageContaining("more than 3 pages");
    }

    @Test
    void lastTradeLastQuoteAndPreviousCloseMatchTheMarket() {
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.history().lastQuote("TSLA").isPresent());
        Trade t = client.lastTrade("TSLA").orElseThrow();
        assertThat(t.source()).isEqualTo(DataSource.POLYGON);
        assertThat(t.symbol()).isEqualTo("TSLA");
        // a trade the market made, and no newer than the newest one after the call (late reports do not count)
        assertThat(sim.history().trades("TSLA", t.eventTimeNs() - 1_000_000, t.eventTimeNs() + 1_000_000, 10_000))
                .extracting(Trade::tradeId).contains(t.tradeId());
        assertThat(t.eventTimeNs()).isLessThanOrEqualTo(sim.history().lastTrade("TSLA").orElseThrow().eventTimeNs());
        assertThat(t.price()).isPositive();
        assertThat(t.size()).isPositive();
        assertThat(t.tradeId()).isNotEmpty();
        assertThat(t.tape()).isIn('A', 'B', 'C');
        assertThat(t.receiveTimeNs()).isGreaterThanOrEqualTo(t.eventTimeNs());

        Quote q = client.lastQuote("TSLA").orElseThrow();
        assertThat(q.source()).isEqualTo(DataSource.POLYGON);
        assertThat(q.askPrice()).isGreaterThanOrEqualTo(q.bidPrice());
        assertThat(q.bidExchange()).isPositive();
        assertThat(q.eventTimeNs()).isPositive();

        Bar prev = client.previousClose("MSFT").orElseThrow();
        Bar truthPrev = sim.history().previousDailyBar("MSFT", Timestamps.nowNs()).orElseThrow();
        assertThat(prev.interval()).isEqualTo(BarInterval.DAILY);
        assertThat(prev.close()).isEqualTo(truthPrev.close());
        assertThat(prev.volume()).isEqualTo(truthPrev.volume());
        assertThat(prev.eventTimeNs()).isEqualTo(truthPrev.eventTimeNs()); // New York midnight of the session

        assertThat(client.lastTrade("NOSUCH")).isEmpty();
        assertThat(client.lastQuote("NOSUCH")).isEmpty();
        assertThat(client.previousClose("NOSUCH")).isEmpty();
    }

    @Test
    void snapshotsOfManyTickersTakeOneRequest() {
        await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream()
                .allMatch(s -> sim.history().lastTrade(s).isPresent() && sim.history().lastQuote(s).isPresent()));
        Map<String, Snapshot> snaps = client.snapshots(List.of("AAPL", "MSFT", "TSLA", "NOSUCH"));
        assertThat(requests("/v2/snapshot/locale/us/markets/stocks/tickers")).isEqualTo(1);
        assertThat(snaps).containsOnlyKeys("AAPL", "MSFT", "TSLA");
        Snapshot s = snaps.get("AAPL");
        assertThat(s.source()).isEqualTo(DataSource.POLYGON);
        assertThat(s.latestTrade().price()).isPositive();
        assertThat(s.latestQuote().askPrice()).isPositive();
        assertThat(s.updatedNs()).isPositive();
        assertThat(s.previousClose()).isEqualTo(
                sim.history().previousDailyBar("AAPL", Timestamps.nowNs()).orElseThrow().close());
        if (sim.history().lastMinuteBar("AAPL").isPresent()) {
            assertThat(s.minuteBar()).isNotNull();
            assertThat(s.minuteBar().interval()).isEqualTo(BarInterval.MINUTE);
            assertThat(s.minuteBar().accumulatedVolume()).isPositive();
        }
    }

    @Test
    void v3TradesPaginateAndMatchTheMarketsTrades() {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.history().trades("AAPL", 0, Long.MAX_VALUE,
                Integer.MAX_VALUE).size() > 1_800);
        // the oldest trades: late prints (at most maxLateMs behind) cannot land in this range any more
        List<Trade> all = sim.history().trades("AAPL", 0, Long.MAX_VALUE, Integer.MAX_VALUE);
        long from = all.get(100).eventTimeNs();
        long to = all.get(1_600).eventTimeNs();
        await().until(() -> Timestamps.nowNs() - to > 1_000_000_000L);
        List<Trade> truth = sim.history().trades("AAPL", from, to, Integer.MAX_VALUE);

        List<Trade> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        long n = client.trades("AAPL", from, to, 200, page -> {
            sizes.add(page.size());
            paged.addAll(page);
        });
        List<Trade> big = new ArrayList<>();
        client.trades("AAPL", from, to, 50_000, big::addAll);

        assertThat(n).isEqualTo(truth.size());
        assertThat(sizes.size()).isGreaterThanOrEqualTo(truth.size() / 200);
        assertThat(paged).hasSameSizeAs(big);
        for (int i = 0; i < truth.size(); i++) {
            Trade p = paged.get(i);
            Trade t = truth.get(i);
            assertThat(p.eventTimeNs()).isEqualTo(t.eventTimeNs());
            assertThat(p.tradeId()).isEqualTo(t.tradeId()).isEqualTo(big.get(i).tradeId());
            assertThat(p.price()).isEqualTo(t.price());
            assertThat(p.size()).isEqualTo(t.size());
            assertThat(p.exchange()).isEqualTo(t.exchange());
            assertThat(p.conditions()).isEqualTo(t.conditions());
            assertThat(p.sequence()).isEqualTo(t.sequence());
            assertThat(p.trfId()).isEqualTo(t.trfId());
            assertThat(p.trfTimeNs()).isEqualTo(t.trfTimeNs());
            assertThat(p.tape()).isEqualTo(t.tape());
            assertThat(p.source()).isEqualTo(DataSource.POLYGON);
        }
    }

    @Test
    void injected429sAreRetriedThroughThePenalizedBucketAndTheCallSucceeds() {
        sim.rest().failNext(2, 429);
        assertThat(client.lastTrade("AAPL")).isPresent();
        assertThat(counter("rest.requests", "endpoint", "/v2/last/trade/{ticker}", "status", "429")).isEqualTo(2);
        assertThat(counter("rest.rate_limited", "cause", "server_429")).isEqualTo(2);
        assertThat(counter("rest.retries", "reason", "429")).isEqualTo(2);
        assertThat(logLines()).anyMatch(l -> l.contains("HTTP 429") && l.contains("/v2/last/trade/AAPL"));
    }

    @Test
    void theSimulatorsOwnRateLimitGives429sAndTheCallFailsNamingTheEndpoint() {
        sim.close();
        start(simConfig().polygonRestPerMinute(2));
        awaitTicks();
        PolygonRestClient c = new PolygonRestClient(base(), keys, transport(FAST.withRetries(3, Duration.ofMillis(10),
                Duration.ofMillis(50))));
        assertThat(c.lastTrade("AAPL")).isPresent();
        assertThat(c.lastQuote("AAPL")).isPresent();
        assertThatThrownBy(() -> c.lastTrade("MSFT")).isInstanceOf(RestException.class)
                .satisfies(e -> assertThat(((RestException) e).status()).isEqualTo(429))
                .hasMessageContaining("/v2/last/trade/MSFT").hasMessageContaining("HTTP 429 after 3 attempts")
                .hasMessageContaining("exceeded the maximum requests per minute");
    }

    @Test
    void fiveHundredsAreRetriedAndPersistentOnesFailWithTheStatus() {
        sim.rest().failNext(2, 503);
        assertThat(client.lastQuote("AAPL")).isPresent();
        assertThat(counter("rest.retries", "reason", "5xx")).isEqualTo(2);

        sim.rest().failNext(10, 500);
        assertThatThrownBy(() -> client.lastQuote("MSFT")).isInstanceOf(RestException.class)
                .hasMessageStartingWith("Polygon GET /v2/last/nbbo/MSFT: HTTP 500 after 4 attempts")
                .satisfies(e -> assertThat(((RestException) e).status()).isEqualTo(500));
        sim.rest().failNext(0, 500);
    }

    @Test
    void aBadRequestFailsAtOnceWithTheBodyExcerpt() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> client.aggregates("AAPL", 1, Timespan.MINUTE, now, now.plusSeconds(60), 0, p -> { }))
                .isInstanceOf(RestException.class).hasMessageContaining("HTTP 400").hasMessageContaining("limit");
        assertThat(counter("rest.retries")).isZero();
    }

    @Test
    void theSharedBucketIsSharedByEveryClientOfOneKeyManager() {
        APIKeyManager limited = keys(3, 0);
        RestTransport t = transport(FAST.withMaxRateLimitWait(Duration.ofMillis(200)));
        PolygonRestClient a = new PolygonRestClient(base(), limited, t);
        PolygonRestClient b = new PolygonRestClient(base(), limited, transport(FAST.withMaxRateLimitWait(Duration.ofMillis(200))));
        assertThat(a.lastTrade("AAPL")).isPresent();
        assertThat(b.lastTrade("MSFT")).isPresent();
        assertThat(a.lastQuote("AAPL")).isPresent();
        assertThatThrownBy(() -> b.lastQuote("MSFT")).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("Polygon GET /v2/last/nbbo/MSFT").hasMessageContaining("rate limited")
                .satisfies(e -> assertThat(((RateLimitedException) e).retryIn()).isGreaterThan(Duration.ofSeconds(50)));
        assertThatThrownBy(() -> a.lastQuote("AAPL")).isInstanceOf(RateLimitedException.class);
        assertThat(limited.rateLimiter(Provider.POLYGON).available()).isZero();
        assertThat(counter("rest.rate_limited", "cause", "wait_exceeded")).isEqualTo(2);
        // nothing reached the simulator beyond the three granted requests
        assertThat(counter("rest.requests", "provider", "polygon")).isEqualTo(3);
    }

    private static List<Long> times(List<Bar> bars) {
        return bars.stream().map(Bar::eventTimeNs).toList();
    }
}
