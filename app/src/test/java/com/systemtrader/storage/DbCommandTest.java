package com.systemtrader.storage;

import com.systemtrader.cli.CliTestSupport;
import com.systemtrader.cli.CliTestSupport.Run;

import com.systemtrader.credentials.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code system-trader db migrate}, {@code db status} and {@code db maintain} on a fresh database, and clear connection
 * errors.
 */
class DbCommandTest {
    private static final String PASSWORD = "hunter2-Very-Secret-77";

    @Test
    void migrateThenStatus(@TempDir Path dir) {
        try (TestDatabase db = TestDatabase.create()) {
            String[] target = {"--config", defaultsConfig(dir), "--url", db.url, "--user", "postgres"};
            Run migrate = run(concat(new String[] {"db", "migrate"}, target));
            assertThat(migrate.exitCode()).as(migrate.err()).isZero();
            assertThat(migrate.out()).contains("mode:     postgresql", "applied:  V1__tscompat.sql, V2__tables.sql",
                    "schema:   version 10", "running:  V1__tscompat.sql (");
            assertThat(migrate.out()).containsPattern("(?m)^done:     V10__gap_ledger_symbols_key.sql in \\d+ ms$");
            Run again = run(concat(new String[] {"db", "migrate"}, target));
            assertThat(again.out()).contains("applied:  nothing, up to date");
            Run status = run(concat(new String[] {"db", "status"}, target));
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("database:    " + db.url + " as postgres", "mode:        postgresql",
                    "schema:      version 10, up to date", "timescaledb: ", "roll-ups:", "ohlcv_1d", "jobs:",
                    "maintenance:\n  never run (the service runs it; once now: system-trader db maintain)");
            assertThat(status.out()).containsPattern("market_data +9 partitions +~0 rows");
        }
    }

