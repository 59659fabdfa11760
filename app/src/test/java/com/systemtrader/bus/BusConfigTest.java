package com.systemtrader.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.config.BusSettings;
import com.systemtrader.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The file's {@code bus} section as the Kafka clients get it. */
class BusConfigTest {
    @Test void theFilesSettingsAndTheEnvironmentsSecretsReachTheProducer() {
        BusSettings s = ConfigLoader.parse("""
                bus:
                  bootstrap_servers: kafka1:9093,kafka2:9093
                  intake_events: 5000000
                  delivery_timeout_seconds: 3
                  session_timeout_seconds: 20
                  client_properties:
                    security.protocol: SSL
                    compression.type: lz4
                    ssl.truststore.location: /etc/st/truststore.p12
                """, "c.yaml", Map.of()).bus();
        BusConfig c = BusConfig.of(s, s.cacheGroup(), Map.of("SYSTEM_TRADER_BUS_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "SYSTEM_TRADER_BUS_SSL_KEY_PASSWORD", ""));
        assertThat(c.intakeEvents()).isEqualTo(5_000_000);
        assertThat(c.deliveryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.groupId()).isEqualTo("systemtrader-cache");
        assertThat(c.clientProperties()).as("an empty variable sets nothing").containsOnlyKeys("security.protocol",
                "compression.type", "ssl.truststore.location", "ssl.truststore.password");
        Properties p = BusSink.producerProperties(c);
        assertThat(p).containsEntry("bootstrap.servers", "kafka1:9093,kafka2:9093")
                .containsEntry("security.protocol", "SSL").containsEntry("compression.type", "lz4")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("delivery.timeout.ms", "3000").containsEntry("max.block.ms", "3000")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(c.toString()).contains("ssl.truststore.password").doesNotContain("changeit");
        assertThat(c.problems()).isEmpty();
    }

    @Test void whatKafkasClientsWouldRefuseIsAProblemAtStart() {
        BusSettings s = ConfigLoader.parse("""
                bus:
                  bootstrap_servers: k:9092
                  delivery_timeout_seconds: 4
                  client_properties:
                    compresion.type: lz4
                    sasl.mechanisms: PLAIN
                """, "c.yaml", Map.of()).bus();
        assertThat(BusConfig.of(s, s.storeGroup(), Map.of()).problems()).containsExactly(
                "bus.client_properties.compresion.type: not a property of Kafka's clients (did you mean compression.type?)",
                "bus.client_properties.sasl.mechanisms: not a property of Kafka's clients (did you mean sasl.mechanism?)");
        BusSettings bad = ConfigLoader.parse("""
                bus:
                  bootstrap_servers: k:9092
                  client_properties:
                    compression.type: zip
                """, "c.yaml", Map.of()).bus();
        assertThat(BusConfig.of(bad, bad.storeGroup(), Map.of()).problems()).singleElement().asString()
                .startsWith("bus.client_properties: Invalid value zip for configuration compression.type");
        BusSettings slow = ConfigLoader.parse("""
                bus:
                  bootstrap_servers: k:9092
                  delivery_timeout_seconds: 4
                  client_properties:
                    linger.ms: 2500
                """, "c.yaml", Map.of()).bus();
        assertThat(BusConfig.of(slow, slow.storeGroup(), Map.of()).problems()).containsExactly(
                "bus.client_properties.linger.ms: at most half of bus.delivery_timeout_seconds (2000 ms): Kafka wants "
                        + "the delivery timeout to cover it and the request timeout");
    }

    @Test void theDefaultsAreTheDocumentedOnes() {
        BusSettings s = ConfigLoader.parse("bus:\n  bootstrap_servers: k:9092\n", "c.yaml", Map.of()).bus();
        BusConfig c = BusConfig.of(s, s.storeGroup(), Map.of());
        assertThat(c.intakeEvents()).isEqualTo(1_000_000);
        assertThat(c.deliveryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.clientProperties()).isEmpty();
    }
}
