package com.systemtrader.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The roll-up task analyzes a hot partition whose rows changed since it was last analyzed, so the planner knows how
 * large it is (with autovacuum off, as on a server here, it never would be).
 */
class MaintenanceStatisticsTest {
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.migrated();
    }

    @AfterAll
    static void drop() {
        if (db != null) db.close();
    }

    @Test
    void aPartitionThatGrewIsAnalyzedAndAFreshOneIsLeftAlone() throws Exception {
        db.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, price,"
                + " size, trade_id, exchange, eligibility, flags, status) SELECT now(), g, 'STAT', 'trade', 'polygon',"
                + " '4::' || g, now(), 10.0, 100, g::text, 4, 31, 31, 0 FROM generate_series(1, 5000) g");
        String partition = db.rows("SELECT tableoid::regclass::text FROM websocket_data WHERE symbol = 'STAT' LIMIT 1")
                .getFirst();
        try (Connection c = db.connect()) {
            // the server publishes row counts to pg_stat_user_tables within about a second of the commit: until
            // then a refresh finds nothing to analyze
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                MaintenanceStatistics.refresh(c);
                return analyzed(partition);
            });
            assertThat(MaintenanceStatistics.refresh(c)).as("fresh: nothing to do").doesNotContain("public." + partition,
                    partition);
        }
        assertThat(db.rows("SELECT reltuples::bigint >= 5000 FROM pg_class WHERE oid = '" + partition + "'::regclass"))
                .containsExactly("t");
    }

    private static boolean analyzed(String partition) throws Exception {
        return db.rows("SELECT coalesce(greatest(last_analyze, last_autoanalyze) IS NOT NULL, false) FROM"
                + " pg_stat_user_tables WHERE relid = '" + partition + "'::regclass").getFirst().equals("t");
    }
}
