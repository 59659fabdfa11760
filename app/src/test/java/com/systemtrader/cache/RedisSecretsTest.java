package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Credentials never appear in toString, in the safe URL, or in what the cache logs when the server rejects them. */
class RedisSecretsTest {
    private static final String SECRET = "s3cr3t-P@ss";

    @Test void urlIsParsedAndMasked() {
        RedisConfig c = RedisConfig.fromUrl("rediss://trader:s3cr3t-P%40ss@redis.example.com:6380/2");
        assertThat(c.username()).isEqualTo("trader");
        assertThat(c.password()).isEqualTo(SECRET);
        assertThat(c.tls()).isTrue();
        assertThat(c.database()).isEqualTo(2);
        assertThat(c.port()).isEqualTo(6380);
        assertThat(c.safeUrl()).isEqualTo("rediss://trader:****@redis.example.com:6380/2");
        RedisConfig t = c.withTls(Path.of("/etc/trust.p12"), "trust-pw-1");
        assertThat(t.toString()).doesNotContain(SECRET).doesNotContain("s3cr3t").doesNotContain("trust-pw-1")
                .contains("****");
        assertThat(RedisConfig.fromUrl("redis://onlypass@h").password()).isEqualTo("onlypass");
        assertThat(RedisConfig.fromUrl("redis://onlypass@h").safeUrl()).isEqualTo("redis://:****@h:6379/0");
    }

    @Test void aRejectedPasswordIsNeverLogged() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (RedisTestServer server = RedisTestServer.start()) {
            RedisConfig cfg = server.config().withCredentials("nobody", SECRET)
                    .withBackoff(Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMillis(50));
            try (RedisDataCache c = new RedisDataCache(cfg, null).start()) {
                c.addAll(List.of(trade("AAPL", T0, 1, "1")));
                // the writer has been refused twice (the first logged at once, the repeats rate-limited)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> c.writer().failedAttempts() >= 2);
                c.latest(SeriesKey.of(trade("AAPL", T0, 1, "1")));
                assertThat(c.toString()).doesNotContain(SECRET);
            }
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain(SECRET);
            if (e.getThrowableProxy() != null) assertThat(e.getThrowableProxy().getMessage()).doesNotContain(SECRET);
        });
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("unavailable"));
    }
}
