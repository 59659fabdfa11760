package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.cache.RedisKeys;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code ./system-trader run} as its own process (the command line's {@code Main}, this build's class path) against
 * the simulator, a real PostgreSQL and a real Redis, stopped with <b>SIGTERM in the middle of the stream</b>: the
 * stop sends a WebSocket close and keeps delivering until the server's close reply, then drains the caches and the
 * writer. Afterwards the database holds exactly the trades and quotes the simulator wrote to the socket, and the
 * Redis series hold the same number of trades per symbol.
 */
class RunSigtermGroundTruthTest {
    @TempDir Path dir;

    @Test void sigtermMidStreamLosesNothing() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        List<String> symbols = List.of("AAPL", "MSFT");
        Path log = dir.resolve("run.log");
        int exit;
        Map<String, PrometheusText.Family> metrics;
        try (TestDatabase db = TestDatabase.create(); RedisTestServer redis = RedisTestServer.start()) {
            try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                    MarketConfig.defaults(11, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(2_000)
                    .truthFile(truth).build())) {
                Process p = RunProcess.start(RunProcess.config(dir, sim, db, redis, symbols), dir, log);
                try {
                    int httpPort = RunProcess.awaitStartLine(p, log, Duration.ofSeconds(60));
                    RunProcess.awaitReady(httpPort, Duration.ofSeconds(30));
                    // streaming, writing to PostgreSQL and Redis: 6,000 messages on the socket (3 s at 2,000 a
                    // second) and rows stored
                    long sentAtReady = sim.stats().dataMessages.sum();
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> sim.stats()
                            .dataMessages.sum() >= sentAtReady + 6_000 && storedRows(db) > 0);
                    JsonNode health = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest
                            .newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    assertThat(health.path("status").asText()).isEqualTo("up");
                    JsonNode parts = health.path("components");
                    assertThat(parts.path("polygon/stocks").path("state").asText()).isEqualTo("STREAMING");
                    assertThat(parts.path("storage").path("state").asText()).isIn("WRITING", "CATCHING_UP");
                    assertThat(parts.path("storage").path("events_lost").asLong()).isZero();
                    assertThat(parts.path("redis").path("state").asText()).isEqualTo("CONNECTED");
                    metrics = PrometheusText.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    p.destroy(); // SIGTERM, in the middle of the stream
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
                    exit = p.exitValue();
                } finally {
                    p.destroyForcibly();
                }
            } // the simulator flushes its truth file
            String output = Files.readString(log);
            assertThat(exit).as("exit code after SIGTERM: %s", output).isZero();
            assertThat(output).contains("system-trader stopping", "system-trader stopped: ");
            // every component's meters, parsed as Prometheus text: queue depths, drops, latencies, gaps, runs
            assertThat(metrics).containsKeys("collector_messages_total", "collector_ring_depth",
                    "collector_ring_dropped_total", "collector_latency_seconds", "collector_gaps_total",
                    "collector_sequence_gaps_total", "cleaner_messages_total", "cleaner_rule_total",
                    "bars_published_total", "cache_redis_queue_depth", "cache_redis_dropped_total",
                    "cache_redis_written_total", "storage_writer_queue_depth", "storage_writer_rows_total",
                    "storage_writer_lost_events_total", "storage_journal_batches_pending",
                    "storage_maintenance_runs_total");
            assertThat(metrics.get("collector_messages_total").type()).isEqualTo("counter");
            assertThat(metrics.get("storage_writer_rows_total").samples().get(0).value()).isPositive();
            // a histogram: buckets, count and sum, no quantile gauges (promtool rejects those)
            assertThat(metrics.get("collector_latency_seconds").type()).isEqualTo("histogram");
            assertThat(metrics.get("collector_latency_seconds").samples()).extracting(s -> s.name())
                    .contains("collector_latency_seconds_bucket", "collector_latency_seconds_count",
                            "collector_latency_seconds_sum");
            assertThat(metrics.get("collector_latency_seconds").samples())
                    .noneMatch(s -> s.labels().containsKey("quantile"));
            try (Connection c = db.connect()) {
                StoredTicks.Truth sent = StoredTicks.assertStoredExactly(truth, c);
                assertThat(sent.trades()).hasSizeGreaterThan(1_000);
                RedisKeys keys = new RedisKeys(redis.prefix);
                try (Jedis j = redis.jedis(); Statement s = c.createStatement()) {
                    for (String sym : symbols) {
                        try (ResultSet r = s.executeQuery("SELECT count(*) FROM websocket_data WHERE data_type = "
                                + "'trade' AND symbol = '" + sym + "'")) {
                            r.next();
                            assertThat(j.zcard(keys.series(SeriesKey.of(DataSource.POLYGON, sym, RecordType.TRADE))))
                                    .as("Redis trades of %s flushed at stop", sym).isEqualTo(r.getLong(1));
                        }
                    }
                }
            }
        }
    }

    private static long storedRows(TestDatabase db) throws java.sql.SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM websocket_data")) {
            r.next();
            return r.getLong(1);
        }
    }
}
