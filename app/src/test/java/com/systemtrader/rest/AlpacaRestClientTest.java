package com.systemtrader.rest;

import com.systemtrader.provider.alpaca.AlpacaRestClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.SipCodes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AlpacaRestClient} against the simulator over loopback. */
class AlpacaRestClientTest extends RestTestSupport {
    private static final long MINUTE_NS = 60_000_000_000L;
    private AlpacaRestClient client;
    private APIKeyManager keys;

    @BeforeEach
    void setUp() {
        start(simConfig());
        keys = keys(0, 0);
        client = new AlpacaRestClient(base(), keys, transport(FAST), "sip");
    }

    private double requests(String endpoint) {
        return counter("rest.requests", "provider", "alpaca", "endpoint", endpoint, "status", "200");
    }

    @Test
    void multiSymbolBarsFollowPageTokensAndMatchOneBigPageAndTheMarket() {
        Instant end = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(90, ChronoUnit.MINUTES);
        List<Bar> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        long n = client.bars(List.of("MSFT", "AAPL", "TSLA"), "1Min", start, end, 40, page -> {
            sizes.add(page.size());
            paged.addAll(page);
        });
        List<Bar> big = client.bars(List.of("MSFT", "AAPL", "TSLA"), "1Min", start, end);
        List<Bar> truth = new ArrayList<>();
        for (String s : List.of("AAPL", "MSFT", "TSLA")) { // Alpaca orders by symbol, then time
            truth.addAll(sim.history().bars(s, MINUTE_NS, start.toEpochMilli() * 1_000_000L, end.toEpochMilli() * 1_000_000L));
        }
        assertThat(truth).hasSizeGreaterThan(200);
        assertThat(n).isEqualTo(truth.size());
        assertThat(sizes).hasSize((truth.size() + 39) / 40);
        assertThat(requests("/v2/stocks/bars")).isEqualTo(sizes.size() + 1);
        assertThat(keysOf(paged)).isEqualTo(keysOf(big)).isEqualTo(keysOf(truth));
        for (int i = 0; i < truth.size(); i++) {
            Bar b = paged.get(i);
            Bar t = truth.get(i);
            assertThat(b.source()).isEqualTo(DataSource.ALPACA);
            assertThat(b.interval()).isEqualTo(BarInterval.MINUTE);
            assertThat(b.endTimeNs() - b.eventTimeNs()).isEqualTo(MINUTE_NS);
            assertThat(new double[] {b.open(), b.high(), b.low(), b.close()})
                    .containsExactly(t.open(), t.high(), t.low(), t.close());
            assertThat(b.volume()).isEqualTo(t.volume());
            assertThat(b.tradeCount()).isEqualTo(t.tradeCount());
        }
    }