    @Test
    void maintainRunsTheTasksOnceAndStatusShowsTheirLastRuns(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            String[] target = {"--config", defaultsConfig(dir), "--url", db.url, "--user", "postgres"};
            assertThat(run(concat(new String[] {"db", "migrate"}, target)).exitCode()).isZero();
            Run maintain = run(concat(new String[] {"db", "maintain"}, target));
            assertThat(maintain.exitCode()).as(maintain.all()).isZero();
            assertThat(maintain.out()).contains("database:    " + db.url + " as postgres");
            assertThat(maintain.out()).containsPattern("(?m)^partitions +ok +\\d+ ms  0 partitions created "
                    + "\\(market_data 0, websocket_data 0\\); daily partitions through \\d{4}-\\d\\d-\\d\\d$");
            assertThat(maintain.out()).containsPattern("(?m)^rollups +ok +\\d+ ms  refreshed 1m, 5m, 15m, 1h, 1d; ");
            assertThat(maintain.out()).containsPattern("(?m)^retention +ok +\\d+ ms  dropped 0 partitions "
                    + "\\(websocket_data 0 \\(older than 30 days\\)\\); quarantine: deleted 0 rows older than 30 days$");
            assertThat(maintain.out()).containsPattern("(?m)^compression +skipped +\\d+ ms  not applicable in postgresql mode");

            Run one = run(concat(new String[] {"db", "maintain", "--task", "retention"}, target));
            assertThat(one.exitCode()).isZero();
            assertThat(one.out().lines().filter(l -> !l.startsWith("database:"))).hasSize(1)
                    .allMatch(l -> l.startsWith("retention "));

            Run status = run(concat(new String[] {"db", "status"}, target));
            assertThat(status.out()).containsPattern("(?m)^  partitions +ok +\\S+ \\S+  0 partitions created .*; "
                    + "0 failed in 24 h$");
            assertThat(status.out()).containsPattern("(?m)^  retention +ok .*; 0 failed in 24 h$");
            assertThat(db.rows("SELECT task, count(*) FROM maintenance_runs GROUP BY task"
                    + " ORDER BY task")).containsExactly("compression 1", "partitions 1", "retention 2", "rollups 1");

            db.exec("ALTER TABLE rollup_watermark RENAME TO rollup_watermark_gone");
            Run failing = run(concat(new String[] {"db", "maintain"}, target));
            assertThat(failing.exitCode()).isEqualTo(1);
            assertThat(failing.out()).containsPattern("(?m)^rollups +failed +\\d+ ms  .*rollup_watermark");
            assertThat(failing.out()).containsPattern("(?m)^retention +ok ");
            assertThat(failing.err()).isEqualTo("system-trader maintain: 1 of 4 tasks failed\n");
            db.exec("ALTER TABLE rollup_watermark_gone RENAME TO rollup_watermark");
            assertThat(run(concat(new String[] {"db", "status"}, target)).out())
                    .containsPattern("(?m)^  rollups +failed .*; 1 failed in 24 h, last success \\S+ \\S+Z$");

            Run bad = run(concat(new String[] {"db", "maintain", "--task", "vacuum"}, target));
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.err()).contains("unknown maintenance task vacuum (known: partitions, rollups, retention, "
                    + "compression)");
        }
    }

    @Test
    void maintainAgainstAnUnreachableServerFailsEveryTask(@TempDir Path dir) {
        Run cli = run("db", "maintain", "--config", defaultsConfig(dir), "--url",
                "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2", "--user", "md_app");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out().lines().filter(l -> l.contains("failed"))).hasSize(4)
                .allMatch(l -> l.contains("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere as md_app"));
        assertThat(cli.err()).contains("4 of 4 tasks failed");
    }

    @Test
    void aMissingConfigFileIsAConfigurationErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("typo.yaml");
        Run cli = run("db", "status", "--config", missing.toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains(missing + ": configuration file not found");
    }

    @Test
    void statusOfANeverMigratedDatabaseSaysSo(@TempDir Path dir) {
        try (TestDatabase db = TestDatabase.create()) {
            Run status = run("db", "status", "--config", defaultsConfig(dir), "--url", db.url,
                    "--user", "postgres");
            assertThat(status.out()).contains("mode:        none (never migrated; run: system-trader db migrate)");
        }
    }

    @Test
    void unreachableServerGivesOneClearLineWithoutThePassword(@TempDir Path dir) {
        StorageConfig c = StorageConfig.defaults().withUrl("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2")
                .withUser("md_app");
        assertThatThrownBy(() -> MigrationRunner.migrate(new Database(c, Secret.of(PASSWORD))))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere as md_app: ")
                .hasMessageContaining("refused")
                .hasMessageNotContaining(PASSWORD).hasNoCause();
        Run cli = run("db", "status", "--config", defaultsConfig(dir), "--url", c.url(), "--user", "md_app");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).startsWith("system-trader status: cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere");
    }

    @Test
    void unknownDatabaseIsNamed() {
        StorageConfig c = StorageConfig.defaults().withUrl(TestDatabase.server() + "st_test_does_not_exist")
                .withUser("postgres");
        assertThatThrownBy(() -> StorageStatus.read(new Database(c, Secret.of(PASSWORD))))
                .hasMessageContaining("st_test_does_not_exist").hasMessageContaining("does not exist")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aUrlThatIsNotPostgresIsRefused() {
        StorageConfig c = StorageConfig.defaults().withUrl("jdbc:mysql://h/db");
        assertThatThrownBy(() -> new Database(c, null).connect()).hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void thePasswordIsMaskedWhereverTheDriverEchoesIt() {
        Database d = new Database(StorageConfig.defaults(), Secret.of(PASSWORD));
        assertThat(d.scrub("FATAL: bad value " + PASSWORD)).isEqualTo("FATAL: bad value ****");
    }

    static Run run(String... args) {
        return CliTestSupport.run(args);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A configuration file that sets one key to its default (a file must set something; the rest are defaults). */
    private static String defaultsConfig(Path dir) {
        try {
            return java.nio.file.Files.writeString(dir.resolve("collector-config.yaml"), "data:\n  store_trades: true\n")
                    .toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
