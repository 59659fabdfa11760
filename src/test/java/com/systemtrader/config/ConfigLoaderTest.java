package com.systemtrader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
                compression: false
              rest:
                url: https://paper.example.com
            data:
              clean_data: false
              validate_data: false
              store_trades: false
              store_quotes: false
              batch_inserts: false
              db_batch_size: 100000
            """;

    @Test
    void missingFileGivesDefaultsAndSaysSo(@TempDir Path dir) {
        LoadedConfig loaded = ConfigLoader.read(dir.resolve("collector_config.yaml"), Map.of());
        assertThat(loaded.config()).isEqualTo(CollectorConfig.defaults());
        assertThat(loaded.fileFound()).isFalse();
        assertThat(loaded.notes()).containsExactly("file not found; using built-in defaults");
        assertThat(ConfigLoader.load(dir.resolve("nope.yaml"), Map.of())).isEqualTo(CollectorConfig.defaults());
    }

    @Test
    void missingFileStillTakesTheEnvironment(@TempDir Path dir) {
        CollectorConfig c = ConfigLoader.load(dir.resolve("missing.yaml"),
                Map.of("SYSTEM_TRADER__ALPACA__WEBSOCKET__ENABLED", "true"));
        assertThat(c.alpaca().enabled()).isTrue();
        assertThat(c.polygon()).isEqualTo(FeedConfig.polygonDefaults());
    }

    @Test
    void emptyFileAndEmptySectionsGiveDefaults(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "# nothing yet\n");
        LoadedConfig loaded = ConfigLoader.read(file, Map.of());
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
                Duration.ofSeconds(4), Duration.ofSeconds(600), false, Duration.ZERO, 16_777_216, 268_435_456, false));
        assertThat(c.alpaca().streamUri()).isEqualTo(URI.create("ws://localhost:9001/v2/sip"));
        assertThat(c.alpacaRestUrl()).isEqualTo(URI.create("https://paper.example.com"));
        assertThat(c.data()).isEqualTo(new DataConfig(false, false, false, false, false, 100_000));
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
    void storageAndCleanerKeysAreAcceptedWithANote() {
        LoadedConfig loaded = ConfigLoader.readString("data:\n  store_trades: false\n  db_batch_size: 500\n  clean_data: true\n",
                "c.yaml", Map.of());
        assertThat(loaded.notes()).containsExactly(
                "data.store_trades, data.db_batch_size: accepted; take effect when storage is configured",
                "data.clean_data: accepted; takes effect when the data cleaner is in the pipeline");
        assertThat(ConfigLoader.readString("polygon: {}\n", "c.yaml", Map.of()).notes()).isEmpty();
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
        assertThat(loaded.notes()).hasSize(2);   // every data key is given, hence both pending notes
        assertThat(example.lines().filter(l -> l.matches("\\s+[a-z_]+: \\S.*")).allMatch(l -> l.contains(" # ")))
                .as("every key has a comment").isTrue();
        assertThat(example.lines().filter(l -> l.matches("\\s+[a-z_]+: \\S.*")).count()).isEqualTo(2 * 16 - 1 + 2 + 6);
    }

    static CollectorConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of());
    }
}
