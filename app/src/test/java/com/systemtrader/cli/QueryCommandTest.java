package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.simulator.ExchangeSimulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code system-trader query} against the simulator's REST API, with the database down. */
class QueryCommandTest {
    private static ExchangeSimulator sim;
    @TempDir static Path dir;
    private static Path config;
    private static Path credentials;

    @BeforeAll
    static void start() throws Exception {
        CliTestSupport.assumeNoCredentialsInEnvironment();
        sim = CliTestSupport.simulator();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        config = dir.resolve("collector_config.yaml");
        Files.writeString(config, "polygon:\n  rest:\n    url: " + sim.restBaseUrl() + "\nalpaca:\n  rest:\n    url: "
                + sim.restBaseUrl() + "\nstorage:\n  url: jdbc:postgresql://127.0.0.1:" + closed + "/none\n"
                + "redis:\n  enabled: false\n");
        String id = CliTestSupport.ALPACA_IDS.get(4);
        credentials = CliTestSupport.credentials(dir, "creds.yaml", CliTestSupport.POLYGON_KEY, id, CliTestSupport.alpacaSecret(id));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> sim.history().lastTrade("AAPL").isPresent() && sim.history().lastTrade("MSFT").isPresent());
    }

    @AfterAll
    static void stop() {
        if (sim != null) sim.close();
    }

    private static CliTestSupport.Run query(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "query";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        all[args.length + 3] = "--credentials";
        all[args.length + 4] = credentials.toString();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute(all);
        CliTestSupport.Run r = new CliTestSupport.Run(code, out.toString(), err.toString());
        for (String secret : CliTestSupport.secrets()) assertThat(r.all()).doesNotContain(secret);
        return r;
    }

    @Test
    void pricesAsJsonWithProvenance() throws Exception {
        CliTestSupport.Run r = query("prices", "AAPL,MSFT", "--json", "--max-age", "3600");
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.path("prices")).hasSize(2);
        JsonNode first = j.path("prices").get(0);
        assertThat(first.path("symbol").asText()).isEqualTo("AAPL");
        assertThat(first.path("price").asDouble()).isPositive();
        assertThat(first.path("provenance").path("tier").asText()).isEqualTo("rest");
        assertThat(first.path("provenance").path("source").asText()).isEqualTo("polygon");
        assertThat(j.path("attempts").toString()).contains("\"tier\":\"database\"", "\"outcome\":\"failed\"");
    }

    @Test
    void latestAsTableFromAlpaca() {
        CliTestSupport.Run r = query("latest", "MSFT", "--source", "alpaca", "--max-age", "3600");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("SYMBOL", "PRICE", "BID", "ASK", "rest/alpaca", "database: failed");
    }

    @Test
    void ohlcvTableAndJson() throws Exception {
        // built bars (the default) from REST are built from its trades, never taken from its aggregates: this
        // simulator's REST has aggregates for the past but no trades of it
        CliTestSupport.Run built = query("ohlcv", "AAPL", "--bars", "3", "--interval", "5m");
        assertThat(built.exitCode()).as(built.all()).isEqualTo(1);
        assertThat(built.err()).contains("3 5m bars of AAPL (built)", "rest/polygon: empty");

        CliTestSupport.Run table = query("ohlcv", "AAPL", "--bars", "12", "--interval", "5m", "--origin", "provider");
        assertThat(table.exitCode()).as(table.all()).isZero();
        assertThat(table.out()).contains("OPEN", "CLOSE", "STATE", "final", "rest/polygon",
                "12 of 12 5m provider bars (complete)");

        CliTestSupport.Run json = query("ohlcv", "AAPL", "--bars", "10", "--interval", "1m", "--origin", "provider", "--json");
        assertThat(json.exitCode()).as(json.all()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.path("bars")).hasSize(10);
        assertThat(j.path("origin").asText()).isEqualTo("provider");
        assertThat(j.path("complete").asBoolean()).isTrue();
        assertThat(j.path("parts").get(0).path("tier").asText()).isEqualTo("rest");
        assertThat(j.path("bars").get(9).path("state").asText()).isEqualTo("final");
    }

    /** Time ranges of trades, quotes and bars, every page followed, in the three formats. */
    @Test
    void rangesAsCsvTableAndJson() throws Exception {
        String start = java.time.Instant.now().minusSeconds(60).toString();
        CliTestSupport.Run csv = query("trades", "AAPL", "--start", start, "--source", "polygon", "--format", "csv");
        assertThat(csv.exitCode()).as(csv.all()).isZero();
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("time,price,size,exchange,trade_id,conditions");
        assertThat(lines).hasSizeGreaterThan(10);
        assertThat(lines.get(1)).matches("\\d{4}-.*Z,[0-9.]+,\\d+,\\d+,\\d+,.*");

        CliTestSupport.Run quotes = query("quotes", "AAPL", "--start", start, "--source", "polygon");
        assertThat(quotes.exitCode()).as(quotes.all()).isZero();
        assertThat(quotes.out()).contains("BID_PRICE", "ASK_SIZE", "quotes; from rest");

        CliTestSupport.Run bars = query("bars", "AAPL", "--start", java.time.Instant.now().minusSeconds(3600).toString(),
                "--origin", "provider", "--format", "json");
        assertThat(bars.exitCode()).as(bars.all()).isZero();
        JsonNode j = new ObjectMapper().readTree(bars.out());
        assertThat(j.path("origin").asText()).isEqualTo("provider");
        assertThat(j.path("bars").size()).isGreaterThan(30);

        CliTestSupport.Run badFormat = query("trades", "AAPL", "--start", start, "--format", "xml");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.err()).contains("--format: table, csv or json");
        CliTestSupport.Run badStart = query("trades", "AAPL", "--start", "yesterday");
        assertThat(badStart.exitCode()).isEqualTo(2);
        assertThat(badStart.err()).contains("--start: not an RFC 3339 time");
    }

    @Test
    void badIntervalIsAUsageError() {
        CliTestSupport.Run r = query("ohlcv", "AAPL", "--interval", "7m");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--interval");
    }
}
