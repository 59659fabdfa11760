package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigException;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials the database or Redis refuses are a configuration error at start (exit 2 naming the settings), not an
 * outage the service would journal through forever; the password never appears in the error.
 */
class ServiceCredentialsTest {
    private static final String SECRET = "Wr0ng-Pa55-Secret";
    @TempDir Path dir;

    private static CollectorConfig config(String storage, String redis) {
        return ConfigLoader.parse("""
                polygon:
                  websocket:
                    url: ws://127.0.0.1:1/stocks
                    symbols: [AAPL]
                alpaca:
                  websocket:
                    enabled: false
                """ + storage + redis + """
                service:
                  http_port: 0
                """, "test", Map.of());
    }

    private APIKeyManager keys() {
        return APIKeyManager.load(dir.resolve("none.yaml"), Map.of("POLYGON_API_KEY", "k"), Clock.systemUTC());
    }

    @Test void aDatabaseRoleTheServerRefusesIsAConfigurationError() {
        try (TestDatabase db = TestDatabase.create()) {
            String storage = """
                    storage:
                      url: %s
                      user: no_such_role_st
                      journal_dir: %s
                    """.formatted(db.url, dir.resolve("journal"));
            assertThatThrownBy(() -> SystemTraderService.start(config(storage, ""), keys(),
                    Map.of("SYSTEM_TRADER_DB_PASSWORD", SECRET)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("storage.user")
                    .hasMessageContaining("no_such_role_st")
                    .hasMessageNotContaining(SECRET);
        }
    }

    @Test void credentialsRedisRefusesAreAConfigurationError() {
        try (RedisTestServer redis = RedisTestServer.start()) {
            String noStorage = """
                    storage:
                      enabled: false
                    """;
            String cache = """
                    redis:
                      enabled: true
                      url: redis://127.0.0.1:%d
                    """.formatted(redis.port);
            // the test server has no password: AUTH with one is refused
            assertThatThrownBy(() -> SystemTraderService.start(config(noStorage, cache), keys(),
                    Map.of("SYSTEM_TRADER_REDIS_PASSWORD", SECRET)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("redis.url")
                    .hasMessageContaining("SYSTEM_TRADER_REDIS_PASSWORD")
                    .hasMessageNotContaining(SECRET);
        }
    }
}
