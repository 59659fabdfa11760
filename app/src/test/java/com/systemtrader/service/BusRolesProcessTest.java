package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.bus.KafkaTestBroker;
import com.systemtrader.cli.CliTestSupport;
import com.systemtrader.cache.RedisKeys;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The scale-out roles as separate processes: one {@code run --role collector} (the simulator's Polygon feed into
 * Kafka), two {@code run --role store} (one consumer group writing PostgreSQL), one {@code run --role cache} (its own
 * group writing Redis) and one {@code run --role api}, against a real KRaft broker, PostgreSQL and Redis. One store
 * process is SIGKILLed in the middle of the stream; the group rebalances its partitions to the other, which reads
 * again from the committed offsets what the killed one had not committed. Afterwards {@code websocket_data} holds
 * exactly the trades and quotes the simulator wrote to the socket, each once, Redis holds the same trades, and the
 * api process answers the latest price from Redis. (No staleness watchdog: the market's stall at the end would
 * otherwise reconnect and backfill trades the simulator never sent.)
 */
class BusRolesProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @Test void aStoreKilledMidStreamLosesAndDoublesNothing() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        List<String> symbols = List.of("AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "META");
        try (KafkaTestBroker broker = new KafkaTestBroker(dir.resolve("kafka")).start();
             TestDatabase db = TestDatabase.migrated(); RedisTestServer redis = RedisTestServer.start();
             ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(17, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(2_000)
                     .truthFile(truth).build())) {
            try (RoleProcesses roles = new RoleProcesses(dir, sim, db, redis, broker, "roles", symbols,
                    "session_timeout_seconds: 10")) {
                for (String name : List.of("store-1", "store-2", "cache", "api", "collector")) {
                    roles.start(name, name.replaceAll("-\\d$", ""));
                }
                RunProcess.awaitReady(roles.port("collector"), Duration.ofSeconds(60));
                // both stores hold partitions and wrote rows
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                        consumed(roles, "store-1") > 0 && consumed(roles, "store-2") > 0
                                && RoleProcesses.rows(db) >= 3_000);
                long survivorBefore = consumed(roles, "store-2");
                roles.process("store-1").destroyForcibly(); // SIGKILL: no drain, no offset commit, no group leave
                assertThat(roles.process("store-1").waitFor(30, TimeUnit.SECONDS)).isTrue();
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
                    return RoleProcesses.rows(db, "trade", "quote") >= sent.trades().size() + sent.quotes().size()
                            && redisTrades(redis, symbols).size() >= sent.trades().size();
                });
                assertThat(consumed(roles, "store-2")).as("the survivor read the killed store's partitions")
                        .isGreaterThan(survivorBefore);
                // bus status: every partition's end committed by the store group (all of it is in the database)
                CliTestSupport.Run status = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> CliTestSupport.run("bus", "status", "--config",
                                roles.config("store-2").toString()), r -> r.exitCode() == 0
                                && r.out().contains("group:    systemtrader-store: STABLE, 1 member, lag 0"));
                assertThat(status.out()).contains("roles.trades", "roles.quotes", "roles.bars",
                        "systemtrader-cache: STABLE, 1 member");
                // every bus meter the docs name is exported by one of the roles
                java.util.Set<String> exported = new java.util.HashSet<>();
                for (String name : List.of("collector", "store-2", "cache")) {
                    for (PrometheusText.Family f : PrometheusText.parse(roles.get(name, "/metrics")).values()) {
                        exported.add(f.name());
                        f.samples().forEach(x -> exported.add(x.name()));
                    }
                }
                java.util.Set<String> named = new TreeSet<>();
                for (String[] span : com.systemtrader.docs.DocReferences.spans()) {
                    for (String token : span[0].split("[\\s{(=,]+")) {
                        if (token.matches("bus_[a-z0-9_]+")) named.add(token + " (" + span[1] + ")");
                    }
                }
                assertThat(named).as("bus meters the docs name").hasSizeGreaterThan(5);
                assertThat(named).as("bus meters the docs name that no role exports")
                        .allMatch(n -> exported.contains(n.substring(0, n.indexOf(' '))));
                // the api role answers from Redis (its own memory holds nothing: it collects and consumes nothing)
                JsonNode price = JSON.readTree(roles.get("api", "/api/price?symbol=AAPL&max_age=3600"));
                assertThat(price.path("symbol").asText()).isEqualTo("AAPL");
                assertThat(price.path("provenance").path("tier").asText()).as(price.toString()).isEqualTo("redis");
                for (String name : List.of("collector", "store-2", "cache", "api")) {
                    Process p = roles.process(name);
                    p.destroy(); // SIGTERM: drain
                    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(name + " stops").isTrue();
                    assertThat(p.exitValue()).as(name + ": " + Files.readString(roles.log(name))).isZero();
                }
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

    private static long consumed(RoleProcesses roles, String name) throws Exception {
        return roles.bus(name).path("consumed").asLong();
    }
}
