package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
            refusedAtStart(storage).hasMessageContaining("storage.user").hasMessageContaining("no_such_role_st");
        }
    }

    /**
     * A throwaway server of the test's own that checks passwords (scram-sha-256 for TCP connections; the machine's
     * shared server trusts everyone, so a wrong password there proves nothing): the wrong password is exit 2 naming
     * the settings, the right one passes the check.
     */
    @Test void aWrongDatabasePasswordIsAConfigurationErrorAndTheRightOnePasses() throws Exception {
        int port = ThrowawayPostgres.freePort();
        try (var pg = ThrowawayPostgres.start(dir.resolve("pg"), port)) {
            try (var c = ThrowawayPostgres.connect(port); var st = c.createStatement()) {
                st.execute("CREATE ROLE st_app LOGIN PASSWORD 'Right-Pa55-Secret'");
                st.execute("ALTER ROLE postgres PASSWORD 'admin-Pa55'");
            }
            java.nio.file.Path hba = dir.resolve("pg").resolve("pg_hba.conf");
            java.nio.file.Files.writeString(hba, "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                    + "host all all ::1/128 scram-sha-256\n");
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    "postgres", "admin-Pa55"); var st = c.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
            String storage = """
                    storage:
                      url: jdbc:postgresql://127.0.0.1:%d/postgres
                      user: st_app
                      migrate_on_start: false
                      journal_dir: %s
                    """.formatted(port, dir.resolve("journal"));
            // pg_reload_conf signals the server; wait until it asks for passwords
            com.systemtrader.storage.StorageConfig probe = com.systemtrader.storage.StorageConfig.defaults()
                    .withUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres").withUser("st_app");
            await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(50))
                    .alias("the server asks for a password").until(() -> {
                        try (var c = new com.systemtrader.storage.Database(probe,
                                com.systemtrader.credentials.Secret.of(SECRET)).connect()) {
                            return false; // the reload has not taken effect yet
                        } catch (com.systemtrader.storage.StorageException e) {
                            if (e.credentialsRejected()) return true;
                            throw e;
                        }
                    });
            refusedAtStart(storage).hasMessageContaining("storage.user / SYSTEM_TRADER_DB_PASSWORD")
                    .hasMessageContaining("st_app");
            try (SystemTraderService ok = SystemTraderService.start(config(storage, ""), keys(),
                    Map.of("SYSTEM_TRADER_DB_PASSWORD", "Right-Pa55-Secret"))) {
                org.assertj.core.api.Assertions.assertThat(ok.httpPort()).isPositive();
            }
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

    /** The service started with {@code storage} and the wrong password: a configuration error that never shows it. */
    private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> refusedAtStart(String storage) {
        return assertThatThrownBy(() -> SystemTraderService.start(config(storage, ""), keys(),
                Map.of("SYSTEM_TRADER_DB_PASSWORD", SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining(SECRET);
    }
}
