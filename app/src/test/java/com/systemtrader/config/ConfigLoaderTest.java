package com.systemtrader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import com.systemtrader.bars.BarConfig;
import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.cache.LivePublish;
import com.systemtrader.cache.MemoryCacheConfig;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.storage.MaintenanceConfig;
import com.systemtrader.storage.StorageConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    static final String EVERY_KEY = """
            polygon:
              websocket:
                enabled: false
                url: wss://delayed.polygon.io/stocks
                channels: [A, LULD, NOI]
                symbols: [BRK.B, "*"]
                reconnect_interval_seconds: 2
                max_reconnect_interval_seconds: 90
                connection_limit_backoff_seconds: 120
                heartbeat_interval_seconds: 20
                pong_timeout_seconds: 7
                stale_data_seconds: 0
                stale_only_in_market_hours: false
                healthy_after_seconds: 45
                ring_capacity: 1024
                max_frame_bytes: 65536
                compression: true
              rest:
                url: http://localhost:9000
            alpaca:
              websocket:
                enabled: true
                url: ws://localhost:9001/v2
                feed: sip
                channels:
                  - updatedBars
                  - dailyBars
                  - statuses
                  - lulds
                  - imbalances
                symbols: [ON, NO]
                reconnect_interval_seconds: 3
                max_reconnect_interval_seconds: 30
                connection_limit_backoff_seconds: 15
                heartbeat_interval_seconds: 12
                pong_timeout_seconds: 4
                stale_data_seconds: 600
                stale_only_in_market_hours: false
                healthy_after_seconds: 0
                ring_capacity: 16777216
                max_frame_bytes: 268435456
                compression: true
                wire_format: json
              rest:
                url: https://paper.example.com
            data:
              clean_data: false
              validate_data: false
              store_trades: false
              store_quotes: false
              batch_inserts: false
              db_batch_size: 100000
              cleaner:
                max_future_seconds: 2.5
                max_age_seconds: 3600
                max_price: 500000
                max_trade_size: 1000000
                dedupe_window: 512
                outlier_window: 64
                outlier_mad_k: 8
                outlier_min_fraction: 0.05
                late_after_seconds: 3
                test_symbols: [ZVZZT, TEST*]
                quarantine_capacity: 50
              bars:
                mode: always
                second_emit_delay_seconds: 0.5
                second_late_window_seconds: 5
                minute_emit_delay_seconds: 2
                minute_late_window_seconds: 45
            storage:
              url: jdbc:postgresql://db.example.com:5433/md?sslmode=require
              user: md_app
              mode: postgresql
              migrate_on_start: false
              tick_chunk_hours: 6
              bar_chunk_days: 1
              tick_compress_after_hours: 12
              bar_compress_after_days: 30
              tick_retention_days: 7
              bar_retention_days: 730
              rollup_retention_days: 90
              partition_premake_days: 3
              quarantine_retention_days: 14
              enabled: false
              journal_dir: /srv/st/journal
              journal_budget_mb: 256
              maintenance_enabled: false
              maintenance_partitions_minutes: 30
              maintenance_rollups_seconds: 15
              maintenance_rollup_lookback_minutes: 600
              maintenance_retention_minutes: 240
              maintenance_compression_minutes: 90
              maintenance_keep_runs: 99
              maintenance_lock_timeout_seconds: 3
              writer_connections: 3
              synchronous_commit: false
              rollup_refresh_seconds: 7
            cache:
              memory_max_entries: 500
              memory_tick_window_seconds: 600
              memory_bar_window_hours: 48
            redis:
              enabled: true
              url: rediss://cache.example.com:6380/2
              username: md
              truststore: /etc/st/trust.p12
              prefix: st
              tick_retention_seconds: 900
              minute_bar_retention_hours: 12
              daily_bar_retention_days: 10
              tick_ttl_hours: 6
              bar_ttl_days: 3
              max_entries: 5000
              queue_capacity: 64
              batch_size: 2048
              live_publish: stream
              stream_max_len: 500
            service:
              http_host: 10.0.0.5
              http_port: 0
            """;

    @Test
    void theLenientReadGivesDefaultsForAMissingFileAndSaysSo(@TempDir Path dir) {
        LoadedConfig loaded = ConfigLoader.readIfPresent(dir.resolve("collector_config.yaml"), Map.of());
        assertThat(loaded.config()).isEqualTo(CollectorConfig.defaults());
        assertThat(loaded.fileFound()).isFalse();
        assertThat(loaded.notes()).containsExactly("file not found; using built-in defaults");
    }

    /** A mistyped --config path used to run on built-in defaults; now it is an error naming the path. */
    @Test
    void aMissingFileIsAnErrorNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of("SYSTEM_TRADER__ALPACA__WEBSOCKET__ENABLED", "true")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing + ": configuration file not found");
        // the library's default instance still works without a file, and still takes the environment
        LoadedConfig lenient = ConfigLoader.readIfPresent(missing, Map.of("SYSTEM_TRADER__ALPACA__WEBSOCKET__ENABLED", "true"));
        assertThat(lenient.fileFound()).isFalse();
        assertThat(lenient.config().alpaca().enabled()).isTrue();
        assertThat(lenient.config().polygon()).isEqualTo(FeedConfig.polygonDefaults());
    }

    @Test
    void aFileThatSetsNothingIsAnError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "# nothing yet\n");
        assertThatThrownBy(() -> ConfigLoader.read(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ": the file sets no key");
    }

    @Test
    void emptySectionsGiveDefaults(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "# nothing yet\n");
        LoadedConfig loaded = ConfigLoader.readIfPresent(file, Map.of());
        assertThat(loaded.config()).isEqualTo(CollectorConfig.defaults());
        assertThat(loaded.fileFound()).isTrue();
        assertThat(loaded.notes()).containsExactly("file is empty; using built-in defaults");
        assertThat(parse("polygon:\n  websocket:\nalpaca:\ndata:\n")).isEqualTo(CollectorConfig.defaults());
    }

    @Test
    void missingKeysKeepTheirDefaults() {
        CollectorConfig c = parse("polygon:\n  websocket:\n    symbols: [AAPL]\n");
        assertThat(c.polygon()).isEqualTo(new FeedConfig(true, URI.create("wss://socket.polygon.io/stocks"), null,
                List.of("T", "Q", "AM"), List.of("AAPL"), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(25), Duration.ofSeconds(10), Duration.ofSeconds(30), true,
                Duration.ofSeconds(30), 65_536, 16 << 20, false));
        assertThat(c.alpaca()).isEqualTo(FeedConfig.alpacaDefaults());
        assertThat(c.data()).isEqualTo(DataConfig.defaults());
    }

    @Test
    void everyKeyIsRead() {
        CollectorConfig c = parse(EVERY_KEY);
        assertThat(c.polygon()).isEqualTo(new FeedConfig(false, URI.create("wss://delayed.polygon.io/stocks"), null,
                List.of("A", "LULD", "NOI"), List.of("BRK.B", "*"), Duration.ofSeconds(2), Duration.ofSeconds(90),
                Duration.ofSeconds(120), Duration.ofSeconds(20), Duration.ofSeconds(7), Duration.ZERO, false,
                Duration.ofSeconds(45), 1024, 65_536, true));
        assertThat(c.polygonRestUrl()).isEqualTo(URI.create("http://localhost:9000"));
        assertThat(c.alpaca()).isEqualTo(new FeedConfig(true, URI.create("ws://localhost:9001/v2"), "sip",
                List.of("updatedBars", "dailyBars", "statuses", "lulds", "imbalances"), List.of("ON", "NO"),
                Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(12),
                Duration.ofSeconds(4), Duration.ofSeconds(600), false, Duration.ZERO, 16_777_216, 268_435_456, true,
                "json"));
        assertThat(c.alpaca().streamUri()).isEqualTo(URI.create("ws://localhost:9001/v2/sip"));
        assertThat(c.alpacaRestUrl()).isEqualTo(URI.create("https://paper.example.com"));
        assertThat(c.data()).isEqualTo(new DataConfig(false, false, false, false, false, 100_000,
                new CleanerConfig(false, false, Duration.ofMillis(2_500), Duration.ofHours(1), 500_000, 1_000_000, 512,
                        64, 8, 0.05, Duration.ofSeconds(3), List.of("ZVZZT", "TEST*"), 50),
                new BarConfig(BarConfig.Mode.ALWAYS, Duration.ofMillis(500), Duration.ofSeconds(5),
                        Duration.ofSeconds(2), Duration.ofSeconds(45), Duration.ofMinutes(1))));
        assertThat(c.storage()).isEqualTo(new StorageConfig("jdbc:postgresql://db.example.com:5433/md?sslmode=require",
                "md_app", "postgresql", false, Duration.ofHours(6), Duration.ofDays(1), Duration.ofHours(12),
                Duration.ofDays(30), 7, 730, 90, 3, 14));
        assertThat(c.service()).isEqualTo(new ServiceConfig("10.0.0.5", 0, false, Path.of("/srv/st/journal"), 256,
                new MaintenanceConfig(false, Duration.ofMinutes(30), Duration.ofSeconds(15), Duration.ofHours(4),
                        Duration.ofMinutes(90), Duration.ofHours(10), 99, Duration.ofSeconds(3)), 3, false,
                Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(7), ServiceRole.ALL));
        assertThat(c.cache().memory()).isEqualTo(new MemoryCacheConfig(500, Duration.ofMinutes(10), Duration.ofHours(48)));
        assertThat(c.cache().redisEnabled()).isTrue();
        RedisConfig r = c.cache().redis();
        assertThat(r.host()).isEqualTo("cache.example.com");
        assertThat(r.port()).isEqualTo(6380);
        assertThat(r.database()).isEqualTo(2);
        assertThat(r.tls()).isTrue();
        assertThat(r.username()).isEqualTo("md");
        assertThat(r.truststore()).isEqualTo(Path.of("/etc/st/trust.p12"));
        assertThat(r.keyPrefix()).isEqualTo("st");
        assertThat(r.retentionOf("quote")).isEqualTo(Duration.ofMinutes(15));
        assertThat(r.retentionOf("bar:1m")).isEqualTo(Duration.ofHours(12));
        assertThat(r.retentionOf("bar:1d")).isEqualTo(Duration.ofDays(10));
        assertThat(r.ttlOf("trade")).isEqualTo(Duration.ofHours(6));
        assertThat(r.ttlOf("bar:1m")).isEqualTo(Duration.ofDays(3));
        assertThat(r.maxEntries()).isEqualTo(5_000);
        assertThat(r.queueCapacity()).isEqualTo(64);
        assertThat(r.batchSize()).isEqualTo(2_048);
        assertThat(r.livePublish()).isEqualTo(LivePublish.STREAM);
        assertThat(r.streamMaxLen()).isEqualTo(500);
    }

    @Test
    void redisPasswordsComeFromTheEnvironmentAndAreNeverPrinted() {
        CollectorConfig c = parse("redis:\n  url: rediss://cache.example.com:6380\n  username: md\n"
                + "  truststore: /etc/st/trust.p12\n");
        RedisConfig r = c.cache().redisWithSecrets(Map.of(CacheConfig.PASSWORD_ENV, "s3cret-redis-pass",
                CacheConfig.TRUSTSTORE_PASSWORD_ENV, "s3cret-trust-pass"));
        assertThat(r.password()).isEqualTo("s3cret-redis-pass");
        assertThat(r.truststorePassword()).isEqualTo("s3cret-trust-pass");
        assertThat(r.username()).isEqualTo("md");
        assertThat(r.tls()).isTrue();
        assertThat(r.toString() + r.safeUrl()).doesNotContain("s3cret");
        assertThat(c.cache().redisWithSecrets(Map.of()).password()).isNull();
    }

    @Test
    void redisRefusesCredentialsInTheUrlAndBadValues() {
        assertThat(problems("redis:\n  url: redis://u:hunter2hunter2@h:6379\n")).singleElement().asString()
                .contains("credentials do not belong").doesNotContain("hunter2");
        assertThat(problems("redis:\n  url: http://h:6379\n")).singleElement().asString()
                .contains("redis.url", "must be redis://host");
        assertThat(problems("redis:\n  password: hunter2hunter2\n")).singleElement().asString()
                .contains("credentials do not belong").doesNotContain("hunter2");
        assertThat(problems("redis:\n  queue_capacity: 0\n")).singleElement().asString()
                .contains("redis.queue_capacity");
    }

    @Test
    void storageRefusesCredentialsAndBadValues() {
        assertThat(problems("storage:\n  password: hunter2hunter2\n")).singleElement().asString()
                .contains("credentials do not belong").doesNotContain("hunter2");
        assertThat(problems("storage:\n  url: jdbc:postgresql://h/db?password=hunter2hunter2\n")).singleElement()
                .asString().contains("credentials do not belong").doesNotContain("hunter2");
        assertThat(problems("storage:\n  url: postgres://h/db\n")).singleElement().asString()
                .contains("jdbc:postgresql://");
        assertThat(problems("storage:\n  mode: timescale\n")).singleElement().asString()
                .contains("auto, timescaledb, postgresql");
        assertThat(problems("storage:\n  rollup_retention_days: 3\n")).singleElement().asString()
                .contains("at least 8");
    }

    private static List<String> problems(String yaml) {
        try {
            ConfigLoader.parse(yaml, "test.yaml", Map.of());
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Test
    void durationsTakeFractionsOfSeconds() {
        FeedConfig f = parse("""
                polygon:
                  websocket:
                    reconnect_interval_seconds: 0.5
                    heartbeat_interval_seconds: 2.25
                    pong_timeout_seconds: .75
                    stale_data_seconds: 1.000000001
                    healthy_after_seconds: 1_800
                """).polygon();
        assertThat(f.reconnectInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(f.heartbeatInterval()).isEqualTo(Duration.ofMillis(2250));
        assertThat(f.pongTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(f.staleData()).isEqualTo(Duration.ofSeconds(1, 1));
        assertThat(f.healthyAfter()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void storageAndServiceKeysBindWithoutNotes() {
        LoadedConfig loaded = ConfigLoader.readString("""
                data:
                  store_trades: false
                  db_batch_size: 500
                storage:
                  enabled: false
                  journal_dir: /var/lib/st/journal
                  journal_budget_mb: 128
                  shutdown_drain_seconds: 45
                  ready_max_outage_seconds: 120
                service:
                  http_host: 0.0.0.0
                  http_port: 9000
                """, "c.yaml", Map.of());
        assertThat(loaded.notes()).isEmpty();
        CollectorConfig c = loaded.config();
        assertThat(c.data().storeTrades()).isFalse();
        assertThat(c.service()).isEqualTo(new ServiceConfig("0.0.0.0", 9000, false, Path.of("/var/lib/st/journal"), 128,
                MaintenanceConfig.defaults(), 2, true, Duration.ofSeconds(45), Duration.ofSeconds(120),
                Duration.ofSeconds(5), ServiceRole.ALL));
        assertThatThrownBy(() -> parse("service:\n  http_port: 70000\n")).hasMessageContaining("service.http_port");
        assertThatThrownBy(() -> parse("storage:\n  journal_budget_mb: 0\n"))
                .hasMessageContaining("storage.journal_budget_mb");
        assertThatThrownBy(() -> parse("storage:\n  tick_retention_days: 1\n  maintenance_rollup_lookback_minutes: 1440\n"))
                .hasMessageContaining("storage.maintenance_rollup_lookback_minutes")
                .hasMessageContaining("shorter than tick_retention_days");
    }

    @Test
    void committedExampleLoads() {
        LoadedConfig loaded = ConfigLoader.read(Path.of("config/collector_config.yaml"), Map.of());
        CollectorConfig c = loaded.config();
        assertThat(loaded.fileFound()).isTrue();
        assertThat(c.polygon().enabled()).isTrue();
        assertThat(c.polygon().streamUri()).isEqualTo(URI.create("wss://socket.polygon.io/stocks"));
        assertThat(c.polygon().channels()).containsExactly("T", "Q", "AM");
        assertThat(c.polygon().symbols()).containsExactly("AAPL", "MSFT");
        assertThat(c.alpaca().enabled()).isFalse();
        assertThat(c.alpaca().streamUri()).isEqualTo(URI.create("wss://stream.data.alpaca.markets/v2/iex"));
        assertThat(c.data()).isEqualTo(DataConfig.defaults());
        assertThat(c.storage()).isEqualTo(StorageConfig.defaults());
    }

    @Test
    void committedSimulatorFileLoads() {
        CollectorConfig c = ConfigLoader.load(Path.of("config/collector_config.simulator.yaml"), Map.of());
        assertThat(c.polygon().enabled()).isTrue();
        assertThat(c.polygon().streamUri()).isEqualTo(URI.create("ws://127.0.0.1:8765/stocks"));
        assertThat(c.polygonRestUrl()).isEqualTo(URI.create("http://127.0.0.1:8765"));
        assertThat(c.alpaca().enabled()).isTrue();
        assertThat(c.alpaca().streamUri()).isEqualTo(URI.create("ws://127.0.0.1:8765/v2/iex"));
        assertThat(c.alpacaRestUrl()).isEqualTo(URI.create("http://127.0.0.1:8765"));
    }

    @Test
    void committedFilesSetEveryKey() throws IOException {
        String example = Files.readString(Path.of("config/collector_config.yaml"));
        assertThat(parse(example).polygon().withUrl(URI.create("ws://127.0.0.1:8765/stocks")))
                .isEqualTo(ConfigLoader.load(Path.of("config/collector_config.simulator.yaml"), Map.of()).polygon());
        LoadedConfig loaded = ConfigLoader.readString(example, "example", Map.of());
        assertThat(loaded.notes()).isEmpty();
        assertThat(example.lines().filter(l -> l.matches("\\s+[a-z_]+: \\S.*")).allMatch(l -> l.contains(" # ")))
                .as("every key has a comment").isTrue();
        assertThat(example.lines().filter(l -> l.matches("\\s+[a-z_]+: \\S.*")).count()).isEqualTo(2 * 17 - 2 + 2 + 6 + 11 + 5 + 12 + 3 + 8 + 2 + 3 + 14 + 2
                + 2 /* shutdown_drain, ready_max_outage */ + 1 /* storage.quarantine_retention_days */);
    }

    static CollectorConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of());
    }
}
