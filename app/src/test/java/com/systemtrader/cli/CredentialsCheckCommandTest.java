package com.systemtrader.cli;

import static com.systemtrader.cli.CliTestSupport.ALPACA_IDS;
import static com.systemtrader.cli.CliTestSupport.BAD_ALPACA_ID;
import static com.systemtrader.cli.CliTestSupport.BAD_ALPACA_SECRET;
import static com.systemtrader.cli.CliTestSupport.BAD_POLYGON_KEY;
import static com.systemtrader.cli.CliTestSupport.POLYGON_KEY;
import static com.systemtrader.cli.CliTestSupport.alpacaSecret;
import static com.systemtrader.cli.CliTestSupport.args;
import static com.systemtrader.cli.CliTestSupport.credentials;
import static com.systemtrader.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.cli.CliTestSupport.Run;
import com.systemtrader.credentials.Secret;
import com.systemtrader.simulator.ExchangeSimulator;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credentials check} in-process against the simulator over real sockets. */
class CredentialsCheckCommandTest {
    private static ExchangeSimulator sim;
    @TempDir static Path dir;
    private static Path config;

    @BeforeAll static void start() throws IOException {
        CliTestSupport.assumeNoCredentialsInEnvironment();
        sim = CliTestSupport.simulator();
        config = CliTestSupport.config(dir, sim);
    }

    @AfterAll static void stop() {
        if (sim != null) sim.close();
    }

    @Test void bothProvidersAuthenticate() throws IOException {
        String id = ALPACA_IDS.get(2);
        Path creds = credentials(dir, "good.yaml", POLYGON_KEY, id, alpacaSecret(id));
        Run r = run(args("credentials", "check", "--credentials", creds, "--config", config));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("Credentials file: " + creds,
                "polygon: " + Secret.mask(POLYGON_KEY) + " from file polygon.api_key",
                "alpaca: " + Secret.mask(id) + " from file alpaca.key_id",
                "polygon websocket " + sim.uri("/stocks") + ": ok (authenticated in ",
                "alpaca websocket " + sim.uri("/v2/iex") + ": ok (authenticated in ",
                "REST: not checked");
    }

    @Test void rejectedKeysAreReportedPerProvider() throws IOException {
        Path creds = credentials(dir, "bad.yaml", BAD_POLYGON_KEY, BAD_ALPACA_ID, BAD_ALPACA_SECRET);
        Run r = run(args("credentials", "check", "--credentials", creds, "--config", config));

        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("polygon websocket " + sim.uri("/stocks") + ": rejected (auth_failed",
                "alpaca websocket " + sim.uri("/v2/iex") + ": rejected (402 auth failed)");
    }

    @Test void unreachableEndpoint() throws IOException {
        Path creds = credentials(dir, "polygon-only.yaml", POLYGON_KEY, null, null);
        int port = CliTestSupport.freePort();
        long start = System.nanoTime();
        Run r = run(args("credentials", "check", "--provider", "polygon", "--url", "ws://127.0.0.1:" + port + "/stocks",
                "--credentials", creds, "--config", config));

        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.out())
                .contains("polygon websocket ws://127.0.0.1:" + port + "/stocks: unreachable (connect failed");
        assertThat((System.nanoTime() - start) / 1e9).as("a refused connection needs no timeout").isLessThan(5);
    }

    @Test void askedProviderWithoutCredentialsIsNotConfigured() throws IOException {
        Path creds = credentials(dir, "polygon-only-2.yaml", POLYGON_KEY, null, null);
        Run asked = run(args("credentials", "check", "--provider", "alpaca", "--credentials", creds,
                "--config", config));
        assertThat(asked.exitCode()).isEqualTo(1);
        assertThat(asked.out())
                .contains("alpaca: not configured", "alpaca websocket: not configured (set APCA_API_KEY_ID");

        Run all = run(args("credentials", "check", "--credentials", creds, "--config", config));
        assertThat(all.exitCode()).as("only configured providers are checked").isZero();
        assertThat(all.out())
                .contains("polygon websocket " + sim.uri("/stocks") + ": ok", "alpaca websocket: not configured");
    }

    @Test void urlNeedsAProvider() {
        Run r = run(args("credentials", "check", "--url", "ws://127.0.0.1:1/stocks", "--config", config));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--url", "--provider");
    }
}
