package com.systemtrader.cli;

import com.systemtrader.bench.ProviderBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code system-trader bench-provider}: RealtimeDataProvider latency per tier ({@link ProviderBench}). */
@Command(name = "bench-provider", mixinStandardHelpOptions = true,
        description = "Measure RealtimeDataProvider latency (p50/p99): latest price from memory and Redis, OHLCV(100) "
                + "from the database, 100-symbol prices. Creates (and replaces) the database st_bench_provider.")
final class BenchProviderCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--pg", paramLabel = "JDBC_URL", description = "PostgreSQL server URL ending in / (default: ${DEFAULT-VALUE}).")
    String pg = "jdbc:postgresql://127.0.0.1:5432/";

    @Option(names = "--pg-user", paramLabel = "ROLE", description = "Role allowed to create databases (default: ${DEFAULT-VALUE}).")
    String user = "postgres";

    @Option(names = "--redis", paramLabel = "HOST:PORT", description = "Redis server (default: ${DEFAULT-VALUE}).")
    String redis = "127.0.0.1:6379";

    @Option(names = "--runs", description = "Timed runs per case (default: ${DEFAULT-VALUE}).") int runs = 5;

    @Option(names = "--days", description = "Days of trades to load (default: ${DEFAULT-VALUE}).") int days = 3;

    @Option(names = "--scale", description = "Multiplier of the calls per run (default: ${DEFAULT-VALUE}).") double scale = 1.0;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table here.") Path out;

    @Override public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        int colon = redis.lastIndexOf(':');
        ProviderBench.Options o = new ProviderBench.Options(pg.endsWith("/") ? pg : pg + "/", user,
                redis.substring(0, colon), Integer.parseInt(redis.substring(colon + 1)), runs, days, scale);
        List<ProviderBench.Row> rows = ProviderBench.run(o, w);
        String md = ProviderBench.markdown(rows, o, "Runs: " + runs + "; " + Runtime.getRuntime().availableProcessors()
                + " CPUs; Java " + Runtime.version());
        w.println();
        w.print(md);
        w.flush();
        if (out != null) Files.writeString(out, md);
        return 0;
    }
}
