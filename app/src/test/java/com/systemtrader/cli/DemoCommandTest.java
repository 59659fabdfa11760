package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a user runs it: no database URL (so the embedded PostgreSQL starts), the local or
 * an embedded Redis, both collectors on the built-in simulator; progress lines show data reaching the cache and the
 * database, and the summary answers with provenance and says where to look next.
 */
class DemoCommandTest {
    @TempDir Path dir;

    @Test void theWholeSystemRunsWithNoSetupAndEndsWithASummary() {
        CliTestSupport.Run r = CliTestSupport.run("demo", "--duration", "8", "--data-dir", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("embedded PostgreSQL", "HTTP API on http://127.0.0.1:");
        String last = r.out().lines().filter(l -> l.matches("\\s*\\d+s\\s+polygon.*")).reduce((a, b) -> b).orElseThrow();
        assertThat(last).doesNotContain("[CONNECTING]", "[FAILED]").containsPattern("db [1-9][0-9,]* rows")
                .containsPattern("cache [1-9]");
        assertThat(r.out()).contains("RealtimeDataProvider answers", "getLatestPrice(AAPL, polygon) = ",
                "from memory/polygon", "from memory/alpaca", "getMultiSymbolPrices(8 symbols): 8 answered",
                "getOhlcv(AAPL, 1m, the last 5 minutes)", "trades  state    from", "Where to look next", "demo: done");
        assertThat(dir.resolve("postgres")).isDirectory();
    }

    /**
     * {@code --keep-serving}, as a user runs it in a terminal (its own process, ended by SIGTERM like Ctrl-C): after
     * the summary the commands it prints work, then it drains and exits 0. {@code --redis-url embedded} keeps the
     * demo off any Redis on this machine.
     */
    @Test void keepServingServesTheCommandsItPrintsUntilStopped() throws Exception {
        Path log = dir.resolve("demo.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "com.systemtrader.cli.Main", "demo", "--duration", "2", "--keep-serving", "--redis-url", "embedded",
                "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                if (!p.isAlive()) throw new AssertionError("demo exited " + p.exitValue() + ": " + Files.readString(log));
                return Files.readString(log).contains("redis-cli -u ");
            });
            String out = Files.readString(log);
            assertThat(out).contains("embedded Redis on 127.0.0.1:", "(--redis-url embedded)",
                    "Serving until Ctrl-C").doesNotContain("demo: stopping", "Where to look next");
            Matcher m = Pattern.compile("curl '(http://127\\.0\\.0\\.1:\\d+/api/price\\?symbol=AAPL)'").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            HttpResponse<String> price = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(price.statusCode()).as(price.body()).isEqualTo(200);
            assertThat(price.body()).contains("\"symbol\":\"AAPL\"", "\"price\":");
            p.destroy(); // SIGTERM, as Ctrl-C or systemctl stop
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("demo: stopping", "demo: done");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test void badFlagsAreNamed() {
        assertThat(CliTestSupport.run("demo", "--duration", "-1").err()).contains("--duration");
        assertThat(CliTestSupport.run("demo", "--db-url", "postgres://x").err()).contains("--db-url");
        assertThat(CliTestSupport.run("demo", "--redis-url", "http://x").err())
                .contains("--redis-url: must be redis://HOST[:PORT][/DB] or embedded, was http://x");
    }

    @Test void aRedisUrlWhereNothingAnswersIsAnErrorNamingIt() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CliTestSupport.Run r = CliTestSupport.run("demo", "--redis-url", "redis://127.0.0.1:" + port,
                "--data-dir", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--redis-url: nothing answers a Redis PING at 127.0.0.1:" + port);
    }
}
