package com.systemtrader.storage;

import com.systemtrader.bench.StorageBench;
import com.systemtrader.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bench-storage with tiny sizes on a real PostgreSQL: both sides store the same rows, and the command reports. */
class StorageBenchTest {
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        Assumptions.assumeTrue(onPath("psql"), "psql is not on PATH: bench-storage needs it (apt-get install"
                + " postgresql-client); skipping");
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @Test
    void psqlAndTheWriterStoreTheSameRows() throws Exception {
        StorageBench.Result r = StorageBench.run(db.database(), null, new StorageBench.Options(2_000, 10, 500,
                StorageWriterConfig.defaults(), 250, "psql", false, 7));
        assertThat(r.psqlRows()).isEqualTo(2_000);
        assertThat(r.writerRows()).isEqualTo(2_000);
        assertThat(r.sameRows()).isTrue();
        assertThat(r.psqlRowsPerSecond()).isPositive();
        assertThat(r.writerRowsPerSecond()).isPositive();
        assertThat(r.writerFallbacks()).isZero();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM websocket_data")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero(); // the bench leaves the table as it found it: empty
        }
    }

    @Test
    void aTableWithRowsIsNotTruncatedWithoutPermission() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT ensure_partitions_for('websocket_data'::regclass, now())");
            s.execute("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at)"
                    + " VALUES (now(), 1, 'KEEP', 'trade', 'polygon', '1', now())");
        }
        try {
            assertThatThrownBy(() -> StorageBench.run(db.database(), null, new StorageBench.Options(100, 2, 0,
                    StorageWriterConfig.defaults(), 50, "psql", false, 1)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("--truncate-existing");
        } finally {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE websocket_data");
            }
        }
    }

    @Test
    void theCommandPrintsBothRatesAndWhetherTheGoalsHold() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            rc = Main.commandLine().execute("bench-storage", "--url", db.url, "--rows", "2000", "--symbols", "10",
                    "--warmup-rows", "500", "--writers", "2");
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(text).isIn(0, 1); // tiny runs may miss the rate goal; the exit code says which
        assertThat(text).contains("psql \\copy", "storage writer", "writer / psql", "same rows on both sides  : yes")
                .containsPattern("goal (met|MISSED)").doesNotContain("password");
        assertThat(text.contains("goal met")).isEqualTo(rc == 0);
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }
}
