package com.systemtrader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigErrorsTest {

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(problems("polygon:\n  websocket:\n    reconect_interval_seconds: 2\n")).containsExactly(
                "test.yaml:3: polygon.websocket.reconect_interval_seconds: unknown key (did you mean reconnect_interval_seconds?)");
        assertThat(problems("polygn:\n  websocket: {}\n"))
                .containsExactly("test.yaml:1: polygn: unknown key (did you mean polygon?)");
        assertThat(problems("data:\n  dbBatchSize: 10\n"))
                .containsExactly("test.yaml:2: data.dbBatchSize: unknown key (did you mean db_batch_size?)");
    }

    @Test
    void unknownKeyWithoutANearMissSaysWhereItBelongsOrWhatIsKnown() {
        assertThat(problems("polygon:\n  websocket:\n    feed: sip\n")).containsExactly(
                "test.yaml:3: polygon.websocket.feed: unknown key (feed belongs under alpaca.websocket)");
        assertThat(problems("polygon:\n  websocket:\n    wire_format: msgpack\n")).containsExactly(
                "test.yaml:3: polygon.websocket.wire_format: unknown key (wire_format belongs under alpaca.websocket)");
        assertThat(problems("polygon:\n  url: wss://x\n")).containsExactly(
                "test.yaml:2: polygon.url: unknown key (url belongs under polygon.websocket or polygon.rest or alpaca.websocket or alpaca.rest or storage or redis)");
        assertThat(problems("kafka:\n  uri: x\n"))
                .containsExactly("test.yaml:1: kafka: unknown key (known keys here: polygon, alpaca, data, storage, cache, redis, service, bus)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            enabled: "yes please"        | polygon.websocket.enabled: expected true or false, got "yes please"
            enabled: yes                 | polygon.websocket.enabled: expected true or false, got "yes"
            enabled: [true]              | polygon.websocket.enabled: expected true or false, got a list
            enabled:                     | polygon.websocket.enabled: has no value; give true or false or remove the key to use the default
            ring_capacity: abc           | polygon.websocket.ring_capacity: expected a whole number, got "abc"
            ring_capacity: 1024.0        | polygon.websocket.ring_capacity: expected a whole number, got "1024.0"
            ring_capacity: 1000          | polygon.websocket.ring_capacity: must be a power of two from 1024 to 16777216, got 1000
            ring_capacity: 512           | polygon.websocket.ring_capacity: must be a power of two from 1024 to 16777216, got 512
            ring_capacity: 33554432      | polygon.websocket.ring_capacity: must be a power of two from 1024 to 16777216, got 33554432
            ring_capacity: 99999999999999999999 | polygon.websocket.ring_capacity: must be a power of two from 1024 to 16777216, got 99999999999999999999
            max_frame_bytes: 65535       | polygon.websocket.max_frame_bytes: must be from 65536 to 268435456, got 65535
            max_frame_bytes: 268435457   | polygon.websocket.max_frame_bytes: must be from 65536 to 268435456, got 268435457
            reconnect_interval_seconds: -1 | polygon.websocket.reconnect_interval_seconds: must not be negative, got -1
            reconnect_interval_seconds: 0  | polygon.websocket.reconnect_interval_seconds: must be greater than 0, got 0
            stale_data_seconds: -0.5     | polygon.websocket.stale_data_seconds: must not be negative, got -0.5
            healthy_after_seconds: 30s   | polygon.websocket.healthy_after_seconds: expected a number of seconds (e.g. 30 or 0.5), got "30s"
            healthy_after_seconds: .nan  | polygon.websocket.healthy_after_seconds: expected a number of seconds (e.g. 30 or 0.5), got ".nan"
            heartbeat_interval_seconds: 90000 | polygon.websocket.heartbeat_interval_seconds: must be at most 86400 (one day), got 90000
            url: https://socket.polygon.io/stocks | polygon.websocket.url: must be a ws or wss URL, got "https://socket.polygon.io/stocks"
            url: socket.polygon.io/stocks | polygon.websocket.url: must be a ws or wss URL, got "socket.polygon.io/stocks"
            url: wss:///stocks           | polygon.websocket.url: has no host, got "wss:///stocks"
            url: wss://host/stocks#x     | polygon.websocket.url: must not have a query or fragment, got "wss://host/stocks#x"
            url: wss://a b               | polygon.websocket.url: not a valid URL, got "wss://a b"
            channels: [T, X]             | polygon.websocket.channels[1]: unknown channel "X" (allowed: T, Q, A, AM, LULD, NOI)
            channels: [trades]           | polygon.websocket.channels[0]: unknown channel "trades" (allowed: T, Q, A, AM, LULD, NOI)
            channels: [T, T]             | polygon.websocket.channels[1]: listed twice: "T"
            channels: []                 | polygon.websocket.channels: must name at least one channel while the feed is enabled
            channels: T                  | polygon.websocket.channels: expected a list, e.g. [A, B] or one "- A" per line, got "T"
            symbols: [aapl]              | polygon.websocket.symbols[0]: must be * or match [A-Z][A-Z0-9./]{0,19} (upper case), got "aapl"
            symbols: [AAPL, 1AB]         | polygon.websocket.symbols[1]: must be * or match [A-Z][A-Z0-9./]{0,19} (upper case), got "1AB"
            symbols: [ABCDEFGHIJKLMNOPQRSTU] | polygon.websocket.symbols[0]: must be * or match [A-Z][A-Z0-9./]{0,19} (upper case), got "ABCDEFGHIJKLMNOPQRSTU"
            symbols: [[AAPL]]            | polygon.websocket.symbols[0]: expected a single value, got a list
            pong_timeout_seconds: 25     | polygon.websocket.pong_timeout_seconds: must be less than heartbeat_interval_seconds (25), got 25
            heartbeat_interval_seconds: 5 | polygon.websocket.heartbeat_interval_seconds: must be greater than pong_timeout_seconds (10), got 5
            max_reconnect_interval_seconds: 0.5 | polygon.websocket.max_reconnect_interval_seconds: must be at least reconnect_interval_seconds (1), got 0.5
            """)
    void badPolygonValueNamesPathAndValue(String line, String expected) {
        assertThat(problems("polygon:\n  websocket:\n    " + line + "\n")).containsExactly("test.yaml:3: " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            websocket: {feed: nasdaq}       | alpaca.websocket.feed: must be one of iex, sip, delayed_sip, test, got "nasdaq"
            websocket: {wire_format: MsgPack} | alpaca.websocket.wire_format: must be one of msgpack, json, got "MsgPack"
            websocket: {wireformat: json}   | alpaca.websocket.wireformat: unknown key (did you mean wire_format?)
            websocket: {channels: [T]}      | alpaca.websocket.channels[0]: unknown channel "T" (allowed: trades, quotes, bars, updatedBars, dailyBars, statuses, lulds, imbalances)
            websocket: {channels: [Trades]} | alpaca.websocket.channels[0]: unknown channel "Trades" (allowed: trades, quotes, bars, updatedBars, dailyBars, statuses, lulds, imbalances)
            websocket: {url: wss://stream.data.alpaca.markets/v2/iex} | alpaca.websocket.url: is the base URL without the feed (e.g. wss://stream.data.alpaca.markets/v2); the feed comes from alpaca.websocket.feed
            rest: {url: wss://data.alpaca.markets} | alpaca.rest.url: must be a http or https URL, got "wss://data.alpaca.markets"
            rest: {url: ftp://x}            | alpaca.rest.url: must be a http or https URL, got "ftp://x"
            rest: 5                         | alpaca.rest: expected a section (keys indented below it), got "5"
            """)
    void badAlpacaValueNamesPathAndValue(String line, String expected) {
        assertThat(problems("alpaca:\n  " + line + "\n")).containsExactly("test.yaml:2: " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            db_batch_size: 0      | data.db_batch_size: must be from 1 to 100000, got 0
            db_batch_size: 100001 | data.db_batch_size: must be from 1 to 100000, got 100001
            store_trades: 1       | data.store_trades: expected true or false, got "1"
            """)
    void badDataValueNamesPathAndValue(String line, String expected) {
        assertThat(problems("data:\n  " + line + "\n")).containsExactly("test.yaml:2: " + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            live_publish: kafka  | redis.live_publish: must be one of pubsub, stream, off, got "kafka"
            stream_max_len: 0    | redis.stream_max_len: must be from 1 to 100000000, got 0
            """)
    void badRedisValueNamesPathAndValue(String line, String expected) {
        assertThat(problems("redis:\n  " + line + "\n")).containsExactly("test.yaml:2: " + expected);
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("""
                polygon:
                  websocket:
                    enabled: "yes please"
                    reconect_interval_seconds: 2
                    ring_capacity: abc
                alpaca:
                  websocket:
                    feed: nasdaq
                data:
                  db_batch_size: -5
                """, "config/collector_config.yaml", Map.of()));
        assertThat(e.source()).isEqualTo("config/collector_config.yaml");
        assertThat(e.problems()).containsExactly(
                "config/collector_config.yaml:3: polygon.websocket.enabled: expected true or false, got \"yes please\"",
                "config/collector_config.yaml:4: polygon.websocket.reconect_interval_seconds: unknown key (did you mean reconnect_interval_seconds?)",
                "config/collector_config.yaml:5: polygon.websocket.ring_capacity: expected a whole number, got \"abc\"",
                "config/collector_config.yaml:8: alpaca.websocket.feed: must be one of iex, sip, delayed_sip, test, got \"nasdaq\"",
                "config/collector_config.yaml:10: data.db_batch_size: must be from 1 to 100000, got -5");
        assertThat(e.getMessage()).startsWith("invalid configuration (5 problems):\nconfig/collector_config.yaml:3: ")
                .hasLineCount(6);
    }

    @Test
    void credentialLookingKeysAreRejectedWithoutTheirValue() {
        String yaml = """
                polygon:
                  api_key: pk_live_SECRET1
                  websocket:
                    auth_token: SECRET2
                alpaca:
                  secret: SECRET3
                  extra:
                    password: SECRET4
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "c.yaml", Map.of()));
        String credentials = "credentials do not belong in collector_config.yaml; "
                + "use config/api_credentials.yaml or environment variables";
        assertThat(e.problems()).containsExactly(
                "c.yaml:2: polygon.api_key: " + credentials,
                "c.yaml:4: polygon.websocket.auth_token: " + credentials,
                "c.yaml:6: alpaca.secret: " + credentials,
                "c.yaml:7: alpaca.extra: unknown key (known keys here: websocket, rest)",
                "c.yaml:8: alpaca.extra.password: " + credentials);
        assertThat(e.getMessage()).doesNotContain("SECRET");
    }

    @Test
    void credentialsInAUrlAreRejectedWithoutTheUrl() {
        assertThat(problems("polygon:\n  rest:\n    url: https://api.polygon.io/?apiKey=SECRET\n"))
                .containsExactly("test.yaml:3: polygon.rest.url: " + Section.CREDENTIALS);
        assertThat(problems("alpaca:\n  websocket:\n    url: wss://user:SECRET@stream.data.alpaca.markets/v2\n"))
                .containsExactly("test.yaml:3: alpaca.websocket.url: " + Section.CREDENTIALS);
    }

    @Test
    void busClientPropertiesTakeKafkaNamesButNoSecretsAndNothingSystemTraderSets() {
        CollectorConfig ok = ConfigLoader.parse("""
                bus:
                  client_properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: SCRAM-SHA-512
                    ssl.truststore.location: /etc/kafka/truststore.p12
                    compression.type: lz4
                """, "c.yaml", Map.of());
        assertThat(ok.bus().clientProperties()).containsOnly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"), Map.entry("compression.type", "lz4"));
        assertThat(problems("""
                bus:
                  client_properties:
                    sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required password="SECRET1";
                    ssl.truststore.password: SECRET2
                    sasl.oauthbearer.client.credentials.client.secret: SECRET3
                    acks: "1"
                    group.id: mine
                    Security_Protocol: SSL
                    linger.ms:
                    partitioner.class: org.example.RoundRobin
                    sasl.oauthbearer.assertion.private.key.passphrase: SECRET5
                """)).containsExactly(
                "test.yaml:3: bus.client_properties.sasl.jaas.config: holds a secret: set the environment variable "
                        + "SYSTEM_TRADER_BUS_SASL_JAAS_CONFIG instead (never the file)",
                "test.yaml:4: bus.client_properties.ssl.truststore.password: holds a secret: set the environment "
                        + "variable SYSTEM_TRADER_BUS_SSL_TRUSTSTORE_PASSWORD instead (never the file)",
                "test.yaml:5: bus.client_properties.sasl.oauthbearer.client.credentials.client.secret: looks like a "
                        + "secret, which does not belong in collector_config.yaml; the secrets System Trader takes from "
                        + "the environment are SYSTEM_TRADER_BUS_SASL_JAAS_CONFIG, SYSTEM_TRADER_BUS_SSL_KEYSTORE_PASSWORD, "
                        + "SYSTEM_TRADER_BUS_SSL_KEY_PASSWORD, SYSTEM_TRADER_BUS_SSL_TRUSTSTORE_PASSWORD, "
                        + "SYSTEM_TRADER_BUS_SSL_KEYSTORE_KEY",
                "test.yaml:6: bus.client_properties.acks: is set by System Trader (the bus's delivery contract)",
                "test.yaml:7: bus.client_properties.group.id: is set by System Trader: use bus.store_group and "
                        + "bus.cache_group",
                "test.yaml:8: bus.client_properties.Security_Protocol: is not a Kafka client property name "
                        + "(lower-case words joined by '.', e.g. security.protocol)",
                "test.yaml:9: bus.client_properties.linger.ms: has no value",
                "test.yaml:10: bus.client_properties.partitioner.class: is set by System Trader (the bus's delivery "
                        + "contract)",
                "test.yaml:11: bus.client_properties.sasl.oauthbearer.assertion.private.key.passphrase: looks like a "
                        + "secret, which does not belong in collector_config.yaml; the secrets System Trader takes from "
                        + "the environment are SYSTEM_TRADER_BUS_SASL_JAAS_CONFIG, SYSTEM_TRADER_BUS_SSL_KEYSTORE_PASSWORD, "
                        + "SYSTEM_TRADER_BUS_SSL_KEY_PASSWORD, SYSTEM_TRADER_BUS_SSL_TRUSTSTORE_PASSWORD, "
                        + "SYSTEM_TRADER_BUS_SSL_KEYSTORE_KEY");
        assertThat(String.join("\n", problems("bus:\n  client_properties:\n    ssl.key.password: SECRET4\n")))
                .doesNotContain("SECRET");
        assertThat(problems("bus:\n  client_properties: SECRET6\n")).containsExactly(
                "test.yaml:2: bus.client_properties: expected a section of name: value lines, got a single value");
    }

    @Test
    void yamlItselfMustBeUnambiguous() {
        assertThat(problems("data:\n  clean_data: true\n  clean_data: false\n"))
                .containsExactly("test.yaml:3: data.clean_data: duplicate key (first on line 2)");
        assertThat(problems("data:\n  clean_data: &x true\n  validate_data: *x\n"))
                .containsExactly("test.yaml:3: data.validate_data: YAML aliases (*name) are not supported; write the value out");
        assertThat(problems("data: {}\n---\ndata: {}\n"))
                .containsExactly("test.yaml:3: more than one YAML document; keep everything in one");
        assertThat(problems("- polygon\n"))
                .containsExactly("test.yaml:1: the top level must be a mapping with the sections polygon, alpaca, data");
        assertThat(problems("polygon: true\n"))
                .containsExactly("test.yaml:1: polygon: expected a section (keys indented below it), got \"true\"");
    }

    @Test
    void syntaxErrorsGiveTheLineButNotTheText() {
        List<String> p = problems("polygon:\n  websocket:\n    url: 'wss://SECRET\n  rest: x\n");
        assertThat(p).singleElement().asString().startsWith("test.yaml:").contains("YAML syntax error").doesNotContain("SECRET");
        assertThat(problems("? [a, b]\n: c\n"))
                .containsExactly("test.yaml:1: keys must be plain names (complex keys are not supported)");
        assertThat(problems("data:\n\tclean_data: true\n")).singleElement().asString()
                .startsWith("test.yaml:2: YAML syntax error").contains("TAB");
    }

    @Test
    void aSingleProblemReadsAsOneLineAfterTheHeader() {
        assertThatThrownBy(() -> ConfigLoader.parse("data:\n  db_batch_size: 0\n", "c.yaml", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration:\nc.yaml:2: data.db_batch_size: must be from 1 to 100000, got 0");
    }

    static List<String> problems(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "test.yaml", Map.of())).problems();
    }
}
