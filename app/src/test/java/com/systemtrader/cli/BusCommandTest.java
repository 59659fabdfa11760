package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bus status} without a bus and against a broker that does not answer (the status of a live bus, with a
 * killed consumer's partitions rebalanced, is asserted in {@code BusRolesProcessTest}).
 */
class BusCommandTest {
    @TempDir Path dir;

    @Test void withoutABusConfiguredItSaysWhichKeyToSet() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), "service:\n  http_port: 0\n");
        CliTestSupport.Run r = CliTestSupport.run("bus", "status", "--config", config.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no bus configured: set bus.bootstrap_servers");
    }

    @Test void aBrokerThatDoesNotAnswerIsExitOneNamingIt() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), "bus:\n  bootstrap_servers: 127.0.0.1:1\n");
        CliTestSupport.Run r = CliTestSupport.run("bus", "status", "--config", config.toString(), "--timeout", "2");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("the bus at 127.0.0.1:1");
    }
}
