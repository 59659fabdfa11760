package com.systemtrader.cli;

import com.systemtrader.bench.StorageBench;
import com.systemtrader.credentials.Secret;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.StorageConfig;
import com.systemtrader.storage.StorageWriterConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code system-trader bench-storage}: the storage writer's rows/s next to {@code psql \copy} of the same trades into
 * the same {@code websocket_data} table (unique key in place) on the same server in the same run. Goal (issue
 * "Storage"): the writer at least as fast as psql's COPY and at least 150,000 trade rows/s. Exit code 1 when missed.
 * The password comes from {@code SYSTEM_TRADER_DB_PASSWORD} or {@code PGPASSWORD} and is never printed.
 */
@Command(name = "bench-storage", mixinStandardHelpOptions = true,
        description = "Measure the storage writer against psql \\copy of the same rows into websocket_data.")
final class BenchStorageCommand implements Callable<Integer> {
    static final double TARGET_ROWS_PER_SECOND = 150_000;
    static final double TARGET_RATIO = 1.0;

    @Option(names = "--url", description = "Database (default: ${DEFAULT-VALUE}); websocket_data there is TRUNCATED; migrated when absent.")
    String url = "jdbc:postgresql://127.0.0.1:5432/test";

    @Option(names = "--user", description = "Database role (default: ${DEFAULT-VALUE}).")
    String user = "postgres";

    @Option(names = "--rows", description = "Trades each side loads (default: ${DEFAULT-VALUE}).")
    int rows = 1_000_000;

    @Option(names = "--symbols", description = "Symbols the trades are spread over (default: ${DEFAULT-VALUE}).")
    int symbols = 100;

    @Option(names = "--warmup-rows", description = "Trades the writer writes before the timed runs, to warm the JIT (default: ${DEFAULT-VALUE}).")
    int warmupRows = 200_000;

    @Option(names = "--writers", description = "Writer connections (default: ${DEFAULT-VALUE}).")
    int writers = StorageWriterConfig.DEFAULT_WRITERS;

    @Option(names = "--batch-rows", description = "Writer batch size in rows (default: ${DEFAULT-VALUE}).")
    int batchRows = StorageWriterConfig.defaults().batchRows();

    @Option(names = "--add-batch", description = "Events per add() call, as the pipeline hands them over (default: ${DEFAULT-VALUE}).")
    int addBatch = 1_000;

    @Option(names = "--fast-path", arity = "1", description = "Direct COPY with fallback to staging, true or false (default: ${DEFAULT-VALUE}).")
    boolean fastPath = true;

    @Option(names = "--synchronous-commit", arity = "1", description = "false sets synchronous_commit=off on the writer's connections (default: ${DEFAULT-VALUE}).")
    boolean synchronousCommit = true;

    @Option(names = "--psql", description = "psql executable (default: ${DEFAULT-VALUE}).")
    String psql = "psql";

    @Option(names = "--truncate-existing", description = "Allow truncating a websocket_data that already holds rows.")
    boolean truncateExisting;

    @Option(names = "--seed", description = "Seed of the synthetic trades (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override public Integer call() {
        Secret password = StorageConfig.password(System.getenv()).orElse(null);
        Database db = new Database(StorageConfig.defaults().withUrl(url).withUser(user), password);
        StorageWriterConfig writer = StorageWriterConfig.defaults().withWriters(writers).withBatchRows(batchRows)
                .withFastPath(fastPath).withSynchronousCommit(synchronousCommit);
        System.out.printf("bench-storage against %s as %s: %,d trades over %d symbols; writer: %d connections,"
                        + " batch %,d rows, fast path %s, synchronous_commit %s%n", db.where(), user, rows, symbols,
                writers, batchRows, fastPath ? "on" : "off", synchronousCommit ? "as the server has it" : "off");
        StorageBench.Result r = StorageBench.run(db, password, new StorageBench.Options(rows, symbols, warmupRows,
                writer, addBatch, psql, truncateExisting, seed));
        System.out.printf("psql \\copy (CSV, %3d MB)  : %6.2f s = %,10.0f rows/s (%,d rows stored)%n",
                r.csvBytes() >> 20, r.psqlSeconds(), r.psqlRowsPerSecond(), r.psqlRows());
        System.out.printf("storage writer           : %6.2f s = %,10.0f rows/s (%,d rows stored, %,d batches,"
                        + " %,d fast-path fallbacks)%n", r.writerSeconds(), r.writerRowsPerSecond(), r.writerRows(),
                r.writerBatches(), r.writerFallbacks());
        System.out.printf("writer / psql            : %6.2f (goal >= %.2f)%n", r.ratio(), TARGET_RATIO);
        System.out.printf("writer rows/s            : %,10.0f (goal >= %,.0f)%n", r.writerRowsPerSecond(),
                TARGET_ROWS_PER_SECOND);
        System.out.printf("same rows on both sides  : %s%n", r.sameRows() ? "yes" : "NO");
        System.out.printf("bench-storage: rows=%d writers=%d batch=%d psql_s=%.3f psql_rows_per_s=%.0f writer_s=%.3f"
                        + " writer_rows_per_s=%.0f ratio=%.3f same=%s%n", rows, writers, batchRows, r.psqlSeconds(),
                r.psqlRowsPerSecond(), r.writerSeconds(), r.writerRowsPerSecond(), r.ratio(), r.sameRows());
        boolean ok = r.sameRows() && r.writerRowsPerSecond() >= TARGET_ROWS_PER_SECOND && r.ratio() >= TARGET_RATIO;
        System.out.println(ok ? "goal met" : "goal MISSED");
        return ok ? 0 : 1;
    }
}
