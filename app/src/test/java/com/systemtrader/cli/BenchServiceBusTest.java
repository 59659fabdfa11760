package com.systemtrader.cli;

import static com.systemtrader.cli.CliTestSupport.args;
import static com.systemtrader.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.bus.KafkaTestBroker;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-service --bus} end to end, short and slow: the simulator, {@code run --role collector} and
 * {@code run --role store} as child JVMs against a real KRaft broker ({@link KafkaTestBroker}) and a fresh
 * PostgreSQL database, 5 s at 2,000 msg/s: every event the simulator sent is stored exactly once, the lag figures
 * (collector receive to store commit) are there (not their values: the machine is shared), and the rate's topics
 * are deleted afterwards.
 */
class BenchServiceBusTest {
    @TempDir Path dir;

    @Test void busModeStoresEverySentEventOnceAndReportsTheLag() throws Exception {
        String server;
        try (TestDatabase probe = TestDatabase.create()) { // the server the tests use (local, or embedded)
            server = probe.url.substring(0, probe.url.lastIndexOf('/') + 1);
        }
        try (KafkaTestBroker broker = new KafkaTestBroker(dir.resolve("kafka")).start()) {
            Path json = dir.resolve("result.json");
            CliTestSupport.Run r = run(args("bench-service", "--bus", broker.bootstrapServers(), "--bus-partitions", 3,
                    "--rates", 2_000, "--warmup", 0, "--duration", 5, "--symbols", "AAPL,MSFT", "--pg-server", server,
                    "--work-dir", dir.resolve("work"), "--json", json, "--child-java-opts", "-Xmx512m",
                    "--drain-timeout", 120));

            assertThat(r.exitCode()).as(r.all()).isZero();
            JsonNode s = new ObjectMapper().readTree(json.toFile()).path("summary").path(0);
            assertThat(s.path("rate").asLong()).isEqualTo(2_000);
            assertThat(s.path("mode").asText()).startsWith("bus");
            assertThat(s.path("missing").asLong(-1)).as(r.all()).isZero();
            assertThat(s.path("duplicates").asLong(-1)).as(r.all()).isZero();
            assertThat(s.path("drained").asBoolean()).as(r.all()).isTrue();
            assertThat(s.path("lag_p50_seconds").isNumber()).as("lag p50 present").isTrue();
            assertThat(s.path("lag_p99_seconds").isNumber()).as("lag p99 present").isTrue();
            assertThat(s.path("lag_p99_seconds").asDouble()).isGreaterThanOrEqualTo(s.path("lag_p50_seconds").asDouble());
            JsonNode run = new ObjectMapper().readTree(json.toFile()).path("runs").path(0);
            assertThat(run.path("eventsReceived").asLong()).as("events received").isGreaterThan(5_000);
            assertThat(run.path("processCpuSeconds").has("collector")).isTrue();
            assertThat(run.path("processCpuSeconds").has("store")).isTrue();
            assertThat(run.path("busFigures").path("consumed").asDouble())
                    .isGreaterThanOrEqualTo(run.path("busFigures").path("published").asDouble()).isPositive();
            try (Admin admin = broker.admin()) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                        assertThat(admin.listTopics().names().get()).as("the rate's topics are deleted")
                                .noneMatch(t -> t.startsWith("bench-service-")));
            }
        }
    }
}
