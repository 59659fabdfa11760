package com.systemtrader.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Services starting together on a fresh database: the advisory lock lets one migrate and the others find it done. */
class ConcurrentMigrateTest {
    @Test
    void threeConcurrentRunsApplyEachMigrationOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<MigrationRunner.Result>> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) runs.add(pool.submit(() -> MigrationRunner.migrate(db.database())));
                List<String> applied = new ArrayList<>();
                for (Future<MigrationRunner.Result> f : runs) applied.addAll(f.get().applied());
                assertThat(applied).containsExactlyInAnyOrder("V1__tscompat.sql", "V2__tables.sql",
                        "V3__partitions.sql", "V4__rollups.sql", "V5__maintenance.sql", "V6__quarantine_element.sql",
                        "V7__trade_id_index.sql", "V8__time_brin.sql", "V9__bar_tie_order.sql", "V10__gap_ledger_symbols_key.sql",
                        "R__rollup_refresh.sql",
                        "R__settings.sql");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
