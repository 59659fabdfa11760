package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.config.ServiceConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's Chromium, driven by Playwright ({@code playwright-core} from npm, no
 * bundled browser) in {@code src/test/browser/dashboard.mjs}, against two services on the simulator over real
 * sockets: one without a token (with PostgreSQL, Redis and REST backfill) and one that asks for a token (Alpaca, memory
 * only, one symbol the market does not have). The script checks that the page loads without console errors, prices
 * change live, the chart draws the candles {@code /api/bars} answers, a dropped feed shows as reconnecting and its gap
 * appears with its backfill, a stopped database shows as not answering, the login works and a symbol without data
 * says so; it asks this test (over its standard streams) to break and heal the simulator's feeds and the database. Skipped, saying why, only when Node
 * or Chromium is missing. Screenshots go to {@code app/target/dashboard/} (the README's are copies of them in docs/img).
 */
class DashboardBrowserTest {
    private static final String TOKEN = "dashboard-test-token-" + Long.toHexString(System.nanoTime());
    /** The app module (the tests run in the repository's root; from the module too). */
    private static final Path APP = Files.isDirectory(Path.of("app/src/test/browser")) ? Path.of("app").toAbsolutePath()
            : Path.of("").toAbsolutePath();
    private static final Path BROWSER = APP.resolve("src/test/browser");

    @TempDir Path dir;
    private EmbeddedPostgres pg;
    private int pgPort;

    @Test void theDashboardWorksInChromium() throws Exception {
        String node = onPath("node");
        String chromium = System.getenv().getOrDefault("CHROMIUM", onPath("chromium"));
        assumeTrue(node != null, "node is not installed (Node 20+; scripts/test.sh needs it for the conformance check)");
        assumeTrue(chromium != null && new File(chromium).canExecute(),
                "chromium is not installed (Debian's chromium package; scripts/test.sh installs it as root)");
        installPlaywright();

        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(17, List.of("AAPL", "MSFT", "TSLA")).withHalts(0)).rate(1_500).build());
             RedisTestServer redis = RedisTestServer.start()) {
            // a PostgreSQL of the test's own, which it stops and starts again (DBSTOP, DBSTART)
            pgPort = ThrowawayPostgres.freePort();
            pg = ThrowawayPostgres.start(dir.resolve("pgdata"), pgPort);
            APIKeyManager keys = APIKeyManager.load(dir.resolve("none.yaml"), Map.of(
                    "POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY,
                    "APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY,
                    "APCA_API_SECRET_KEY", SimulatorConfig.DEFAULT_ALPACA_SECRET), java.time.Clock.systemUTC());
            String open = ServiceTestSupport.yaml(dir, sim, "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", redis,
                    List.of("T", "Q", "AM"), List.of("AAPL", "MSFT", "TSLA"), "max_reconnect_interval_seconds: 2", "");
            // Alpaca (the simulator, like Polygon, closes an older connection of the same Polygon key)
            String guarded = """
                    polygon:
                      websocket:
                        enabled: false
                    alpaca:
                      websocket:
                        enabled: true
                        url: ws://127.0.0.1:%1$d/v2
                        feed: iex
                        channels: [trades, quotes]
                        symbols: [AAPL, MSFT, ZZZZ]
                        max_reconnect_interval_seconds: 2
                      rest:
                        url: http://127.0.0.1:%1$d
                    storage:
                      enabled: false
                    service:
                      http_port: 0
                    """.formatted(sim.port());
            Path openDir = Files.createDirectories(dir.resolve("open"));
            Path guardedDir = Files.createDirectories(dir.resolve("guarded"));
            try (SystemTraderService service = SystemTraderService.start(ServiceTestSupport.config(openDir, open), keys,
                         Map.of());
                 SystemTraderService withToken = SystemTraderService.start(ServiceTestSupport.config(guardedDir,
                         guarded), keys, Map.of(ServiceConfig.API_TOKEN_ENV, TOKEN))) {
                for (SystemTraderService s : List.of(service, withToken)) {
                    assertThat(s.collectors().values().iterator().next().awaitState(State.STREAMING,
                            Duration.ofSeconds(30))).isTrue();
                }
                // the chart's first symbol has trades (a symbol without bars is answered 404, which a browser logs)
                var polygon = service.collectors().values().iterator().next();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> polygon.getLatestData("AAPL", RecordType.TRADE).isPresent());
                runScript(node, chromium, sim, service, withToken);
            }
        } finally {
            if (pg != null) pg.close();
        }
    }

    private void runScript(String node, String chromium, ExchangeSimulator sim, SystemTraderService service,
                           SystemTraderService withToken) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(node, "dashboard.mjs").directory(BROWSER.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("DASHBOARD_URL", "http://127.0.0.1:" + service.httpPort() + "/");
        pb.environment().put("TOKEN_URL", "http://127.0.0.1:" + withToken.httpPort() + "/");
        pb.environment().put("DASHBOARD_TOKEN", TOKEN);
        pb.environment().put("CHROMIUM", chromium);
        pb.environment().put("SCREENSHOTS", APP.resolve("target/dashboard").toString());
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer toScript = p.outputWriter(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("[dashboard.mjs] " + line);
                out.append(line).append('\n');
                switch (line) {
                    case "FAULT" -> { // every feed drops, and reconnects are refused until HEAL: "reconnecting" holds
                        sim.faults().rejectUpgrades(1_000_000, 503);
                        sim.faults().dropAllNow();
                    }
                    case "HEAL" -> sim.faults().rejectUpgrades(0, 503);
                    case "DBSTOP" -> { // pg_ctl stop: the writer's connections break, new ones are refused
                        pg.close();
                        pg = null;
                    }
                    case "DBSTART" -> pg = ThrowawayPostgres.start(dir.resolve("pgdata"), pgPort);
                    default -> { continue; }
                }
                toScript.write("ok\n");
                toScript.flush();
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out.toString()).isZero();
    }

    /** {@code npm ci} in src/test/browser when playwright-core is not there yet (scripts/test.sh does it first). */
    private static void installPlaywright() throws Exception {
        if (Files.isDirectory(BROWSER.resolve("node_modules/playwright-core"))) return;
        String npm = onPath("npm");
        assertThat(npm).as("npm (it comes with node)").isNotNull();
        Process p = new ProcessBuilder(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(BROWSER.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("npm ci in " + BROWSER + ": " + log).isZero();
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) return f.getAbsolutePath();
        }
        return null;
    }
}
