package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigException;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.config.ServiceRole;
import com.systemtrader.credentials.APIKeyManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SystemTraderService.start} refuses, as a configuration error (exit 2 from {@code run}) and before it starts
 * or connects to anything, a role without what it needs and bus client settings Kafka's clients would refuse. One
 * test per rule, each with the exact lines the user reads.
 */
class ServiceRoleChecksTest {
    @TempDir Path dir;

    private List<String> problems(String yaml, ServiceRole role, Map<String, String> env) {
        CollectorConfig c = ConfigLoader.parse(yaml, "c.yaml", Map.of());
        CollectorConfig withRole = c.withService(c.service().withRole(role));
        APIKeyManager keys = APIKeyManager.load(dir.resolve("none.yaml"), Map.of(), Clock.systemUTC());
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SystemTraderService.start(withRole, keys, env).close());
        assertThat(e).as("a configuration error").isNotNull();
        return e.problems();
    }

    @Test void aScaleOutRoleNeedsTheBus() {
        assertThat(problems("polygon:\n  websocket:\n    enabled: false\n", ServiceRole.COLLECTOR, Map.of()))
                .containsExactly("service.role collector needs the Kafka bus: set bus.bootstrap_servers");
    }

    @Test void aStoreNeedsStorageAndACacheNeedsRedis() {
        String bus = "bus:\n  bootstrap_servers: 127.0.0.1:1\nstorage:\n  enabled: false\n";
        assertThat(problems(bus, ServiceRole.STORE, Map.of()))
                .containsExactly("service.role store needs storage.enabled: true");
        assertThat(problems(bus, ServiceRole.CACHE, Map.of()))
                .containsExactly("service.role cache needs redis.enabled: true");
    }

    @Test void aFeedLeaseNeedsRedis() {
        assertThat(problems("bus:\n  bootstrap_servers: 127.0.0.1:1\n  feed_lease: true\n", ServiceRole.COLLECTOR,
                Map.of())).containsExactly("bus.feed_lease needs redis.enabled: true (the lease lives in Redis)");
    }

    @Test void busClientSettingsKafkaWouldRefuseStopTheStartWithoutTheSecrets() {
        String yaml = """
                bus:
                  bootstrap_servers: 127.0.0.1:1
                  client_properties:
                    security.protocl: SASL_SSL
                storage:
                  enabled: false
                """;
        String secret = "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"S3CRET\";";
        List<String> p = problems(yaml, ServiceRole.COLLECTOR, Map.of("SYSTEM_TRADER_BUS_SASL_JAAS_CONFIG", secret));
        assertThat(p).containsExactly("bus.client_properties.security.protocl: not a property of Kafka's clients "
                + "(did you mean security.protocol?)");
        assertThat(String.join("\n", p)).doesNotContain("S3CRET");
    }
}
