package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as the systemd unit runs it: the working directory read-only (ProtectSystem=strict makes
 * /opt/system-trader so), the committed relative {@code journal_dir: data/journal}, and the unit's
 * {@code SYSTEM_TRADER__STORAGE__JOURNAL_DIR} pointing into a writable state directory: it starts, gets ready and
 * journals there. Without that variable it cannot open the journal and exits (the control). The read-only mount is
 * a bind mount in a mount namespace of the child's own ({@code unshare -m}); where that is not permitted the test is
 * skipped, saying so.
 */
class RunReadOnlyWorkdirTest {
    @TempDir Path dir;

    private List<String> readOnly(Path workdir, List<String> command) {
        String wd = workdir.toString();
        StringBuilder cmd = new StringBuilder("mount --bind '" + wd + "' '" + wd + "' && mount -o remount,bind,ro '"
                + wd + "' '" + wd + "' && cd '" + wd + "' && exec");
        for (String c : command) cmd.append(" '").append(c.replace("'", "'\\''")).append("'");
        return List.of("unshare", "-m", "sh", "-c", cmd.toString());
    }

    private boolean readOnlyMountsWork(Path workdir) throws Exception {
        try {
            Process p = new ProcessBuilder(readOnly(workdir, List.of("sh", "-c", "! touch probe 2>/dev/null")))
                    .redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test void runStartsWithAReadOnlyWorkingDirectoryAndJournalsInTheStateDirectory() throws Exception {
        Path workdir = Files.createDirectories(dir.resolve("opt-system-trader"));
        Path state = Files.createDirectories(dir.resolve("var-lib-system-trader"));
        assumeTrue(readOnlyMountsWork(workdir),
                "a read-only bind mount in a mount namespace (unshare -m, as root) is not permitted here");
        List<String> symbols = List.of("AAPL");
        try (TestDatabase db = TestDatabase.create(); RedisTestServer redis = RedisTestServer.start();
             ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(3, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(500).build())) {
            Path config = RunProcess.config(dir, sim, db, redis, symbols);
            // as committed: a journal directory relative to the working directory
            Files.writeString(config, Files.readString(config).replace("journal_dir: " + dir.resolve("journal"),
                    "journal_dir: data/journal"));
            assertThat(Files.readString(config)).contains("journal_dir: data/journal");

            // the control: without the unit's variable the journal cannot be opened
            Path failLog = dir.resolve("run-without-state-dir.log");
            Process failing = RunProcess.start(config, dir, failLog,
                    new ProcessBuilder(readOnly(workdir, RunProcess.command(config, dir))));
            assertThat(failing.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(failing.exitValue()).isNotZero();
            assertThat(Files.readString(failLog)).contains("Read-only file system");

            // as the unit runs it
            Path log = dir.resolve("run.log");
            ProcessBuilder pb = new ProcessBuilder(readOnly(workdir, RunProcess.command(config, dir)));
            pb.environment().put("SYSTEM_TRADER__STORAGE__JOURNAL_DIR", state.resolve("journal").toString());
            Process p = RunProcess.start(config, dir, log, pb);
            try {
                int port = RunProcess.awaitStartLine(p, log, Duration.ofSeconds(60));
                RunProcess.awaitReady(port, Duration.ofSeconds(30));
                assertThat(state.resolve("journal")).isDirectory();
                assertThat(workdir.resolve("data")).doesNotExist();
            } finally {
                p.destroy(); // SIGTERM (to sh, which exec'd java)
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            assertThat(lines).anyMatch(l -> l.contains("system-trader stopped"));
        }
    }
}
