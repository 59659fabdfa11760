package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.storage.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code ./system-trader run} as its own process for tests: this build's class path, the simulator's Polygon key in
 * the environment, a config pointing at the simulator (WebSocket and REST), a test database and Redis, and its
 * output in a file (a pipe read while the process exits can lose its last lines).
 */
final class RunProcess {
    private static final Pattern RUNNING = Pattern.compile("HTTP API on http://127\\.0\\.0\\.1:(\\d+)");

    private RunProcess() {}

    static Process start(Path config, Path dir, Path log) throws IOException {
        return start(config, dir, log, new ProcessBuilder(command(config, dir)));
    }

    /** The {@code run} command line (this JVM, this class path). */
    static List<String> command(Path config, Path dir) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-cp", System.getProperty("java.class.path"), "com.systemtrader.cli.Main", "run",
                "--config", config.toString(), "--credentials", dir.resolve("no-credentials.yaml").toString());
    }

    /** Starts {@code pb} (a {@link #command} line, perhaps wrapped) with the simulator's key and its output to log. */
    static Process start(Path config, Path dir, Path log, ProcessBuilder pb) throws IOException {
        pb.environment().put("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY);
        pb.environment().remove("APCA_API_KEY_ID");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /** Waits for the newest start line in the log and returns the HTTP port it names, once that port answers. */
    static int awaitStartLine(Process p, Path log, Duration timeout) throws Exception {
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                Matcher m = RUNNING.matcher(Files.exists(log) ? Files.readString(log) : "");
                int port = -1;
                while (m.find()) port = Integer.parseInt(m.group(1));
                if (port > 0 && p.isAlive() && answers(port)) return port;
                if (!p.isAlive()) {
                    throw new AssertionError("run exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                return -1;
            }, port -> port > 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no start line within " + timeout + ": " + Files.readString(log), e);
        }
    }

    private static boolean answers(int port) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until {@code /ready} answers 200. */
    static void awaitReady(int port, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("/ready").isEqualTo(200));
    }

    static Path config(Path dir, ExchangeSimulator sim, TestDatabase db, RedisTestServer redis, List<String> symbols)
            throws IOException {
        return ServiceTestSupport.write(dir, ServiceTestSupport.yaml(dir, sim, db.url, redis, List.of("T", "Q", "AM"),
                symbols, "", ""));
    }
}