    @Test
    void singleSymbolBarsUseTheSymbolEndpointAndDailyBars() {
        Instant end = Instant.now().minus(1, ChronoUnit.HOURS);
        Instant start = end.minus(60, ChronoUnit.MINUTES);
        List<Bar> paged = new ArrayList<>();
        client.bars(List.of("TSLA"), "1Min", start, end, 7, paged::addAll);
        List<Bar> truth = sim.history().bars("TSLA", MINUTE_NS, start.toEpochMilli() * 1_000_000L,
                end.toEpochMilli() * 1_000_000L);
        assertThat(paged).hasSameSizeAs(truth);
        assertThat(paged).allSatisfy(b -> assertThat(b.symbol()).isEqualTo("TSLA"));
        assertThat(requests("/v2/stocks/{symbol}/bars")).isEqualTo((truth.size() + 6) / 7);

        List<Bar> days = client.bars(List.of("AAPL"), "1Day", Instant.now().minus(5, ChronoUnit.DAYS), Instant.now());
        assertThat(days).isNotEmpty().allSatisfy(b -> {
            assertThat(b.interval()).isEqualTo(BarInterval.DAILY);
            assertThat(b.endTimeNs() - b.eventTimeNs()).isEqualTo(BarInterval.DAILY.nanos());
        });
        assertThatThrownBy(() -> client.bars(List.of("AAPL"), "1Week", start, end)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latestTradesQuotesAndSnapshotsOfManySymbolsInOneRequestEach() {
        await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream()
                .allMatch(s -> sim.history().lastTrade(s).isPresent() && sim.history().lastQuote(s).isPresent()));
        Map<String, Trade> trades = client.latestTrades(List.of("AAPL", "MSFT", "TSLA", "NOSUCH"));
        assertThat(trades).containsOnlyKeys("AAPL", "MSFT", "TSLA");
        Trade t = trades.get("MSFT");
        assertThat(t.source()).isEqualTo(DataSource.ALPACA);
        assertThat(t.price()).isPositive();
        assertThat(t.exchange()).isBetween((int) 'A', (int) 'Z');
        assertThat(t.tape()).isIn('A', 'B', 'C');
        assertThat(t.conditions().isEmpty()).isFalse();
        // a trade the market made, and no newer than the newest one after the call (late reports do not count)
        assertThat(sim.history().trades("MSFT", t.eventTimeNs() - 1_000, t.eventTimeNs() + 1_000, 10_000))
                .extracting(Trade::tradeId).contains(t.tradeId());
        assertThat(t.eventTimeNs()).isLessThanOrEqualTo(sim.history().lastTrade("MSFT").orElseThrow().eventTimeNs());

        Map<String, Quote> quotes = client.latestQuotes(List.of("AAPL", "MSFT"));
        assertThat(quotes).containsOnlyKeys("AAPL", "MSFT");
        assertThat(quotes.get("AAPL").askPrice()).isGreaterThanOrEqualTo(quotes.get("AAPL").bidPrice());
        assertThat((char) quotes.get("AAPL").conditions().get(0)).isEqualTo('R');

        Map<String, Snapshot> snaps = client.snapshots(List.of("AAPL", "TSLA", "NOSUCH"));
        assertThat(snaps).containsOnlyKeys("AAPL", "TSLA");
        Snapshot s = snaps.get("TSLA");
        assertThat(s.latestTrade()).isNotNull();
        assertThat(s.latestQuote()).isNotNull();
        assertThat(s.previousDailyBar()).isNotNull();
        assertThat(s.previousClose()).isEqualTo(
                sim.history().previousDailyBar("TSLA", Timestamps.nowNs()).orElseThrow().close());
        assertThat(requests("/v2/stocks/trades/latest") + requests("/v2/stocks/quotes/latest")
                + requests("/v2/stocks/snapshots")).isEqualTo(3);

        AlpacaRestClient chunked = new AlpacaRestClient(base(), keys, transport(FAST.withMaxSymbolsPerRequest(2)), "iex");
        assertThat(chunked.latestTrades(SYMBOLS)).containsOnlyKeys(SYMBOLS);
        assertThat(requests("/v2/stocks/trades/latest")).isEqualTo(3); // one more above, then two for three symbols
    }

    @Test
    void historicalTradesFollowPageTokensAndEqualTheMarketsTradesInTheWindow() {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.history().trades("AAPL", 0, Long.MAX_VALUE,
                Integer.MAX_VALUE).size() > 1_200);
        // the oldest trades: late prints (at most maxLateMs behind) cannot land in this range any more
        List<Trade> all = sim.history().trades("AAPL", 0, Long.MAX_VALUE, Integer.MAX_VALUE);
        long from = all.get(100).eventTimeNs();
        long to = all.get(1_000).eventTimeNs();
        await().until(() -> Timestamps.nowNs() - to > 1_000_000_000L);
        // Alpaca's window is inclusive at both ends; the history's is [from, to)
        List<Trade> truth = sim.history().trades("AAPL", from, to + 1, Integer.MAX_VALUE);
        assertThat(truth).hasSizeGreaterThan(800);

        List<Trade> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        long n = client.trades("AAPL", instant(from), instant(to), 97, page -> {
            sizes.add(page.size());
            paged.addAll(page);
        });
        List<Trade> big = new ArrayList<>();
        client.trades("AAPL", instant(from), instant(to), 10_000, big::addAll);
        List<Trade> iterated = new ArrayList<>();
        client.tradePages("AAPL", instant(from), instant(to), 250).forEachRemaining(iterated::addAll);

        assertThat(n).isEqualTo(truth.size());
        assertThat(sizes).hasSize((truth.size() + 96) / 97).allSatisfy(s -> assertThat(s).isBetween(1, 97));
        assertThat(requests("/v2/stocks/{symbol}/trades")).isEqualTo(sizes.size() + 1 + (truth.size() + 249) / 250);
        assertThat(paged.stream().map(Trade::tradeId).distinct().count()).isEqualTo(truth.size());
        assertThat(paged).extracting(Trade::tradeId).containsExactlyElementsOf(truth.stream().map(Trade::tradeId).toList())
                .containsExactlyElementsOf(big.stream().map(Trade::tradeId).toList())
                .containsExactlyElementsOf(iterated.stream().map(Trade::tradeId).toList());
        for (int i = 0; i < truth.size(); i++) {
            Trade p = paged.get(i);
            Trade t = truth.get(i);
            assertThat(p.source()).isEqualTo(DataSource.ALPACA);
            assertThat(p.symbol()).isEqualTo("AAPL");
            assertThat(p.eventTimeNs()).isEqualTo(t.eventTimeNs());
            assertThat(p.price()).isEqualTo(t.price());
            assertThat(p.size()).isEqualTo(t.size());
            assertThat((char) p.exchange()).isEqualTo(SipCodes.exchangeLetter(t.exchange()));
            assertThat(p.tape()).isEqualTo(t.tape());
            assertThat(letters(p)).isEqualTo(alpacaLetters(t));
        }
        // an empty window and an unknown symbol are empty, not errors
        assertThat(client.trades("AAPL", instant(from).minus(3, ChronoUnit.DAYS),
                instant(from).minus(2, ChronoUnit.DAYS), 100, p -> { })).isZero();
        assertThat(client.trades("NOSUCH", instant(from), instant(to), 100, p -> { })).isZero();
    }

