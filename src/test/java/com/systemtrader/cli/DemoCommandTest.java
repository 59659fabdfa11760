package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
                "getOhlcv(AAPL, 5, 1m)", "Where to look next", "demo: done");
        assertThat(dir.resolve("postgres")).isDirectory();
    }

    @Test void badFlagsAreNamed() {
        assertThat(CliTestSupport.run("demo", "--duration", "-1").err()).contains("--duration");
        assertThat(CliTestSupport.run("demo", "--db-url", "postgres://x").err()).contains("--db-url");
    }
}
