package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import picocli.CommandLine;

/**
 * Helpers for the CLI tests: a simulator with test-only keys, credentials files, and running a command in-process
 * with its output captured. Credentials travel in files because tests cannot set environment variables; the tests
 * therefore need an environment without provider credentials (which would win over the file).
 */
public final class CliTestSupport {
    static final String POLYGON_KEY = "pk-cli-test-0123456789abcdef";
    static final String BAD_POLYGON_KEY = "pk-cli-bad-9876543210fedcba";
    /** Alpaca lets one session per key: every test that connects uses its own pair. */
    static final List<String> ALPACA_IDS = List.of("AKCLITEST00000000001", "AKCLITEST00000000002",
            "AKCLITEST00000000003", "AKCLITEST00000000004", "AKCLITEST00000000005");
    static final String ALPACA_SECRET_PREFIX = "cli-test-alpaca-secret-";
    static final String BAD_ALPACA_ID = "AKCLIBAD000000000009";
    static final String BAD_ALPACA_SECRET = "cli-bad-alpaca-secret-zzzz";
    private static final List<String> CREDENTIAL_VARIABLES = List.of("POLYGON_API_KEY", "MASSIVE_API_KEY",
            "POLYGON_API_KEY_NEXT", "MASSIVE_API_KEY_NEXT", "APCA_API_KEY_ID", "APCA_API_SECRET_KEY",
            "APCA_API_KEY_ID_NEXT", "APCA_API_SECRET_KEY_NEXT");

    private CliTestSupport() {}

    /** Provider credentials in the environment would override the test files. */
    static void assumeNoCredentialsInEnvironment() {
        for (String v : CREDENTIAL_VARIABLES) {
            Assumptions.assumeTrue(System.getenv(v) == null, v + " is set; these tests need it unset");
        }
    }

    static String alpacaSecret(String id) {
        return ALPACA_SECRET_PREFIX + id.substring(id.length() - 4);
    }

    static ExchangeSimulator simulator() {
        Map<String, String> alpaca = new java.util.LinkedHashMap<>();
        for (String id : ALPACA_IDS) alpaca.put(id, alpacaSecret(id));
        MarketConfig market = MarketConfig.defaults(42, List.of("AAPL", "MSFT")).withBarIntervalMs(1_000).withHalts(0);
        return ExchangeSimulator.start(SimulatorConfig.builder(market).rate(2_000).polygonKeys(Set.of(POLYGON_KEY))
                .alpacaKeys(alpaca).build());
    }

    /** Every credential value the tests use: none may appear in any output. */
    static List<String> secrets() {
        List<String> s = new ArrayList<>(List.of(POLYGON_KEY, BAD_POLYGON_KEY, BAD_ALPACA_ID, BAD_ALPACA_SECRET));
        for (String id : ALPACA_IDS) {
            s.add(id);
            s.add(alpacaSecret(id));
        }
        return s;
    }

    /** A credentials file; null arguments leave the provider out. */
    static Path credentials(Path dir, String name, String polygonKey, String alpacaId, String alpacaSecret)
            throws IOException {
        StringBuilder y = new StringBuilder();
        if (polygonKey != null) y.append("polygon:\n  api_key: \"").append(polygonKey).append("\"\n");
        if (alpacaId != null) {
            y.append("alpaca:\n  key_id: \"").append(alpacaId).append("\"\n  secret_key: \"").append(alpacaSecret)
                    .append("\"\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, y);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the permission warning is harmless
        }
        return f;
    }

    /** A collector config pointing both providers at the simulator. */
    static Path config(Path dir, ExchangeSimulator sim) throws IOException {
        Path f = dir.resolve("collector_config.yaml");
        Files.writeString(f, "polygon:\n  websocket:\n    url: " + sim.uri("/stocks") + "\n"
                + "alpaca:\n  websocket:\n    url: " + sim.uri("/v2") + "\n    feed: iex\n");
        return f;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One in-process run of the command line. */
    public record Run(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        Run r = new Run(code, out.toString(), err.toString());
        for (String secret : secrets()) {
            assertThat(r.all()).as("output must not contain a credential").doesNotContain(secret);
        }
        return r;
    }

    static String[] args(Object... parts) {
        return Stream.of(parts).map(String::valueOf).toArray(String[]::new);
    }
}