    @Test
    void historicalTradesFailNamingTheEndpointOnABadParameter() {
        Instant end = Instant.now();
        assertThatThrownBy(() -> client.trades("AAPL", end, end.minusSeconds(60), 100, p -> { }))
                .isInstanceOf(RestException.class).hasMessageStartingWith("Alpaca GET /v2/stocks/AAPL/trades: HTTP 422");
    }

    @Test
    void the429WithXRateLimitResetPenalizesTheSharedKeyAndFailsFastWhenTheResetIsTooFar() {
        sim.close();
        start(simConfig().alpacaRestPerMinute(2));
        AlpacaRestClient c = new AlpacaRestClient(base(), keys, transport(FAST), "iex");
        assertThat(c.latestTrades(List.of("AAPL"))).isNotNull();
        assertThat(c.latestQuotes(List.of("AAPL"))).isNotNull();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> c.snapshots(List.of("AAPL"))).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("Alpaca GET /v2/stocks/snapshots").hasMessageContaining("429")
                .satisfies(e -> assertThat(((RateLimitedException) e).retryIn()).isGreaterThan(Duration.ofSeconds(30)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        // the server's reset time now holds every caller of the key, without sending anything
        assertThat(keys.rateLimiter(Provider.ALPACA).nanosUntilAvailable()).isGreaterThan(30_000_000_000L);
        assertThatThrownBy(() -> c.latestTrades(List.of("MSFT"))).isInstanceOf(RateLimitedException.class);
        assertThat(counter("rest.requests", "provider", "alpaca", "status", "429")).isEqualTo(1);
    }

    @Test
    void injected429AndServerErrorsAreRetried() {
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.history().lastQuote("AAPL").isPresent());
        sim.rest().failNext(1, 503);
        assertThat(client.latestQuotes(List.of("AAPL"))).containsKey("AAPL");
        assertThat(counter("rest.retries", "provider", "alpaca", "reason", "5xx")).isEqualTo(1);
    }

    @Test
    void feedComesFromConfigurationAndIsChecked() {
        assertThat(client.feed()).isEqualTo("sip");
        assertThat(new AlpacaRestClient(base(), keys, transport(FAST), null).latestTrades(List.of("AAPL"))).isNotNull();
        assertThatThrownBy(() -> new AlpacaRestClient(base(), keys, transport(FAST), "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test");
    }

    private static Instant instant(long epochNs) {
        return Instant.ofEpochSecond(0, epochNs);
    }

    /** The condition letters the client parsed. */
    private static String letters(Trade t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.conditions().size(); i++) b.append((char) t.conditions().get(i));
        return b.toString();
    }

    /** The letters the market's trade has in Alpaca's form (no conditions: a regular sale, "@"). */
    private static String alpacaLetters(Trade t) {
        if (t.conditions() == null || t.conditions().isEmpty()) return "@";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.conditions().size(); i++) b.append(SipCodes.conditionLetter(t.conditions().get(i), t.tape()));
        return b.toString();
    }

    private static List<String> keysOf(List<Bar> bars) {
        return bars.stream().map(b -> b.symbol() + "@" + b.eventTimeNs()).toList();
    }
}
