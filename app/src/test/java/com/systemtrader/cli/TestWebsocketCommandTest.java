package com.systemtrader.cli;

import static com.systemtrader.cli.CliTestSupport.ALPACA_IDS;
import static com.systemtrader.cli.CliTestSupport.BAD_POLYGON_KEY;
import static com.systemtrader.cli.CliTestSupport.POLYGON_KEY;
import static com.systemtrader.cli.CliTestSupport.alpacaSecret;
import static com.systemtrader.cli.CliTestSupport.args;
import static com.systemtrader.cli.CliTestSupport.credentials;
import static com.systemtrader.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.cli.CliTestSupport.Run;
import com.systemtrader.simulator.ExchangeSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code test-websocket} in-process against the simulator over real sockets. */
class TestWebsocketCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ExchangeSimulator sim;
    @TempDir static Path dir;
    /** A configuration that sets one key to its default: every other key takes its default too. */
    private static Path defaultsConfig;

    @BeforeAll static void start() {
        CliTestSupport.assumeNoCredentialsInEnvironment();
        sim = CliTestSupport.simulator();
        try {
            defaultsConfig = Files.writeString(dir.resolve("collector-config.yaml"), "data:\n  store_trades: true\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll static void stop() {
        if (sim != null) sim.close();
    }

    @Test void polygonRunPrintsTheReportAndWritesItAsJson() throws IOException {
        Path creds = credentials(dir, "polygon.yaml", POLYGON_KEY, null, null);
        Path json = dir.resolve("reports/polygon.json");
        Run r = run(args("test-websocket", "--provider", "polygon", "--url", sim.uri("/stocks"),
                "--symbols", "aapl,MSFT", "--duration", 3, "--channels", "T,Q,AM", "--config", defaultsConfig,
                "--credentials", creds, "--report-json", json));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("test-websocket report: polygon", "per symbol:", "AAPL", "MSFT", "latency",
                "reconnects: none", "gaps: 0 outage(s)", "decode errors 0", "result: ok (data for 2 of 2 symbol(s))",
                "report written to").doesNotContain("quality:");
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(report.path("provider").asText()).isEqualTo("polygon");
        assertThat(report.path("bySymbol").path("AAPL").path("TRADE").asLong()).isPositive();
        assertThat(report.path("bySymbol").path("MSFT").path("QUOTE").asLong()).isPositive();
        assertThat(report.path("messages").asLong()).isPositive();
        assertThat(report.path("averagePerSecond").asDouble()).isPositive();
        assertThat(report.path("latencyMs").path("p99").asDouble()).isGreaterThanOrEqualTo(
                report.path("latencyMs").path("p50").asDouble());
        assertThat(report.path("gaps").path("outageCount").asLong()).isZero();
        assertThat(report.path("errors").path("decodeErrors").asLong()).isZero();
        assertThat(report.path("symbolsWithoutData")).isEmpty();
        assertThat(report.has("quality")).isFalse();
        assertThat(report.path("outcome").path("exitCode").asInt()).isZero();
    }

    @Test void alpacaIexWithBaseUrlAndFeedFlag() throws IOException {
        String id = ALPACA_IDS.get(0);
        Path creds = credentials(dir, "alpaca-iex.yaml", null, id, alpacaSecret(id));
        Path json = dir.resolve("alpaca-iex.json");
        Run r = run(args("test-websocket", "--provider", "alpaca", "--url", sim.uri("/v2"), "--feed", "iex",
                "--symbols", "AAPL", "--duration", 2, "--config", defaultsConfig, "--credentials", creds,
                "--report-json", json));

        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(report.path("url").asText()).endsWith("/v2/iex");
        assertThat(report.path("channels").toString()).contains("trades", "quotes", "bars");
        assertThat(report.path("bySymbol").path("AAPL").path("TRADE").asLong()).isPositive();
    }

    @Test void alpacaTestFeedFromAFullUrl() throws IOException {
        String id = ALPACA_IDS.get(1);
        Path creds = credentials(dir, "alpaca-test.yaml", null, id, alpacaSecret(id));
        Run r = run(args("test-websocket", "--provider", "alpaca", "--url", sim.uri("/v2/test"),
                "--symbols", "FAKEPACA", "--duration", 2, "--config", defaultsConfig, "--credentials", creds));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("alpaca " + sim.uri("/v2/test"), "FAKEPACA trade ");
    }

    @Test void checkQualityCountsTheSimulatorsDuplicates() throws IOException {
        Path creds = credentials(dir, "quality.yaml", POLYGON_KEY, null, null);
        Path json = dir.resolve("quality.json");
        try (ExchangeSimulator faulty = CliTestSupport.simulator()) {
            faulty.faults().duplicateEvery(10);
            Run r = run(args("test-websocket", "--url", faulty.uri("/stocks"), "--symbols", "AAPL,MSFT",
                    "--duration", 3, "--check-quality", "--config", defaultsConfig, "--credentials", creds,
                    "--report-json", json));

            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.out()).contains("quality (polygon stocks", "received", "duplicates", "crossed",
                    "sequence gaps", "quarantine:", "duplicate ");
        }
        JsonNode q = JSON.readTree(json.toFile()).path("quality");
        assertThat(q.path("accountedFor").asBoolean()).isTrue();
        assertThat(q.path("received").asLong()).isEqualTo(q.path("accepted").asLong() + q.path("flagged").asLong()
                + q.path("rejected").asLong() + q.path("filtered").asLong());
        JsonNode t = q.path("totals");
        assertThat(t.path("trades").asLong()).isPositive();
        assertThat(t.path("duplicates").asLong()).isPositive();
        assertThat(q.path("rules").path("duplicate").asLong()).isEqualTo(t.path("duplicates").asLong());
        assertThat(q.path("rules").has("price-range")).isFalse();
        assertThat(t.path("crossedQuotes").asLong()).isZero();
        assertThat(q.path("bySymbol").path("AAPL").path("duplicates").asLong()
                + q.path("bySymbol").path("MSFT").path("duplicates").asLong())
                .isEqualTo(t.path("duplicates").asLong());
        assertThat(q.path("bars").path("crossCheck").path("compared").asLong()).isNotNegative();
    }

    @Test void rejectedKeyExitsThree() throws IOException {
        Path creds = credentials(dir, "bad.yaml", BAD_POLYGON_KEY, null, null);
        long start = System.nanoTime();
        Run r = run(args("test-websocket", "--url", sim.uri("/stocks"), "--symbols", "AAPL", "--duration", 20,
                "--config", defaultsConfig, "--credentials", creds));

        assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("test-websocket: credentials rejected by polygon: auth_failed")
                .doesNotContain("\n");
        assertThat((System.nanoTime() - start) / 1e9).as("fails fast, not after --duration").isLessThan(10);
    }

    @Test void unreachableEndpointExitsFour() throws IOException {
        Path creds = credentials(dir, "unreachable.yaml", POLYGON_KEY, null, null);
        int port = CliTestSupport.freePort();
        Run r = run(args("test-websocket", "--url", "ws://127.0.0.1:" + port + "/stocks", "--symbols", "AAPL",
                "--duration", 2, "--config", defaultsConfig, "--credentials", creds));

        assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
        assertThat(r.err().strip()).startsWith("test-websocket: polygon endpoint ws://127.0.0.1:" + port + "/stocks "
                + "unreachable: connect failed").doesNotContain("\n");
        assertThat(r.out()).contains("connect-failed");
    }

    @Test void symbolsWithoutDataExitFive() throws IOException {
        Path creds = credentials(dir, "nodata.yaml", POLYGON_KEY, null, null);
        Run r = run(args("test-websocket", "--url", sim.uri("/stocks"), "--symbols", "ZZZZ", "--duration", 2,
                "--config", defaultsConfig, "--credentials", creds));

        assertThat(r.exitCode()).as(r.all()).isEqualTo(5);
        assertThat(r.err().strip()).startsWith("test-websocket: no data for ZZZZ from polygon");
        assertThat(r.out()).contains("no data for: ZZZZ", "final state STREAMING");
    }

    @Test void missingCredentialsNameTheVariables() {
        Run polygon = run(args("test-websocket", "--url", sim.uri("/stocks"), "--symbols", "AAPL",
                "--config", defaultsConfig, "--credentials", dir.resolve("none.yaml")));
        assertThat(polygon.exitCode()).isEqualTo(3);
        assertThat(polygon.err()).contains("POLYGON_API_KEY");

        Run alpaca = run(args("test-websocket", "--provider", "alpaca", "--symbols", "AAPL",
                "--config", defaultsConfig, "--credentials", dir.resolve("none.yaml")));
        assertThat(alpaca.exitCode()).isEqualTo(3);
        assertThat(alpaca.err()).contains("APCA_API_KEY_ID and APCA_API_SECRET_KEY");
    }

    @Test void badFlagsExitTwoNamingTheFlag() {
        assertThat(run("test-websocket", "--provider", "kraken").err()).contains("--provider");
        Run feed = run(args("test-websocket", "--feed", "iex", "--config", defaultsConfig));
        assertThat(feed.exitCode()).isEqualTo(2);
        assertThat(feed.err()).contains("--feed").contains("alpaca only");
        Run channel = run(args("test-websocket", "--channels", "T,XYZ", "--config", defaultsConfig));
        assertThat(channel.exitCode()).isEqualTo(2);
        assertThat(channel.err()).contains("--channels", "XYZ");
        Run url = run(args("test-websocket", "--provider", "alpaca", "--url", "ws://h/v2/iex", "--feed", "sip",
                "--config", defaultsConfig));
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("--feed");
        assertThat(run(args("test-websocket", "--duration", -1, "--config", defaultsConfig)).exitCode()).isEqualTo(2);
        Run noSymbols = run(args("test-websocket", "--config", defaultsConfig));
        assertThat(noSymbols.exitCode()).isEqualTo(2);
        assertThat(noSymbols.err()).contains("--symbols", "none given");
        assertThat(run(args("test-websocket", "--url", "http://h/stocks", "--config", defaultsConfig)).exitCode())
                .isEqualTo(2);
    }
}
