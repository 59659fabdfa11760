package com.systemtrader.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.bus.KafkaTestBroker;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.storage.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run --role ...} processes of one scale-out test: each in a directory of its own under the test's
 * ({@code <dir>/<name>}: config, journals, and its output in {@code <dir>/<name>.log}), all on the simulator's
 * Polygon feed (trades and quotes of the given symbols, no staleness watchdog: the tests stop the market at the
 * end), one database, one Redis and one broker with the topics {@code <topics>.trades}, {@code .quotes} and
 * {@code .bars}. {@link #close()} SIGKILLs whatever still runs.
 */
final class RoleProcesses implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path dir;
    private final String shared;
    private final ExchangeSimulator sim;
    private final TestDatabase db;
    private final RedisTestServer redis;
    private final List<String> symbols;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    /** @param busOptions further keys of the {@code bus} section, a line each ("" for none) */
    RoleProcesses(Path dir, ExchangeSimulator sim, TestDatabase db, RedisTestServer redis, KafkaTestBroker broker,
                  String topics, List<String> symbols, String busOptions) throws Exception {
        this.dir = dir;
        broker.createTopics(3, topics + ".trades", topics + ".quotes", topics + ".bars");
        this.shared = """
                bus:
                  bootstrap_servers: %s
                  trades_topic: %2$s.trades
                  quotes_topic: %2$s.quotes
                  bars_topic: %2$s.bars
                %3$s
                """.formatted(broker.bootstrapServers(), topics, busOptions.indent(2).stripTrailing());
        this.sim = sim;
        this.db = db;
        this.redis = redis;
        this.symbols = List.copyOf(symbols);
    }

    /** Starts {@code run --role role} as {@code name} and waits for its start line; returns its HTTP port. */
    int start(String name, String role) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path config = Files.writeString(home.resolve("collector_config.yaml"), ServiceTestSupport.yaml(home, sim, db.url, redis,
                List.of("T", "Q"), symbols, "stale_data_seconds: 0", "") + shared
                + "  journal_dir: " + home.resolve("bus-journal") + "\n");
        Path log = log(name);
        List<String> cmd = new ArrayList<>(RunProcess.command(config, home));
        cmd.addAll(List.of("--role", role));
        Process p = RunProcess.start(config, home, log, new ProcessBuilder(cmd));
        processes.put(name, p);
        int port = RunProcess.awaitStartLine(p, log, Duration.ofSeconds(90));
        ports.put(name, port);
        return port;
    }

    Path log(String name) { return dir.resolve(name + ".log"); }

    Path config(String name) { return dir.resolve(name).resolve("collector_config.yaml"); }

    Process process(String name) { return processes.get(name); }

    int port(String name) { return ports.get(name); }

    /** The process's {@code /health} {@code components.bus}. */
    JsonNode bus(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(name)
                + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("components").path("bus");
    }

    /** The body of a 200 answer of the process's HTTP API (any other status fails the test with its body). */
    String get(String name, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(name)
                + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** Its whole {@code /health} answer (for failure messages). */
    String health(String name) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(name) + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Rows of {@code websocket_data} (of the given data types, or all). */
    static long rows(TestDatabase db, String... types) throws SQLException {
        String where = types.length == 0 ? "" : " WHERE data_type IN ('" + String.join("', '", types) + "')";
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM websocket_data" + where)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    @Override public void close() {
        for (Process p : processes.values()) p.destroyForcibly();
    }
}
