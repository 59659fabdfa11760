package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.bus.KafkaTestBroker;
import com.systemtrader.cache.RedisKeys;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The scale-out roles as separate processes: one {@code run --role collector} (the simulator's Polygon feed into
 * Kafka), two {@code run --role store} (one consumer group writing PostgreSQL) and one {@code run --role cache} (its
 * own group writing Redis), against a real KRaft broker, PostgreSQL and Redis. One store process is SIGKILLed in the
 * middle of the stream; the group rebalances its partitions to the other, which reads again from the committed
 * offsets what the killed one had not committed. Afterwards {@code websocket_data} holds exactly the trades and
 * quotes the simulator wrote to the socket, each once, and Redis holds the same trades. (No staleness watchdog: the
 * market's stall at the end would otherwise reconnect and backfill trades the simulator never sent.)
 */
class BusRolesProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir Path dir;

    @Test void aStoreKilledMidStreamLosesAndDoublesNothing() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        List<String> symbols = List.of("AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "META");
        Map<String, Process> processes = new LinkedHashMap<>();
        try (KafkaTestBroker broker = new KafkaTestBroker(dir.resolve("kafka")).start();
             TestDatabase db = TestDatabase.migrated(); RedisTestServer redis = RedisTestServer.start();
             ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(17, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(2_000)
                     .truthFile(truth).build())) {
            broker.createTopics(3, "roles.trades", "roles.quotes", "roles.bars");
            try {
                Map<String, Integer> ports = new LinkedHashMap<>();
                for (String name : List.of("store-1", "store-2", "cache", "collector")) {
                    String role = name.replaceAll("-\\d$", "");
                    Path config = config(name, role, sim, db, redis, broker, symbols);
                    Path log = dir.resolve(name + ".log");
                    List<String> cmd = new ArrayList<>(RunProcess.command(config, dir));
                    cmd.addAll(List.of("--role", role));
                    Process p = RunProcess.start(config, dir, log, new ProcessBuilder(cmd));
                    processes.put(name, p);
                    ports.put(name, RunProcess.awaitStartLine(p, log, Duration.ofSeconds(90)));
                }
                RunProcess.awaitReady(ports.get("collector"), Duration.ofSeconds(60));
                // both stores hold partitions and wrote rows
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                        consumed(ports.get("store-1")) > 0 && consumed(ports.get("store-2")) > 0 && rows(db) >= 3_000);
                long survivorBefore = consumed(ports.get("store-2"));
                processes.get("store-1").destroyForcibly(); // SIGKILL: no drain, no offset commit, no group leave
                assertThat(processes.get("store-1").waitFor(30, TimeUnit.SECONDS)).isTrue();
                // the market goes on: 6,000 more messages on the socket (3 s at 2,000 a second), then it stops
                long sentAtKill = sim.stats().dataMessages.sum();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> sim.stats().dataMessages.sum() >= sentAtKill + 6_000);
                sim.faults().stall(Duration.ofMinutes(10));
                // the survivor takes the killed store's partitions once the group notices (session timeout) and
                // stores everything; the cache group writes Redis
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    sim.flushTruth();
                    StoredTicks.Truth sent = StoredTicks.Truth.read(truth);
                    return tickRows(db) >= sent.trades().size() + sent.quotes().size()
                            && redisTrades(redis, symbols).size() >= sent.trades().size();
                });
                assertThat(consumed(ports.get("store-2"))).as("the survivor read the killed store's partitions")
                        .isGreaterThan(survivorBefore);
                // bus status: every partition's end committed by the store group (all of it is in the database)
                com.systemtrader.cli.CliTestSupport.Run status = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> com.systemtrader.cli.CliTestSupport.run(
                                "bus", "status", "--config", dir.resolve("store-2.yaml").toString()),
                                r -> r.exitCode() == 0 && r.out().contains("group:    systemtrader-store: STABLE, 1 member, lag 0"));
                assertThat(status.out()).contains("roles.trades", "roles.quotes", "roles.bars",
                        "systemtrader-cache: STABLE, 1 member");
                for (String name : List.of("collector", "store-2", "cache")) {
                    Process p = processes.get(name);
                    p.destroy(); // SIGTERM: drain
                    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(name + " stops").isTrue();
                    assertThat(p.exitValue()).as(name + ": " + Files.readString(dir.resolve(name + ".log")))
                            .isZero();
                }
            } finally {
                for (Process p : processes.values()) p.destroyForcibly();
            }
            sim.flushTruth();
            try (Connection c = db.connect()) {
                StoredTicks.Truth sent = StoredTicks.assertStoredExactly(truth, c);
                assertThat(sent.trades()).hasSizeGreaterThan(3_000);
                Set<String> expectedRedis = new TreeSet<>();
                for (String t : sent.trades()) expectedRedis.add(withoutTrf(t));
                List<String> inRedis = redisTrades(redis, symbols);
                assertThat(new HashSet<>(inRedis)).as("no trade twice in Redis").hasSize(inRedis.size());
                assertThat(new TreeSet<>(inRedis)).as("Redis holds the trades the simulator sent").isEqualTo(expectedRedis);
            }
        }
    }

    /** A trade identity symbol/exchange/trf/id without the TRF id (Redis members do not carry it when absent). */
    private static String withoutTrf(String id) {
        String[] p = id.split("/");
        return p[0] + "/" + p[1] + "/" + p[3];
    }

    /** Every Polygon trade in the Redis series, as symbol/exchange/id. */
    private static List<String> redisTrades(RedisTestServer redis, List<String> symbols) throws Exception {
        RedisKeys keys = new RedisKeys(redis.prefix);
        List<String> out = new ArrayList<>();
        try (Jedis j = redis.jedis()) {
            for (String sym : symbols) {
                for (String m : j.zrange(keys.series(SeriesKey.of(DataSource.POLYGON, sym, RecordType.TRADE)), 0, -1)) {
                    JsonNode n = JSON.readTree(m);
                    out.add(sym + "/" + n.path("x").asInt() + "/" + n.path("i").asText());
                }
            }
        }
        return out;
    }

    private static long consumed(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("components").path("bus").path("consumed").asLong();
    }

    private static long rows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM websocket_data")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static long tickRows(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FROM websocket_data WHERE data_type IN ('trade', 'quote')")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    /** One process's config: its role's settings, its own journals, the shared broker, database and Redis. */
    private Path config(String name, String role, ExchangeSimulator sim, TestDatabase db, RedisTestServer redis,
                        KafkaTestBroker broker, List<String> symbols) throws java.io.IOException {
        String yaml = """
                polygon:
                  websocket:
                    url: ws://127.0.0.1:%1$d/stocks
                    channels: [T, Q]
                    symbols: [%2$s]
                    stale_data_seconds: 0
                  rest:
                    url: http://127.0.0.1:%1$d
                alpaca:
                  websocket:
                    enabled: false
                storage:
                  url: %3$s
                  user: postgres
                  journal_dir: %4$s
                  maintenance_enabled: false
                redis:
                  enabled: true
                  url: redis://127.0.0.1:%5$d
                  prefix: %6$s
                service:
                  http_port: 0
                  role: %7$s
                bus:
                  bootstrap_servers: %8$s
                  trades_topic: roles.trades
                  quotes_topic: roles.quotes
                  bars_topic: roles.bars
                  journal_dir: %9$s
                """.formatted(sim.port(), String.join(", ", symbols), db.url, dir.resolve(name + "-journal"),
                redis.port, redis.prefix, role, broker.bootstrapServers(), dir.resolve(name + "-bus-journal"));
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }
}
