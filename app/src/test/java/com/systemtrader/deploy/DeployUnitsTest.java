package com.systemtrader.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units in deploy/systemd pass {@code systemd-analyze verify} without a warning. The program's install
 * path is replaced by this checkout's launcher (verify checks that executables exist); the Redis and PostgreSQL
 * paths are the Debian ones. Skipped, saying so, where systemd-analyze or those executables are missing.
 */
class DeployUnitsTest {
    private static final Path UNITS = Path.of("deploy/systemd");

    @TempDir Path dir;

    @Test void unitsPassSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed here");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")), "/usr/bin/redis-server is not installed here");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/postgres")),
                "/usr/lib/postgresql/15/bin/postgres is not installed here");
        List<String> command = new ArrayList<>(List.of("/usr/bin/systemd-analyze", "verify"));
        for (String name : List.of("system-trader.service", "system-trader-redis.service",
                "system-trader-timescaledb.service")) {
            String unit = Files.readString(UNITS.resolve(name)).replace("/opt/system-trader/system-trader",
                    Path.of("system-trader").toAbsolutePath().toString());
            Path copy = dir.resolve(name);
            Files.writeString(copy, unit);
            command.add(copy.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("verify output").isBlank();
    }

    @Test void theServiceUnitStopsWithSigtermAndLeavesTimeToDrain() throws IOException {
        String unit = Files.readString(UNITS.resolve("system-trader.service"));
        assertThat(unit).contains("KillSignal=SIGTERM", "TimeoutStopSec=300", "ExecStart=/opt/system-trader/system-trader run",
                "After=network-online.target system-trader-redis.service system-trader-timescaledb.service");
    }

    /** Under ProtectSystem=strict only the state and log directories are writable: the journal must be there. */
    @Test void theSpillJournalLivesUnderTheStateDirectory() throws IOException {
        String unit = Files.readString(UNITS.resolve("system-trader.service"));
        assertThat(unit).contains("ProtectSystem=strict", "StateDirectory=system-trader", "RestartPreventExitStatus=2",
                "Environment=\"SYSTEM_TRADER__STORAGE__JOURNAL_DIR=/var/lib/system-trader/journal\"");
        // the environment key is one the configuration knows (an unknown one would stop run with exit 2)
        com.systemtrader.config.CollectorConfig c = com.systemtrader.config.ConfigLoader.parse("data:\n  store_trades: true\n",
                "unit", java.util.Map.of("SYSTEM_TRADER__STORAGE__JOURNAL_DIR", "/var/lib/system-trader/journal"));
        assertThat(c.service().journalDir()).isEqualTo(java.nio.file.Path.of("/var/lib/system-trader/journal"));
    }
}
