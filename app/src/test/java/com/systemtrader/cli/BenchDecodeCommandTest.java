package com.systemtrader.cli;

import static com.systemtrader.cli.CliTestSupport.args;
import static com.systemtrader.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-decode} end to end, tiny: records a few hundred frames per case from an in-process simulator over
 * loopback WebSockets, replays them once, reports and writes JSON; further runs replay the saved recording, one of
 * them through the data cleaner. This proves the harness works; it asserts no speed (the machine is shared).
 */
class BenchDecodeCommandTest {
    @TempDir Path dir;

    @Test
    void recordsReplaysAndReportsEveryCase() throws Exception {
        Path recording = dir.resolve("frames.bin");
        Path json = dir.resolve("bench-decode.json");
        CliTestSupport.Run r = run(args("bench-decode", "--frames", 300, "--warmup-ms", 0, "--runs", 1, "--run-ms", 50,
                "--recording", recording, "--json", json));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("# recorded simulator seed=42", "# saved to " + recording);
        for (String c : new String[] {"polygon-trades", "polygon-quotes", "alpaca-trades-json", "alpaca-trades-msgpack"}) {
            assertThat(r.out()).contains("# case " + c + ": 300 frames").contains("bench-decode: case=" + c + " stage=decode");
        }
        assertThat(r.out()).doesNotContain("errors=1");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("stage").asText()).isEqualTo("decode");
        assertThat(report.get("cases")).hasSize(4);
        for (JsonNode c : report.get("cases")) {
            assertThat(c.get("frames").asInt()).isEqualTo(300);
            assertThat(c.get("errors").asLong()).as("decode errors in %s", c.get("case")).isZero();
            assertThat(c.get("otherElements").asLong()).as("control frames must not be recorded").isZero();
            assertThat(c.get("messagesPerFrame").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(c.get("medianMessagesPerSecond").asDouble()).isPositive();
            assertThat(c.get("runs")).hasSize(1);
            JsonNode bytes = c.get("medianBytesPerMessage");
            if (!bytes.isNull()) assertThat(bytes.asDouble()).as("a Trade or Quote record at least").isGreaterThan(40);
        }

        CliTestSupport.Run again = run(args("bench-decode", "--cases", "alpaca-trades-msgpack,polygon-quotes",
                "--frames", 100, "--warmup-ms", 0, "--runs", 2, "--run-ms", 20, "--recording", recording, "--quiet"));
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("# recording " + recording + ": simulator seed=42")
                .contains("# case alpaca-trades-msgpack: 100 frames").contains("# case polygon-quotes: 100 frames")
                .doesNotContain("# recorded").doesNotContain("polygon-trades").doesNotContain("run 1 ");
        assertThat(Files.size(recording)).isPositive();

        CliTestSupport.Run clean = run(args("bench-decode", "--stage", "clean", "--frames", 100, "--warmup-ms", 0,
                "--runs", 1, "--run-ms", 20, "--recording", recording, "--quiet"));
        assertThat(clean.exitCode()).as(clean.all()).isZero();
        assertThat(clean.out()).contains("# bench-decode stage=clean")
                .contains("bench-decode: case=polygon-trades stage=clean")
                .contains("bench-decode: case=alpaca-trades-msgpack stage=clean").doesNotContain("errors=1");
    }

    @Test
    void badOptionsNameTheFlag() {
        assertThat(run("bench-decode", "--cases", "nasdaq-trades").err()).contains("--cases").contains("nasdaq-trades");
        assertThat(run("bench-decode", "--stage", "sip").err()).contains("--stage");
        assertThat(run("bench-decode", "--runs", "0").exitCode()).isEqualTo(2);
    }
}
