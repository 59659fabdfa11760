package com.systemtrader.cli;

import static com.systemtrader.cli.CliTestSupport.args;
import static com.systemtrader.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.cli.CliTestSupport.Run;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.tools.SimpleWsClient;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate}: the data-anomaly flags are listed, validated, and reach the wire (and the truth file). */
class SimulateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ANOMALY_FLAGS = List.of("--outlier-every", "--bad-print-every",
            "--crossed-quote-every", "--locked-quote-every", "--one-sided-quote-every", "--future-timestamp-every",
            "--test-symbol-every", "--linger-after-unsubscribe");

    @TempDir Path dir;

    @Test void helpListsEveryAnomalyFlag() {
        Run r = run("simulate", "--help");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains(ANOMALY_FLAGS).contains("--duplicate-every");
    }

    @Test void aNegativeAnomalyFlagIsRejectedByName() {
        Run r = run("simulate", "--port", "0", "--duration", "1", "--bad-print-every", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--bad-print-every").contains("must not be negative");
    }

    @Test void anomalyFlagsInjectIntoTheStreamAndTheTruthFile() throws Exception {
        int port = CliTestSupport.freePort();
        Path truth = dir.resolve("truth.jsonl");
        CompletableFuture<Run> simulate = CompletableFuture.supplyAsync(() -> run(args("simulate", "--port", port,
                "--duration", 3, "--symbols", "AAPL,MSFT", "--rate", 2_000, "--truth-file", truth,
                "--outlier-every", 3, "--bad-print-every", 4, "--crossed-quote-every", 5, "--test-symbol-every", 6)));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
        AtomicLong frames = new AtomicLong();
        try (SimpleWsClient c = SimpleWsClient.connect(URI.create("ws://127.0.0.1:" + port + "/stocks"),
                (content, binary) -> frames.incrementAndGet())) {
            c.sendText("{\"action\":\"auth\",\"params\":\"" + SimulatorConfig.DEFAULT_POLYGON_KEY + "\"}");
            c.sendText("{\"action\":\"subscribe\",\"params\":\"T.*,Q.*\"}");
            Run r = simulate.get(20, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.all()).isZero();
        }
        assertThat(frames.get()).isGreaterThan(10);
        Map<String, Integer> kinds = new HashMap<>();
        for (String line : Files.readAllLines(truth)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("anomaly")) kinds.merge(n.get("anomaly").asText(), 1, Integer::sum);
        }
        assertThat(kinds).containsKeys("outlier", "bad-price-zero", "crossed-quote", "test-symbol");
    }
}
