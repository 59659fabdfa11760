package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.data.ProviderSetup;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.data.Tier;
import com.systemtrader.data.TickPage;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A time range of trades that spans every tier returns exactly the simulator's truth, each trade once, across page
 * boundaries: memory holds the newest 300 trades, Redis the newest 1,500, the database everything since the service
 * started but its oldest 2,500 (deleted here, as retention or a lost partition would), and the simulator's REST API
 * the history, so the range is split four ways.
 */
class ServiceTradeRangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYM = "AAPL";

    @TempDir Path dir;

    @Test void aRangeAcrossEveryTierIsTheTruthEachTradeOnce() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(17, List.of(SYM)).withHalts(0)).rate(800).truthFile(truth).build());
             TestDatabase db = TestDatabase.create();
             RedisTestServer redis = RedisTestServer.start()) {
            String yaml = ServiceTestSupport.yaml(dir, sim, db.url, redis, List.of("T"), List.of("AAPL"),
                    "stale_data_seconds: 0", "max_entries: 1500") + """
                    cache:
                      memory_max_entries: 300
                    """;
            CollectorConfig config = ServiceTestSupport.config(dir, yaml);
            APIKeyManager keys = ServiceTestSupport.simulatorKeys(dir);
            try (SystemTraderService service = SystemTraderService.start(config, keys, Map.of());
                 RealtimeDataProvider redisOnly = ProviderSetup.builder(config, keys, Map.of(), null,
                         new ProviderSetup.Tiers(true, false, false), null).sources(DataSource.POLYGON).build()) {
                WebsocketCollector collector = service.collectors().values().iterator().next();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
                // enough trades that the database holds more than Redis holds more than memory, and 400 to delete
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> service.storageWriter().rowsWritten() > 6_000);
                sim.faults().stall(Duration.ofMinutes(10)); // the market stops; what was sent is received and kept
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> collector.qualityReport().received() == ServiceTestSupport.truthLines(sim, truth));
                List<Sent> sent = sentTrades(truth);
                long first = sent.stream().mapToLong(Sent::ns).min().orElseThrow();
                long last = sent.stream().mapToLong(Sent::ns).max().orElseThrow();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> service.storageWriter().idle() && newestIn(redisOnly, first, last) == last);

                // the database loses its oldest 2,500 trades: the oldest part of the range is REST's
                db.exec("DELETE FROM websocket_data WHERE ctid IN (SELECT ctid FROM websocket_data"
                        + " WHERE symbol = 'AAPL' AND data_type = 'trade' ORDER BY time LIMIT 2500)");

                // the range starts where the stream began: late trades (TRF, out of sequence) carry times up to
                // seconds old, so the oldest trade sent is older than market trades printed before the service
                // subscribed, which REST has and the stream never sent. Every trade printed after the subscription
                // was sent, and a trade's time is never after it was printed: the newest time among the first
                // trades sent is past the subscription
                long fromNs = sent.stream().limit(20).mapToLong(Sent::ns).max().orElseThrow();
                Instant from = Instant.ofEpochSecond(0, fromNs), to = Instant.ofEpochSecond(0, last + 1);
                List<String> got = new ArrayList<>();
                Set<Tier> tiers = EnumSet.noneOf(Tier.class);
                String cursor = null;
                int pages = 0;
                do {
                    TickPage page = service.provider().getTrades(SYM, from, to, DataSource.POLYGON, 250, cursor);
                    for (MarketEvent e : page.events()) got.add(identity((Trade) e));
                    page.parts().stream().filter(p -> p.events() > 0).forEach(p -> tiers.add(p.tier()));
                    cursor = page.nextCursor();
                    pages++;
                } while (cursor != null);
                List<String> expected = sent.stream().filter(t -> t.ns() >= fromNs).map(Sent::identity).toList();
                assertThat(new HashSet<>(got)).as("no trade twice").hasSize(got.size());
                assertThat(got).as("the truth, in time order").containsExactlyInAnyOrderElementsOf(expected);
                assertThat(tiers).as("every tier answered a part").containsExactlyInAnyOrder(Tier.MEMORY, Tier.REDIS,
                        Tier.DATABASE, Tier.REST);
                assertThat(pages).isGreaterThan(expected.size() / 250);

                // the same over HTTP, pages of 1,000 followed by their cursors
                List<String> overHttp = new ArrayList<>();
                String next = null;
                do {
                    String q = "/api/trades?symbol=AAPL&source=polygon&limit=1000&start=" + from + "&end=" + to
                            + (next == null ? "" : "&cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
                    JsonNode page = JSON.readTree(ServiceTestSupport.get(service, q));
                    for (JsonNode e : page.path("events")) overHttp.add(e.path("id").asText());
                    next = page.has("next_cursor") ? page.path("next_cursor").asText() : null;
                } while (next != null);
                assertThat(overHttp).hasSize(expected.size()).doesNotHaveDuplicates();
            }
        }
    }

    /** A trade the simulator sent, as the truth file lists it. */
    private record Sent(long ns, String identity) {}

    private static List<Sent> sentTrades(Path truth) throws Exception {
        List<Sent> out = new ArrayList<>();
        for (String line : Files.readAllLines(truth)) {
            JsonNode l = JSON.readTree(line);
            if (l.has("anomaly") || !l.has("event")) continue;
            JsonNode e = l.path("event");
            if (!"T".equals(e.path("ev").asText())) continue;
            out.add(new Sent(e.path("t").asLong() * 1_000_000L, e.path("sym").asText() + "/" + e.path("x").asInt()
                    + "/" + e.path("trfi").asInt(-1) + "/" + e.path("i").asText()));
        }
        return out;   // in the order sent
    }

    private static String identity(Trade t) {
        return t.symbol() + "/" + t.exchange() + "/" + (Absent.isAbsent(t.trfId()) ? -1 : t.trfId()) + "/" + t.tradeId();
    }

    /** The newest trade time Redis alone holds in the range (its writer has caught up when it is the last sent). */
    private static long newestIn(RealtimeDataProvider redisOnly, long first, long last) {
        TickPage p = redisOnly.getTrades(SYM, Instant.ofEpochSecond(0, last), Instant.ofEpochSecond(0, last + 1),
                DataSource.POLYGON, 10_000, null);
        return p.events().isEmpty() ? first - 1 : p.events().getLast().eventTimeNs();
    }
}
