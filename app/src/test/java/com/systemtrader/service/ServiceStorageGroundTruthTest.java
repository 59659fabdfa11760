package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service against the simulator's ground truth, with its own PostgreSQL server that is <b>stopped for 30
 * seconds</b> in the middle of the stream: afterwards {@code websocket_data} holds exactly the trades and quotes the
 * simulator wrote to the socket, row for row, without duplicates. While the server is away batches go to the spill
 * journal; after it is back the journal is replayed in order.
 *
 * <p>The server is an embedded PostgreSQL 15 on its own data directory and port (the machine's shared server must
 * not be stopped), restarted on the same directory, so what was committed before the stop survives it as it would
 * on a real server.
 */
class ServiceStorageGroundTruthTest {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir Path dir;

    @Test void storedTicksEqualTheGroundTruthAfterTheDatabaseWasStoppedFor30Seconds() throws Exception {
        Path pgData = dir.resolve("pgdata");
        int pgPort = ThrowawayPostgres.freePort();
        EmbeddedPostgres pg = ThrowawayPostgres.start(pgData, pgPort);
        Path truth = dir.resolve("truth.jsonl");
        List<String> symbols = List.of("AAPL", "MSFT");
        long outageRows;
        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                MarketConfig.defaults(7, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(1_500).truthFile(truth)
                .build())) {
            CollectorConfig config = ConfigLoader.load(writeConfig(sim, pgPort, symbols), Map.of());
            APIKeyManager keys = APIKeyManager.load(dir.resolve("none.yaml"),
                    Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY), Clock.systemUTC());
            try (SystemTraderService service = SystemTraderService.start(config, keys, Map.of())) {
                var collector = service.collectors().values().iterator().next();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
                // stored before the outage: 2,000 rows (about 2 s of the stream)
                awaitRows(pgPort, 2_000, Duration.ofSeconds(120));

                pg.close(); // pg_ctl stop: the writer's connection breaks, new ones are refused
                long spilledBefore = service.journal().appends();
                Thread.sleep(OUTAGE.toMillis()); // the scenario's duration (the server stays down), not a wait
                assertThat(service.storageWriter().writeErrors()).as("the writer noticed the outage").isPositive();
                assertThat(service.journal().appends()).as("batches went to the journal").isGreaterThan(spilledBefore);
                outageRows = service.journal().batchesPending();
                pg = ThrowawayPostgres.start(pgData, pgPort);

                // the writer retries within its back-off cap (10 s) and replays the journal, oldest batch first;
                // live batches go to the journal behind the replay until it catches up, which on a loaded machine
                // may take longer than the stream lasts: the market stops first, then the journal must drain
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> service.storageWriter().batchesReplayed() > 0);
                sim.faults().stall(Duration.ofMinutes(5)); // the market stops sending; what was sent gets stored
                // the collector has received every message the simulator wrote to the socket (its truth file) ...
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> collector.qualityReport().received() == ServiceTestSupport.truthLines(sim, truth));
                // ... and the writer has committed all of it, the journal's replay included
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                        .until(() -> service.storageWriter().idle());
                assertThat(service.journal().batchesPending()).as("journal replayed after the restart").isZero();
                assertThat(collector.stats().outages()).as("one WebSocket connection throughout").isZero();
            }
        }
        try (Connection c = ThrowawayPostgres.connect(pgPort)) {
            StoredTicks.Truth expected = StoredTicks.assertStoredExactly(truth, c);
            assertThat(expected.trades()).hasSizeGreaterThan(500);
            assertThat(outageRows).as("batches pending in the journal during the outage").isPositive();
            assertThat(StoredBars.assertRollupsMatchStoredTrades(c)).as("minutes compared").isPositive();
        } finally {
            pg.close();
        }
    }

    private Path writeConfig(ExchangeSimulator sim, int pgPort, List<String> symbols) throws IOException {
        String yaml = """
                polygon:
                  websocket:
                    url: ws://127.0.0.1:%d/stocks
                    channels: [T, Q, AM]
                    symbols: [%s]
                    stale_data_seconds: 0
                  rest:
                    url: http://127.0.0.1:%d
                alpaca:
                  websocket:
                    enabled: false
                data:
                  db_batch_size: 500
                storage:
                  url: jdbc:postgresql://127.0.0.1:%d/postgres
                  user: postgres
                  journal_dir: %s
                service:
                  http_port: 0
                """.formatted(sim.port(), String.join(", ", symbols), sim.port(), pgPort, dir.resolve("journal"));
        return Files.writeString(dir.resolve("collector_config.yaml"), yaml);
    }

    /** Waits until {@code websocket_data} holds {@code atLeast} rows (an SQL error: the schema is not migrated yet). */
    private static void awaitRows(int port, long atLeast, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(SQLException.class)
                .until(() -> {
                    try (Connection c = ThrowawayPostgres.connect(port); Statement s = c.createStatement();
                         ResultSet r = s.executeQuery("SELECT count(*) FROM websocket_data")) {
                        return r.next() && r.getLong(1) >= atLeast;
                    }
                });
    }
}
