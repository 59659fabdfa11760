package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.StorageWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service (both threads of each collector, the storage intake and writer, the journal) against the
 * simulator's ground truth while its own PostgreSQL server is <b>stopped</b> mid-stream, compared row by row with
 * what the simulator sent:
 * <ul>
 *   <li>a 90 s outage: nothing lost, nothing duplicated, the collector never stalls (one connection throughout),
 *       {@code /health} says the database is down and {@code /ready} turns 503 once the outage passes its bound;</li>
 *   <li>an outage that outlasts the journal's disk budget: exactly the events counted lost are missing, nothing
 *       else, and {@code /ready} says data is being lost.</li>
 * </ul>
 * The server is an embedded PostgreSQL on its own data directory and port (the machine's shared server is never
 * stopped), restarted on the same directory.
 */
class ServiceDatabaseOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA");
    private static final int RATE = 5_000;

    @TempDir Path dir;

    @Test void aNinetySecondOutageLosesNothingAndTheCollectorNeverStalls() throws Exception {
        run(Duration.ofSeconds(90), 4_096, (service, http) -> {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> service.storageWriter().state() == StorageWriter.State.DATABASE_DOWN);
            JsonNode health = JSON.readTree(get(http, "/health").body());
            assertThat(health.path("components").path("storage").path("state").asText()).isEqualTo("DATABASE_DOWN");
            // ready_max_outage_seconds is 5 in this test's configuration
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> get(http, "/ready").statusCode() == 503);
            assertThat(get(http, "/ready").body()).contains("database not answering");
        }, (service, truth, c) -> {
            StoredTicks.Diff d = StoredTicks.compare(truth, c);
            assertThat(d).as("stored = sent").isEqualTo(new StoredTicks.Diff(0, 0, 0, 0));
            assertThat(service.storageWriter().eventsLost()).isZero();
            assertThat(service.storageWriter().batchesSpilled()).as("the outage went to the journal").isPositive();
        });
    }

    @Test void whenTheJournalBudgetRunsOutExactlyTheCountedLossesAreMissing() throws Exception {
        run(Duration.ofSeconds(30), 1, (service, http) -> {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> service.storageWriter().eventsLost() > 0);
            HttpResponse<String> ready = get(http, "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("losing data");
        }, (service, truth, c) -> {
            StoredTicks.Diff d = StoredTicks.compare(truth, c);
            assertThat(d.duplicates()).isZero();
            assertThat(d.extras()).isZero();
            assertThat((long) d.missing()).as("missing rows = counted losses").isPositive()
                    .isEqualTo(service.storageWriter().eventsLost());
        });
    }

    interface DuringOutage {
        void check(SystemTraderService service, int httpPort) throws Exception;
    }

    interface Afterwards {
        void check(SystemTraderService service, StoredTicks.Truth truth, Connection c) throws Exception;
    }

    private void run(Duration outage, int journalBudgetMb, DuringOutage during, Afterwards after) throws Exception {
        Path pgData = dir.resolve("pgdata");
        int pgPort = ThrowawayPostgres.freePort();
        EmbeddedPostgres pg = ThrowawayPostgres.start(pgData, pgPort);
        Path truthFile = dir.resolve("truth.jsonl");
        try {
            ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                    MarketConfig.defaults(23, SYMBOLS).withBarIntervalMs(1_000).withHalts(0)).rate(RATE)
                    .truthFile(truthFile).build());
            CollectorConfig config = ConfigLoader.load(writeConfig(sim, pgPort, journalBudgetMb), Map.of());
            APIKeyManager keys = APIKeyManager.load(dir.resolve("none.yaml"),
                    Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY), Clock.systemUTC());
            try (SystemTraderService service = SystemTraderService.start(config, keys, Map.of())) {
                WebsocketCollector collector = service.collectors().values().iterator().next();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(30))).isTrue();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> service.storageWriter().rowsWritten() > 1_000);

                pg.close(); // pg_ctl stop: the writer's connections break, new ones are refused
                long stoppedAt = System.nanoTime();
                during.check(service, service.httpPort());
                long left = outage.toNanos() - (System.nanoTime() - stoppedAt);
                // the scenario's duration (the server stays down this long), not a wait for a condition
                if (left > 0) Thread.sleep(left / 1_000_000);
                pg = ThrowawayPostgres.start(pgData, pgPort);

                sim.close(); // the market ends; everything sent before the close reaches the collector
                StoredTicks.Truth truth = StoredTicks.Truth.read(truthFile);
                StorageWriter writer = service.storageWriter();
                try {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                            .until(() -> writer.idle() && converged(truth, pgPort, writer.eventsLost()));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + ": writer " + writer.state() + ", in flight "
                            + writer.eventsInFlight() + ", journal batches " + service.journal().batchesPending()
                            + ", lost " + writer.eventsLost() + ", stored vs sent " + diff(truth, pgPort), e);
                }
                assertThat(collector.stats().outages()).as("one WebSocket connection until the market closed")
                        .isLessThanOrEqualTo(1);
                assertThat(collector.stats().ringDropped()).as("the collector never fell behind").isZero();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !get(service.httpPort(), "/ready").body().contains("database not answering")
                                && !get(service.httpPort(), "/health").body().contains("DATABASE_DOWN"));
                try (Connection c = ThrowawayPostgres.connect(pgPort)) {
                    assertThat(truth.trades()).hasSizeGreaterThan(10_000);
                    after.check(service, truth, c);
                }
            }
        } finally {
            pg.close();
        }
    }

    private static String diff(StoredTicks.Truth truth, int pgPort) {
        try (Connection c = ThrowawayPostgres.connect(pgPort)) {
            return StoredTicks.compare(truth, c).toString();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    /** True when every sent tick is stored or counted lost. */
    private static boolean converged(StoredTicks.Truth truth, int pgPort, long lost) {
        try (Connection c = ThrowawayPostgres.connect(pgPort)) {
            return StoredTicks.compare(truth, c).missing() <= lost;
        } catch (SQLException notYet) {
            return false;
        }
    }

    private Path writeConfig(ExchangeSimulator sim, int pgPort, int journalBudgetMb) throws IOException {
        String yaml = """
                polygon:
                  websocket:
                    url: ws://127.0.0.1:%d/stocks
                    channels: [T, Q]
                    symbols: [%s]
                    stale_data_seconds: 0
                  rest:
                    url: http://127.0.0.1:%d
                alpaca:
                  websocket:
                    enabled: false
                data:
                  bars:
                    mode: off
                storage:
                  url: jdbc:postgresql://127.0.0.1:%d/postgres
                  user: postgres
                  journal_dir: %s
                  journal_budget_mb: %d
                  ready_max_outage_seconds: 5
                  maintenance_enabled: false
                service:
                  http_port: 0
                """.formatted(sim.port(), String.join(", ", SYMBOLS), sim.port(), pgPort, dir.resolve("journal"),
                journalBudgetMb);
        return Files.writeString(dir.resolve("collector_config.yaml"), yaml);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
