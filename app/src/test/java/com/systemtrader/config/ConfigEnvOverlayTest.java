package com.systemtrader.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigEnvOverlayTest {
    static final String FILE = """
            polygon:
              websocket:
                url: wss://socket.polygon.io/stocks
                symbols: [AAPL]
            """;

    @Test
    void environmentOverridesTheFileWhichOverridesTheDefaults() {
        LoadedConfig loaded = ConfigLoader.readString(FILE, "c.yaml", Map.of(
                "SYSTEM_TRADER__POLYGON__WEBSOCKET__URL", "ws://127.0.0.1:8765/stocks",
                "SYSTEM_TRADER__POLYGON__WEBSOCKET__PONG_TIMEOUT_SECONDS", "2.5",
                "SYSTEM_TRADER__ALPACA__WEBSOCKET__ENABLED", "TRUE",
                "SYSTEM_TRADER__DATA__DB_BATCH_SIZE", "5_000",
                "PATH", "/usr/bin", "SYSTEM_TRADER_HOME", "/opt/st"));
        CollectorConfig c = loaded.config();
        assertThat(c.polygon().url()).isEqualTo(URI.create("ws://127.0.0.1:8765/stocks"));
        assertThat(c.polygon().symbols()).containsExactly("AAPL");
        assertThat(c.polygon().pongTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.polygon().heartbeatInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.alpaca().enabled()).isTrue();
        assertThat(c.data().dbBatchSize()).isEqualTo(5_000);
        assertThat(loaded.notes()).containsExactly(
                "alpaca.websocket.enabled: set by SYSTEM_TRADER__ALPACA__WEBSOCKET__ENABLED",
                "data.db_batch_size: set by SYSTEM_TRADER__DATA__DB_BATCH_SIZE",
                "polygon.websocket.pong_timeout_seconds: set by SYSTEM_TRADER__POLYGON__WEBSOCKET__PONG_TIMEOUT_SECONDS",
                "polygon.websocket.url: set by SYSTEM_TRADER__POLYGON__WEBSOCKET__URL");
    }

    @Test
    void listsAreCommaSeparated() {
        CollectorConfig c = ConfigLoader.parse(FILE, "c.yaml", Map.of(
                "SYSTEM_TRADER__POLYGON__WEBSOCKET__SYMBOLS", "MSFT, NVDA,BRK.B,",
                "SYSTEM_TRADER__ALPACA__WEBSOCKET__CHANNELS", "trades,updatedBars"));
        assertThat(c.polygon().symbols()).containsExactly("MSFT", "NVDA", "BRK.B");
        assertThat(c.alpaca().channels()).containsExactly("trades", "updatedBars");
        assertThat(ConfigLoader.parse("", "c.yaml", Map.of("SYSTEM_TRADER__POLYGON__WEBSOCKET__SYMBOLS", ""))
                .polygon().symbols()).isEmpty();
    }

    @Test
    void unknownEnvironmentPathsAreErrorsWithASuggestion() {
        assertThat(problems(Map.of("SYSTEM_TRADER__POLYGON__WEBSOCKET__RECONECT_INTERVAL_SECONDS", "2"))).containsExactly(
                "c.yaml: polygon.websocket.reconect_interval_seconds (from SYSTEM_TRADER__POLYGON__WEBSOCKET__RECONECT_INTERVAL_SECONDS): "
                        + "unknown key (did you mean SYSTEM_TRADER__POLYGON__WEBSOCKET__RECONNECT_INTERVAL_SECONDS?)");
        assertThat(problems(Map.of("SYSTEM_TRADER__POLYGN__WEBSOCKET__URL", "ws://x"))).containsExactly(
                "c.yaml: polygn (from SYSTEM_TRADER__POLYGN__WEBSOCKET__URL): unknown key (did you mean SYSTEM_TRADER__POLYGON__WEBSOCKET__URL?)");
        assertThat(problems(Map.of("SYSTEM_TRADER__POLYGON____URL", "ws://x"))).containsExactly(
                "c.yaml: SYSTEM_TRADER__POLYGON____URL: empty path segment; separate keys with one double underscore");
        assertThat(problems(Map.of("SYSTEM_TRADER__POLYGON", "x"))).containsExactly(
                "c.yaml: polygon (from SYSTEM_TRADER__POLYGON): expected a section (keys indented below it), got \"x\"");
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertThat(problems(Map.of(
                "SYSTEM_TRADER__POLYGON__WEBSOCKET__ENABLED", "maybe",
                "SYSTEM_TRADER__POLYGON__WEBSOCKET__CHANNELS", "T,X",
                "SYSTEM_TRADER__ALPACA__WEBSOCKET__URL", "http://x"))).containsExactly(
                "c.yaml: polygon.websocket.enabled (from SYSTEM_TRADER__POLYGON__WEBSOCKET__ENABLED): expected true or false, got \"maybe\"",
                "c.yaml: polygon.websocket.channels[1] (from SYSTEM_TRADER__POLYGON__WEBSOCKET__CHANNELS): unknown channel \"X\" (allowed: T, Q, A, AM, LULD, NOI)",
                "c.yaml: alpaca.websocket.url (from SYSTEM_TRADER__ALPACA__WEBSOCKET__URL): must be a ws or wss URL, got \"http://x\"");
    }

    @Test
    void credentialVariablesUnderThePrefixAreRejectedWithoutTheirValue() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(FILE, "c.yaml",
                Map.of("SYSTEM_TRADER__POLYGON__API_KEY", "pk_SECRET")));
        assertThat(e.problems()).containsExactly("c.yaml: polygon.api_key (from SYSTEM_TRADER__POLYGON__API_KEY): "
                + Section.CREDENTIALS);
        assertThat(e.getMessage()).doesNotContain("SECRET");
    }

    @Test
    void aVariableBelowAnEmptySectionOfTheFileIsFine() {
        CollectorConfig c = ConfigLoader.parse("alpaca:\ndata:\n", "c.yaml",
                Map.of("SYSTEM_TRADER__ALPACA__WEBSOCKET__FEED", "sip"));
        assertThat(c.alpaca().streamUri()).isEqualTo(URI.create("wss://stream.data.alpaca.markets/v2/sip"));
    }

    @Test
    void aVariableBelowAScalarOfTheFileIsAnError() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("data: 5\n", "c.yaml",
                Map.of("SYSTEM_TRADER__DATA__CLEAN_DATA", "true"))).problems()).containsExactly(
                "c.yaml:1: data: expected a section (keys indented below it), got \"5\"",
                "c.yaml: data.clean_data (from SYSTEM_TRADER__DATA__CLEAN_DATA): data is not a section (line 1 of the file)");
    }

    static List<String> problems(Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(FILE, "c.yaml", env)).problems();
    }
}
