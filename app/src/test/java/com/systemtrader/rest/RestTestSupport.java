package com.systemtrader.rest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A simulator on a free loopback port with long, distinctive keys, an {@link APIKeyManager} holding the same keys
 * (rate limits from a credentials file), a transport with a meter registry and fast retries, and a capture of every
 * log line of the REST package and the simulator.
 */
abstract class RestTestSupport {
    static final String POLYGON_KEY = "PgK7xQ2mZ9vB4nR8sT1wY6uE3iO5aLq0d";
    static final String ALPACA_ID = "PKR3Q8R5T2W9Y4U7I1O6";
    static final String ALPACA_SECRET = "Sq9Lm3Np7Rs2Tv6Wx0Yz4Ab8Cd1Ef5Gh9Ij3Kl7";
    static final List<String> SECRETS = List.of(POLYGON_KEY, ALPACA_ID, ALPACA_SECRET);
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA");
    static final RestSettings FAST = RestSettings.DEFAULTS.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
            .withRetries(4, Duration.ofMillis(20), Duration.ofMillis(200)).withMaxRateLimitWait(Duration.ofSeconds(2));

    @TempDir
    Path dir;
    ExchangeSimulator sim;
    final MeterRegistry registry = new SimpleMeterRegistry();
    final List<AutoCloseable> resources = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Logger> captured = new ArrayList<>();

    RestTestSupport() {
        logs.start();
        for (String name : List.of("com.systemtrader.rest", "com.systemtrader.credentials", "com.systemtrader.simulator")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            if (name.equals("com.systemtrader.rest")) l.setLevel(Level.TRACE);
            l.addAppender(logs);
            captured.add(l);
        }
    }

    static SimulatorConfig.Builder simConfig() {
        return SimulatorConfig.builder(MarketConfig.defaults(7, SYMBOLS).withBarIntervalMs(1000).withHalts(0).withMaxLateMs(300))
                .rate(1_500).polygonKeys(Set.of(POLYGON_KEY)).alpacaKeys(Map.of(ALPACA_ID, ALPACA_SECRET))
                .polygonRestPerMinute(0).alpacaRestPerMinute(0);
    }

    ExchangeSimulator start(SimulatorConfig.Builder config) {
        sim = ExchangeSimulator.start(config.build());
        resources.add(sim);
        return sim;
    }

    /** Keys as in the simulator; the key's shared limits per minute (0 = unlimited). */
    APIKeyManager keys(int polygonPerMinute, int alpacaPerMinute) {
        return keys(POLYGON_KEY, polygonPerMinute, alpacaPerMinute);
    }

    APIKeyManager keys(String polygonKey, int polygonPerMinute, int alpacaPerMinute) {
        try {
            Path f = dir.resolve("api_credentials-" + System.nanoTime() + ".yaml");
            Files.writeString(f, "polygon:\n  api_key: \"" + polygonKey + "\"\n  rate_limit_per_minute: " + polygonPerMinute
                    + "\nalpaca:\n  key_id: \"" + ALPACA_ID + "\"\n  secret_key: \"" + ALPACA_SECRET
                    + "\"\n  rate_limit_per_minute: " + alpacaPerMinute + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return APIKeyManager.load(f, Map.of(), Clock.systemUTC());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    RestTransport transport(RestSettings settings) {
        RestTransport t = RestTransport.create(settings, registry);
        resources.add(t);
        return t;
    }

    URI base() {
        return URI.create(sim.restBaseUrl());
    }

    double counter(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Every captured log line with its arguments and exception messages. */
    List<String> logLines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            StringBuilder b = new StringBuilder(e.getFormattedMessage());
            if (e.getArgumentArray() != null) for (Object a : e.getArgumentArray()) b.append(" | ").append(a);
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) b.append(" | ").append(t.getMessage());
            out.add(b.toString());
        }
        return out;
    }

    /** A message and its causes' messages. */
    static String fullText(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c).append(" / ");
        return b.toString();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Logger l : captured) l.detachAppender(logs);
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }
}
