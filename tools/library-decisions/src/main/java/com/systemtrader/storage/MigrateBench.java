package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * One migration measurement in a fresh JVM: {@code MigrateBench runner|flyway DBNAME [placeholderOverride]}.
 * Prints "first_ms" (the call on this database in this JVM: empty database => full migration, migrated database =>
 * cold no-op check) and "warm_noop_ms" (median of 5 further calls in the same JVM).
 * Both paths do the same work after migrating: premake daily partitions (ensure_daily_partitions).
 */
public final class MigrateBench {
    public static void main(String[] a) throws Exception {
        String tool = a[0];
        String db = a[1];
        int retention = a.length > 2 ? Integer.parseInt(a[2]) : 30;
        StorageConfig cfg = StorageConfig.defaults().withUrl("jdbc:postgresql://127.0.0.1:5432/" + db)
                .withUser("postgres").withMode("postgresql");
        cfg = new StorageConfig(cfg.url(), cfg.user(), cfg.mode(), cfg.migrateOnStart(), cfg.tickChunkInterval(),
                cfg.barChunkInterval(), cfg.tickCompressAfter(), cfg.barCompressAfter(), retention,
                cfg.barRetentionDays(), cfg.rollupRetentionDays(), cfg.partitionPremakeDays(),
                cfg.quarantineRetentionDays());
        Database database = new Database(cfg, null);
        long[] warm = new long[5];
        long t0 = System.nanoTime();
        String what = once(tool, database, cfg);
        long first = System.nanoTime() - t0;
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            once(tool, database, cfg);
            warm[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(warm);
        System.out.printf("RESULT tool=%s db=%s first_ms=%.1f warm_noop_ms=%.2f first_call=%s%n", tool, db,
                first / 1e6, warm[2] / 1e6, what);
    }

    static String once(String tool, Database database, StorageConfig cfg) throws Exception {
        if (tool.equals("runner")) {
            MigrationRunner.Result r = MigrationRunner.migrate(database);
            return "applied=" + r.applied();
        }
        Map<String, String> values = cfg.placeholders(StorageMode.POSTGRESQL);
        Flyway flyway = Flyway.configure()
                // the runner's "SET search_path TO <schema>, tscompat", as a connection option
                .dataSource(cfg.url() + "?options=-c%20search_path%3Dpublic,tscompat", cfg.user(), null)
                .locations("classpath:db/postgresql")
                .placeholders(values)
                .load();
        MigrateResult r = flyway.migrate();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO public, tscompat");
            for (String t : new String[] {"websocket_data", "market_data"}) {
                s.execute("SELECT ensure_daily_partitions('" + t + "', (now() AT TIME ZONE 'UTC')::date - 1, "
                        + (cfg.partitionPremakeDays() + 2) + ")");
            }
        }
        return "applied=" + r.migrations.stream().map(m -> m.filepath.substring(m.filepath.lastIndexOf('/') + 1)).toList();
    }
}
