package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.data.BarOrigin;
import com.systemtrader.data.BarState;
import com.systemtrader.data.DataUnavailableException;
import com.systemtrader.data.OhlcvBar;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.OhlcvSeries;
import com.systemtrader.data.ProviderSetup;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.data.Tier;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.DataSource;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bar definition served identically by every tier (docs/DATA_MODEL.md): the service streams real minutes from
 * the simulator (Polygon trades, quotes and {@code AM}) into memory, Redis and PostgreSQL, and the same closed minutes
 * asked of memory, Redis and the database alone give identical {@code built} bars (and identical {@code provider}
 * bars, the streamed {@code AM}), and REST builds the same bars from the vendor's trades; the minute the feed began
 * in is no cache's bar; asked across a minute boundary, a last-N
 * answer holds closed buckets only
 * ({@code final}), and a time range reaching now ends in the one open bucket, {@code partial}.
 */
class ServiceBarTiersTest {
    private static final long MIN = 60_000_000_000L;
    private static final String SYM = "AAPL";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test void everyTierAnswersTheSameClosedMinutes() throws Exception {
        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(11, List.of(SYM, "MSFT")).withHalts(0)).rate(400).build());
             TestDatabase db = TestDatabase.create();
             RedisTestServer redis = RedisTestServer.start()) {
            String yaml = ServiceTestSupport.yaml(dir, sim, db.url, redis, List.of("T", "Q", "AM"),
                    List.of("AAPL", "MSFT"), "stale_data_seconds: 0", "");
            CollectorConfig config = ServiceTestSupport.config(dir, yaml);
            APIKeyManager keys = ServiceTestSupport.simulatorKeys(dir);
            try (SystemTraderService service = SystemTraderService.start(config, keys, Map.of());
                 RealtimeDataProvider memory = tier(config, keys, service, false, false, false);
                 RealtimeDataProvider cache = tier(config, keys, null, true, false, false);
                 RealtimeDataProvider database = tier(config, keys, null, false, true, false);
                 RealtimeDataProvider rest = tier(config, keys, null, false, false, true)) {
                WebsocketCollector collector = service.collectors().values().iterator().next();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(60))).isTrue();
                Map<String, RealtimeDataProvider> built = ordered("memory", memory, "redis", cache, "database", database);

                // two closed minutes built in memory (the first minute after the connection holds only its tail,
                // but every tier saw the same trades of it): about 2 minutes of stream
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> closedBars(memory, BarOrigin.BUILT, 3).size() >= 2);

                // ask every tier until the answers agree (the database's live roll-up has a closed minute once the
                // writer committed its trades; Redis once its writer wrote the bar): then they must be identical
                List<OhlcvBar> agreed = awaitSameBars(built, BarOrigin.BUILT, 2);
                assertThat(agreed).hasSize(2).allMatch(b -> b.origin() == BarOrigin.BUILT && b.tradeCount() > 0);
                // REST builds its bars from the vendor's trades by the same rules: the same numbers, once late
                // trades can no longer revise the minutes (their late window has closed) and every tier has them
                long settledAt = agreed.getLast().startNs() + MIN + config.data().bars().minuteLateWindow().toNanos();
                await().atMost(Duration.ofMinutes(2)).until(() -> Timestamps.nowNs() > settledAt);
                List<OhlcvBar> settled = awaitSameRange(built, agreed.getFirst().startNs(), agreed.getLast().startNs() + MIN);
                assertThat(settled).extracting(OhlcvBar::startNs).containsExactlyElementsOf(
                        agreed.stream().map(OhlcvBar::startNs).toList());
                for (OhlcvBar b : settled) {
                    Instant from = Instant.ofEpochSecond(0, b.startNs());
                    OhlcvBar fromRest = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> rest.getOhlcv(
                            SYM, OhlcvInterval.M1, from, from.plusSeconds(60), DataSource.POLYGON, BarOrigin.BUILT)
                            .bars().getFirst(), b2 -> true);
                    assertThat(fromRest.tier()).isEqualTo(Tier.REST);
                    assertThat(fromRest.origin()).isEqualTo(BarOrigin.BUILT);
                    assertThat(same(fromRest, b)).as("REST's " + fromRest + " equals " + b).isTrue();
                }

                // the minute the feed began in was not watched from its start: no cache has a bar of it (the
                // memory cache's oldest built bar is a later minute than the one holding the first trade received)
                long firstTrade = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> database.getTrades(
                        SYM, Instant.EPOCH, Instant.ofEpochSecond(0, agreed.getLast().startNs()), DataSource.POLYGON, 1,
                        null).events().getFirst().eventTimeNs(), t -> true);
                long head = Math.floorDiv(firstTrade, MIN) * MIN;
                Instant headFrom = Instant.ofEpochSecond(0, head);
                for (RealtimeDataProvider cacheTier : List.of(memory, cache)) {
                    // asked until the tier answers (a Redis read may time out on a busy machine): it has nothing
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                        try {
                            OhlcvSeries got = cacheTier.getOhlcv(SYM, OhlcvInterval.M1, headFrom, headFrom.plusSeconds(60),
                                    DataSource.POLYGON, BarOrigin.BUILT);
                            throw new AssertionError("a cache holds a bar of the minute the feed began in: " + got.bars());
                        } catch (DataUnavailableException e) {
                            return e.getMessage().endsWith(": empty");
                        }
                    });
                }
                assertThat(service.collectors().values().iterator().next().barBuilder().orElseThrow().incomplete())
                        .isPositive();

                // the provider's streamed bars (AM) are one series in memory, Redis and the database; its REST
                // aggregates are the vendor's recomputation (with trades the streamed bar did not have: the
                // simulator, like Polygon, differs there), answered as provider bars
                Map<String, RealtimeDataProvider> own = ordered("memory", memory, "redis", cache, "database", database);
                assertThat(awaitSameBars(own, BarOrigin.PROVIDER, 2)).hasSize(2)
                        .allMatch(b -> b.origin() == BarOrigin.PROVIDER);
                assertThat(closedBars(rest, BarOrigin.PROVIDER, 3)).hasSize(3)
                        .allMatch(b -> b.origin() == BarOrigin.PROVIDER && b.tier() == Tier.REST);

                // the same bars over HTTP, a page of one bar at a time: each bar once, in order, the last partial
                long rangeStart = agreed.getFirst().startNs();
                List<JsonNode> paged = new ArrayList<>();
                String cursor = null;
                do {
                    String q = "/api/bars?symbol=" + SYM + "&interval=1m&source=polygon&limit=1&start="
                            + Instant.ofEpochSecond(0, rangeStart) + (cursor == null ? "" : "&cursor=" + cursor);
                    JsonNode page = JSON.readTree(ServiceTestSupport.get(service, q));
                    page.path("bars").forEach(paged::add);
                    cursor = page.path("next_cursor").isMissingNode() ? null : page.path("next_cursor").asText();
                } while (cursor != null);
                assertThat(paged.size()).isGreaterThanOrEqualTo(2);
                for (int i = 0; i < 2; i++) {
                    assertThat(Instant.parse(paged.get(i).path("time").asText()))
                            .isEqualTo(Instant.ofEpochSecond(0, agreed.get(i).startNs()));
                    assertThat(paged.get(i).path("close").asDouble()).isEqualTo(agreed.get(i).close());
                    assertThat(paged.get(i).path("origin").asText()).isEqualTo("built");
                }
                for (int i = 1; i < paged.size(); i++) {
                    assertThat(Instant.parse(paged.get(i).path("time").asText()))
                            .isAfter(Instant.parse(paged.get(i - 1).path("time").asText()));
                }

                // across the next minute boundary: last-N answers never hold the open bucket; a range reaching now
                // ends in it, partial, and every closed bucket is final
                long boundary = (Math.floorDiv(Timestamps.nowNs(), MIN) + 1) * MIN;
                int asked = 0;
                while (Timestamps.nowNs() < boundary + 3_000_000_000L || asked < 4) {
                    long before = Timestamps.nowNs();
                    for (Map.Entry<String, RealtimeDataProvider> t : built.entrySet()) {
                        OhlcvSeries last = answered(() -> t.getValue().getOhlcv(SYM, 3, OhlcvInterval.M1,
                                DataSource.POLYGON, BarOrigin.BUILT, Duration.ofMinutes(5)));
                        if (last == null) continue;
                        assertThat(last.bars()).as(t.getKey()).allMatch(b -> b.state() != BarState.PARTIAL
                                && b.startNs() + MIN <= Timestamps.nowNs());
                    }
                    OhlcvSeries range = answered(() -> database.getOhlcv(SYM, OhlcvInterval.M1,
                            Instant.ofEpochSecond(0, before - 3 * MIN), Instant.ofEpochSecond(0, before),
                            DataSource.POLYGON, BarOrigin.BUILT));
                    List<OhlcvBar> bars = range == null ? List.of() : range.bars();
                    for (int i = 0; i < bars.size(); i++) {
                        OhlcvBar b = bars.get(i);
                        boolean open = b.startNs() + MIN > before;
                        if (open) assertThat(i).as("only the newest bar can be open").isEqualTo(bars.size() - 1);
                        if (b.startNs() + MIN <= before) assertThat(b.state()).isEqualTo(BarState.FINAL);
                    }
                    asked++;
                    Thread.sleep(250); // the pace of a polling client, not a wait for a condition
                }
                // and after the boundary the minute that just closed becomes the same bar in every tier
                List<OhlcvBar> after = awaitSameBars(built, BarOrigin.BUILT, 3);
                assertThat(after.getLast().startNs()).isGreaterThanOrEqualTo(boundary - MIN);
            }
        }
    }

    /** The newest {@code n} closed bars every tier agrees on, asked until they agree (values compared exactly). */
    private static List<OhlcvBar> awaitSameBars(Map<String, RealtimeDataProvider> tiers, BarOrigin origin, int n) {
        List<List<OhlcvBar>> last = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                last.clear();
                for (RealtimeDataProvider p : tiers.values()) last.add(values(closedBars(p, origin, n + 2)));
                return sameNewest(last, n);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the tiers " + tiers.keySet() + " never agreed on the " + origin.label()
                    + " bars: " + last, e);
        }
        List<OhlcvBar> first = closedBars(tiers.values().iterator().next(), origin, n + 2);
        return first.subList(first.size() - n, first.size());
    }

    /** The built bars starting in {@code [fromNs, toNs)}, asked of every tier until all answer the same. */
    private static List<OhlcvBar> awaitSameRange(Map<String, RealtimeDataProvider> tiers, long fromNs, long toNs) {
        List<List<OhlcvBar>> last = new ArrayList<>();
        Instant from = Instant.ofEpochSecond(0, fromNs), to = Instant.ofEpochSecond(0, toNs);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                last.clear();
                for (RealtimeDataProvider p : tiers.values()) {
                    try {
                        last.add(p.getOhlcv(SYM, OhlcvInterval.M1, from, to, DataSource.POLYGON, BarOrigin.BUILT).bars());
                    } catch (DataUnavailableException e) { // a tier that failed (a timeout under load): ask again
                        return false;
                    }
                }
                for (List<OhlcvBar> a : last) {
                    if (a.size() != last.getFirst().size()) return false;
                    for (int i = 0; i < a.size(); i++) {
                        OhlcvBar x = a.get(i), y = last.getFirst().get(i);
                        if (x.startNs() != y.startNs() || !same(x, y)) return false;
                    }
                }
                return true;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the tiers " + tiers.keySet() + " never agreed on " + from + ".." + to + ": " + last, e);
        }
        return last.getFirst();
    }

    /** The tiers' newest {@code n} common buckets are equal (and each tier has {@code n} buckets in common). */
    private static boolean sameNewest(List<List<OhlcvBar>> answers, int n) {
        TreeMap<Long, OhlcvBar> common = null;
        for (List<OhlcvBar> a : answers) {
            TreeMap<Long, OhlcvBar> m = new TreeMap<>();
            for (OhlcvBar b : a) m.put(b.startNs(), b);
            if (common != null) m.keySet().retainAll(common.keySet());
            common = m;
        }
        if (common == null || common.size() < n) return false;
        List<Long> newest = new ArrayList<>(common.descendingKeySet()).subList(0, n);
        for (long start : newest) {
            OhlcvBar ref = null;
            for (List<OhlcvBar> a : answers) {
                OhlcvBar b = a.stream().filter(x -> x.startNs() == start).findFirst().orElseThrow();
                if (ref != null && !same(ref, b)) return false;
                ref = b;
            }
        }
        // and the newest bucket every tier has is the same one: no tier is a minute behind
        for (List<OhlcvBar> a : answers) if (a.getLast().startNs() != common.lastKey()) return false;
        return true;
    }

    /**
     * Equal values: open, high, low, close, volume and trade count exactly, VWAP to 1e-9 (summation order); both
     * closed (the database reports a revised bar as final: it stores what the bar is now).
     */
    private static boolean same(OhlcvBar a, OhlcvBar b) {
        return a.open() == b.open() && a.high() == b.high() && a.low() == b.low() && a.close() == b.close()
                && a.volume() == b.volume() && a.tradeCount() == b.tradeCount()
                && a.state() != BarState.PARTIAL && b.state() != BarState.PARTIAL
                && (Double.isNaN(a.vwap()) ? Double.isNaN(b.vwap()) : Math.abs(a.vwap() - b.vwap()) <= 1e-9 * a.vwap());
    }

    /** The answer, or null when the tier did not answer this time (a timeout on a busy machine): asked again. */
    private static OhlcvSeries answered(java.util.function.Supplier<OhlcvSeries> ask) {
        try {
            return ask.get();
        } catch (DataUnavailableException e) {
            return null;
        }
    }

    /** Bars without the tier, so that answers from different tiers compare as lists. */
    private static List<OhlcvBar> values(List<OhlcvBar> bars) {
        return bars.stream().map(b -> new OhlcvBar(b.startNs(), b.open(), b.high(), b.low(), b.close(), b.volume(),
                b.vwap(), b.tradeCount(), b.state(), b.origin(), Tier.MEMORY, b.source())).toList();
    }

    private static List<OhlcvBar> closedBars(RealtimeDataProvider p, BarOrigin origin, int n) {
        try {
            return p.getOhlcv(SYM, n, OhlcvInterval.M1, DataSource.POLYGON, origin, Duration.ofMinutes(5)).bars();
        } catch (DataUnavailableException e) {
            return List.of();
        }
    }

    private static RealtimeDataProvider tier(CollectorConfig config, APIKeyManager keys, SystemTraderService memoryOf,
                                             boolean redis, boolean database, boolean rest) {
        return ProviderSetup.builder(config, keys, Map.of(), memoryOf == null ? null : memoryOf.memoryCache(),
                new ProviderSetup.Tiers(redis, database, rest), null).sources(DataSource.POLYGON).build();
    }

    private static Map<String, RealtimeDataProvider> ordered(Object... nameThenProvider) {
        Map<String, RealtimeDataProvider> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenProvider.length; i += 2) {
            m.put((String) nameThenProvider[i], (RealtimeDataProvider) nameThenProvider[i + 1]);
        }
        return m;
    }
}
