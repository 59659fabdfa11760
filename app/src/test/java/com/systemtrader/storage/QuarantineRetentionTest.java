package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quarantine's retention: the maintenance's retention task deletes rows older than the policy, keeps the rest. */
class QuarantineRetentionTest {
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @BeforeEach
    void clean() throws SQLException {
        db.exec("TRUNCATE quarantine");
    }

    /** {@code n} rows received {@code age} ago (an SQL interval), receive_ns from {@code firstNs}. */
    private static void rows(int n, String age, long firstNs) throws SQLException {
        db.exec("INSERT INTO quarantine (received_at, receive_ns, source, feed, symbol, record_type, rule, reason,"
                + " event_index, payload, payload_length, binary_payload, payload_scope, frame_length, element)"
                + " SELECT now() - interval '" + age + "', " + firstNs + " + g, 'polygon', 'stocks', 'AAPL', 'TRADE',"
                + " 'price-range', 'price 0.0', 0, convert_to('{\"p\":0}', 'UTF8'), 7, false, 'element', 300,"
                + " '{\"p\":0}' FROM generate_series(0, " + (n - 1) + ") g");
    }

    private static MaintenanceScheduler scheduler(StorageConfig c) {
        return new MaintenanceScheduler(new Database(c, null), MaintenanceConfig.defaults(), new SimpleMeterRegistry());
    }

    @Test void retentionDeletesRowsOlderThanThePolicyInBatchesAndKeepsNewerOnes() throws SQLException {
        rows(MaintenanceRetention.QUARANTINE_BATCH + 1, "40 days", 0);   // more than one batch
        rows(1, "30 days 1 hour", 100_000);
        rows(1, "29 days 23 hours", 200_000);
        rows(2, "1 minute", 300_000);
        try (MaintenanceScheduler s = scheduler(db.config())) {     // default policy: 30 days
            MaintenanceRun run = s.run(MaintenanceTask.RETENTION);
            assertThat(run.outcome().status()).isEqualTo(MaintenanceOutcome.Status.OK);
            assertThat(run.outcome().detail()).endsWith("; quarantine: deleted "
                    + (MaintenanceRetention.QUARANTINE_BATCH + 2) + " rows older than 30 days");
        }
        assertThat(db.firstColumn("SELECT receive_ns FROM quarantine ORDER BY 1"))
                .containsExactly("200000", "300000", "300001");
        // a shorter policy from the configuration; the run is recorded for db status
        try (MaintenanceScheduler s = scheduler(db.config().withQuarantineRetentionDays(1))) {
            assertThat(s.run(MaintenanceTask.RETENTION).outcome().detail())
                    .endsWith("; quarantine: deleted 1 row older than 1 days");
        }
        assertThat(db.firstColumn("SELECT receive_ns FROM quarantine ORDER BY 1")).containsExactly("300000", "300001");
        assertThat(db.firstColumn("SELECT detail FROM maintenance_runs WHERE task = 'retention' ORDER BY id DESC"
                + " LIMIT 1")).singleElement().asString().endsWith("quarantine: deleted 1 row older than 1 days");
    }

    @Test void zeroKeepsTheQuarantineForever() throws SQLException {
        rows(3, "400 days", 0);
        try (MaintenanceScheduler s = scheduler(db.config().withQuarantineRetentionDays(0))) {
            assertThat(s.run(MaintenanceTask.RETENTION).outcome().detail()).endsWith("; quarantine kept forever");
        }
        assertThat(db.firstColumn("SELECT count(*) FROM quarantine")).containsExactly("3");
    }

    /** TimescaleDB mode runs the same DELETE (quarantine is a plain table there too); its data part needs no server. */
    @Test void timescaleModeDeletesTheSameRows() throws SQLException {
        rows(2, "31 days", 0);
        rows(1, "1 day", 10);
        StorageConfig noData = MaintenanceSchedulerTest.retention(db.config(), 0, 0, 0);
        try (Connection c = db.connect()) {
            MaintenanceOutcome o = new MaintenanceRetention(noData).run(c, StorageMode.TIMESCALEDB);
            assertThat(o.status()).isEqualTo(MaintenanceOutcome.Status.OK);
            assertThat(o.detail()).isEqualTo("retention is 0 (keep forever) for ticks, bars and roll-ups;"
                    + " quarantine: deleted 2 rows older than 30 days");
        }
        assertThat(db.firstColumn("SELECT receive_ns FROM quarantine")).containsExactly("10");
        assertThat(StorageStatus.read(db.database()).render()).containsPattern("quarantine +kept 30 days");
    }
}
