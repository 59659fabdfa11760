package com.systemtrader.data;

import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisDataCache;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.alpaca.AlpacaRestClient;
import com.systemtrader.provider.polygon.PolygonRestClient;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.StorageConfig;
import com.systemtrader.storage.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Real components for the provider tests: the simulator (REST) with test keys, one migrated PostgreSQL database
 * per class, the Redis test server, and closed ports for the "down" cases.
 */
abstract class ProviderTestSupport {
    static final String POLYGON_KEY = "PgKdataTest7xQ2mZ9vB4nR8sT1wY6uE3";
    static final String ALPACA_ID = "PKDATA3Q8R5T2W9Y4U7I";
    static final String ALPACA_SECRET = "SqData9Lm3Np7Rs2Tv6Wx0Yz4Ab8Cd1Ef5Gh9Ij";
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA");
    static final long S = 1_000_000_000L;
    static final long MIN = 60 * S;
    static final RestSettings FAST = RestSettings.DEFAULTS.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
            .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(100)).withMaxRateLimitWait(Duration.ofSeconds(1));

    static TestDatabase db;
    static ExchangeSimulator sim;
    static Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startShared() throws IOException {
        db = TestDatabase.create();
        MigrationRunner.migrate(new Database(StorageConfig.defaults().withUrl(db.url).withUser("postgres"), null));
        sim = ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(11, SYMBOLS).withBarIntervalMs(1000)
                        .withHalts(0).withMaxLateMs(300)).rate(1_000).polygonKeys(Set.of(POLYGON_KEY))
                .alpacaKeys(Map.of(ALPACA_ID, ALPACA_SECRET)).polygonRestPerMinute(0).alpacaRestPerMinute(0).build());
        dir = Files.createTempDirectory("provider-test");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SYMBOLS.stream()
                .allMatch(s -> sim.history().lastTrade(s).isPresent() && sim.history().lastQuote(s).isPresent()));
    }

    @AfterAll
    static void stopShared() {
        if (sim != null) sim.close();
        if (db != null) db.close();
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    <T extends AutoCloseable> T track(T c) {
        resources.add(c);
        return c;
    }

    Database database() {
        return new Database(StorageConfig.defaults().withUrl(db.url).withUser("postgres"), null);
    }

    static Database deadDatabase() {
        return new Database(StorageConfig.defaults().withUrl("jdbc:postgresql://127.0.0.1:" + closedPort() + "/x")
                .withUser("postgres"), null);
    }

    static RedisConfig deadRedis() {
        return RedisConfig.local("127.0.0.1", closedPort()).withBackoff(Duration.ofMillis(500), Duration.ofMillis(10),
                Duration.ofMillis(100));
    }

    static RedisConfig redisConfig(RedisTestServer server) {
        return RedisConfig.local("127.0.0.1", server.port).withKeyPrefix(server.prefix);
    }

    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    APIKeyManager keys() {
        try {
            Path f = dir.resolve("api_credentials-" + System.nanoTime() + ".yaml");
            Files.writeString(f, "polygon:\n  api_key: \"" + POLYGON_KEY + "\"\n  rate_limit_per_minute: 0\n"
                    + "alpaca:\n  key_id: \"" + ALPACA_ID + "\"\n  secret_key: \"" + ALPACA_SECRET
                    + "\"\n  rate_limit_per_minute: 0\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return APIKeyManager.load(f, Map.of(), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RestTransport transport() {
        return track(RestTransport.create(FAST, registry));
    }

    PolygonRestClient polygon(RestTransport t) {
        return new PolygonRestClient(URI.create(sim.restBaseUrl()), keys(), t);
    }

    PolygonRestClient unreachablePolygon(RestTransport t) {
        return new PolygonRestClient(URI.create("http://127.0.0.1:" + closedPort()), keys(), t);
    }

    AlpacaRestClient alpaca(RestTransport t) {
        return new AlpacaRestClient(URI.create(sim.restBaseUrl()), keys(), t, "iex");
    }

    RealtimeDataProvider.Builder builder() {
        return RealtimeDataProvider.builder().meterRegistry(registry).retryAfter(Duration.ZERO);
    }

    double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    static long now() {
        return Timestamps.nowNs();
    }

    static Trade trade(DataSource src, String sym, long t, double price) {
        return new Trade(src, sym, t, t + 1_000_000, price, 100, 4, Long.toString(t), 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.NONE);
    }

    static Quote quote(DataSource src, String sym, long t, double bid, double ask) {
        return new Quote(src, sym, t, t + 1_000_000, 11, bid, 3, 12, ask, 4, Conditions.NONE, Conditions.NONE, 'C',
                Absent.LONG);
    }

    static Bar minuteBar(DataSource src, String sym, long start, double close, long volume) {
        return new Bar(src, sym, BarInterval.MINUTE, start, start + MIN, start + MIN, close - 0.5, close + 1, close - 1,
                close, volume, close, 10, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    /** A minute bar the bar builder made from {@code origin}'s trades (source DERIVED). */
    static Bar builtMinuteBar(DataSource origin, String sym, long start, double close, long volume) {
        return new Bar(DataSource.DERIVED, sym, BarInterval.MINUTE, start, start + MIN, start + MIN, close - 0.5,
                close + 1, close - 1, close, volume, close, 10, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false,
                origin);
    }

    /** Writes events to Redis through the cache's own writer and waits until they are there. */
    static void putRedis(RedisConfig config, List<? extends MarketEvent> events) {
        try (RedisDataCache c = new RedisDataCache(config, null).start()) {
            c.addAll(events);
            if (!c.writer().awaitIdle(10_000)) throw new IllegalStateException("Redis writer not idle");
        }
    }

    /** Inserts trades into websocket_data (bar-eligible: eligibility 28). */
    static void insertTrades(String sym, String source, long[] times, double[] prices) throws SQLException {
        try (Connection c = db.connect()) {
            try (var st = c.createStatement()) {
                st.execute("SELECT ensure_daily_partitions('websocket_data', (now() AT TIME ZONE 'UTC')::date - 10, 12)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO websocket_data (time, event_ns, symbol, data_type,"
                    + " source, event_id, received_at, price, size, eligibility) VALUES (?, ?, ?, 'trade', ?, ?, now(), ?, 100, 28)")) {
                for (int i = 0; i < times.length; i++) {
                    ps.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochSecond(0, times[i] / 1000 * 1000), ZoneOffset.UTC));
                    ps.setLong(2, times[i]);
                    ps.setString(3, sym);
                    ps.setString(4, source);
                    ps.setString(5, "4::" + times[i]);
                    ps.setDouble(6, prices[i]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    static void insertQuote(String sym, String source, long t, double bid, double ask) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO websocket_data (time,"
                + " event_ns, symbol, data_type, source, event_id, received_at, bid_price, bid_size, ask_price, ask_size)"
                + " VALUES (?, ?, ?, 'quote', ?, ?, now(), ?, 2, ?, 3)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(Instant.ofEpochSecond(0, t / 1000 * 1000), ZoneOffset.UTC));
            ps.setLong(2, t);
            ps.setString(3, sym);
            ps.setString(4, source);
            ps.setString(5, "t" + t);
            ps.setDouble(6, bid);
            ps.setDouble(7, ask);
            ps.executeUpdate();
        }
    }
}
