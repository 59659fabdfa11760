package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** What the tests that run the whole service in-process share: its config, the simulator's key, HTTP, the truth. */
final class ServiceTestSupport {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceTestSupport() {}

    /**
     * The config of a service on the simulator's Polygon feed ({@code channels} of {@code symbols} over WebSocket, and
     * REST; Alpaca off) that stores to the PostgreSQL at {@code storageUrl} with its journal in {@code dir/journal},
     * caches in Redis and serves HTTP on a free port. {@code websocketOptions} and {@code redisOptions} are further
     * keys of those sections, a line each ("" for none).
     */
    static String yaml(Path dir, ExchangeSimulator sim, String storageUrl, RedisTestServer redis, List<String> channels,
                       List<String> symbols, String websocketOptions, String redisOptions) {
        return """
                polygon:
                  websocket:
                    url: ws://127.0.0.1:%1$d/stocks
                    channels: [%2$s]
                    symbols: [%3$s]
                %4$s
                  rest:
                    url: http://127.0.0.1:%1$d
                alpaca:
                  websocket:
                    enabled: false
                storage:
                  url: %5$s
                  user: postgres
                  journal_dir: %6$s
                redis:
                  enabled: true
                  url: redis://127.0.0.1:%7$d
                  prefix: %8$s
                %9$s
                service:
                  http_port: 0
                """.formatted(sim.port(), String.join(", ", channels), String.join(", ", symbols),
                websocketOptions.indent(4).stripTrailing(), storageUrl, dir.resolve("journal"), redis.port,
                redis.prefix, redisOptions.indent(2).stripTrailing());
    }

    /** {@code yaml} written to {@code dir/collector_config.yaml}. */
    static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("collector_config.yaml"), yaml);
    }

    /** {@code yaml} written to {@code dir/collector_config.yaml} and loaded as the service would. */
    static CollectorConfig config(Path dir, String yaml) throws IOException {
        return ConfigLoader.load(write(dir, yaml), Map.of());
    }

    /** The simulator's Polygon key, from the environment as a user would give it (no credentials file). */
    static APIKeyManager simulatorKeys(Path dir) {
        return APIKeyManager.load(dir.resolve("none.yaml"),
                Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY), Clock.systemUTC());
    }

    /** The body of a 200 answer of the service's HTTP API (any other status fails the test with its body). */
    static String get(SystemTraderService service, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The messages the simulator has written to sockets so far: one truth-file line each. */
    static long truthLines(ExchangeSimulator sim, Path truth) throws IOException {
        sim.flushTruth();
        long n = 0;
        for (byte b : Files.readAllBytes(truth)) if (b == '\n') n++;
        return n;
    }
}
