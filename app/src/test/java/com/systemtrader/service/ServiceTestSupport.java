package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;

/** What the tests that run the whole service in-process share: its config, the simulator's key, HTTP, the truth. */
final class ServiceTestSupport {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceTestSupport() {}

    /** {@code yaml} written to {@code dir/collector_config.yaml} and loaded as the service would. */
    static CollectorConfig config(Path dir, String yaml) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("collector_config.yaml"), yaml), Map.of());
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
