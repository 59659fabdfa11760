package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./system-trader run} as its own process at <b>50,000 messages a second</b>, stopped with SIGTERM while it
 * has a backlog: its database was stopped for a while, so the journal holds what arrived meanwhile and the writer
 * is replaying it when the signal comes. The process must exit 0 within its drain deadline
 * ({@code storage.shutdown_drain_seconds}) plus the collectors' close handshake, without exceptions, and a second
 * {@code run} (with the market closed) must replay what the first left in the journal, so that the database ends
 * equal to what the simulator sent, row for row.
 */
class RunSigtermBacklogTest {
    private static final int DRAIN_SECONDS = 5;

    @TempDir Path dir;

    @Test void sigtermWithABacklogExitsWithinTheDeadlineAndTheRestartCompletesTheDatabase() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Path pgData = dir.resolve("pgdata");
        int pgPort = ThrowawayPostgres.freePort();
        EmbeddedPostgres pg = ThrowawayPostgres.start(pgData, pgPort);
        List<String> symbols = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL");
        try {
            Path log1 = dir.resolve("run1.log");
            long stopNanos;
            int exit;
            try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                    MarketConfig.defaults(31, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(50_000)
                    .truthFile(truth).build())) {
                Path config = writeConfig(sim.port(), pgPort, symbols);
                Process p = RunProcess.start(config, dir, log1);
                try {
                    int http = RunProcess.awaitStartLine(p, log1, Duration.ofSeconds(60));
                    RunProcess.awaitReady(http, Duration.ofSeconds(30));
                    awaitMetric(http, "storage_writer_rows_total", v -> v > 20_000, Duration.ofSeconds(60));
                    pg.close(); // the backlog: what arrives now goes to the journal
                    awaitMetric(http, "storage_journal_batches_pending", v -> v > 20, Duration.ofSeconds(60));
                    pg = ThrowawayPostgres.start(pgData, pgPort); // the writer starts replaying within its back-off
                    awaitMetric(http, "storage_writer_replayed_total", v -> v > 0, Duration.ofSeconds(60));
                    stopNanos = System.nanoTime();
                    p.destroy(); // SIGTERM while replaying, with the stream still at full rate
                    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
                    stopNanos = System.nanoTime() - stopNanos;
                    exit = p.exitValue();
                } finally {
                    p.destroyForcibly();
                }
            } // the market closes; the truth file is complete
            String out1 = Files.readString(log1);
            assertThat(exit).as("exit code after SIGTERM: %s", tail(out1)).isZero();
            assertThat(Duration.ofNanos(stopNanos)).as("stop time").isLessThan(Duration.ofSeconds(DRAIN_SECONDS + 25));
            assertThat(out1).doesNotContain("Exception", "listener threw", "did not stop within", "FAILED");
            assertThat(out1).contains("system-trader stopped");

            // the restart: no market, only the journal to replay
            Path log2 = dir.resolve("run2.log");
            Process p2 = RunProcess.start(writeConfig(ThrowawayPostgres.freePort(), pgPort, symbols), dir, log2);
            try {
                int http = RunProcess.awaitStartLine(p2, log2, Duration.ofSeconds(60));
                awaitMetric(http, "storage_journal_batches_pending", v -> v == 0, Duration.ofSeconds(180));
                p2.destroy();
                assertThat(p2.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p2.exitValue()).as("second run: %s", tail(Files.readString(log2))).isZero();
            } finally {
                p2.destroyForcibly();
            }
            try (Connection c = ThrowawayPostgres.connect(pgPort)) {
                StoredTicks.Truth sent = StoredTicks.assertStoredExactly(truth, c);
                assertThat(sent.trades().size() + sent.quotes().size()).isGreaterThan(100_000);
            }
            assertThat(Files.readString(log2)).doesNotContain("DATA LOST");
        } finally {
            pg.close();
        }
    }

    interface ValueTest {
        boolean holds(double value);
    }

    /**
     * Polls the run's /metrics until the sum of a family's samples satisfies {@code test} (an I/O error: the run is
     * starting; a missing family: not registered yet).
     */
    private static void awaitMetric(int port, String family, ValueTest test, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> {
                    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    PrometheusText.Family f = PrometheusText.parse(body).get(family);
                    assertThat(f).as(family).isNotNull();
                    double sum = f.samples().stream().mapToDouble(PrometheusText.Sample::value).sum();
                    assertThat(sum).as(family).matches(test::holds, "the expected value");
                });
    }

    private Path writeConfig(int simPort, int pgPort, List<String> symbols) throws IOException {
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
                data:
                  bars:
                    mode: off
                storage:
                  url: jdbc:postgresql://127.0.0.1:%3$d/postgres
                  user: postgres
                  journal_dir: %4$s
                  shutdown_drain_seconds: %5$d
                  maintenance_enabled: false
                service:
                  http_port: 0
                """.formatted(simPort, String.join(", ", symbols), pgPort, dir.resolve("journal"), DRAIN_SECONDS);
        return Files.writeString(dir.resolve("collector_config.yaml"), yaml);
    }

    private static String tail(String s) {
        return s.length() <= 4_000 ? s : s.substring(s.length() - 4_000);
    }
}
