package com.systemtrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.systemtrader.bench.ServiceBench;
import com.systemtrader.bench.ServiceBench.RunResult;
import com.systemtrader.bench.TruthComparison;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code system-trader bench-service}: the end-to-end benchmark of issue 12 ("measure the whole"). For each rate it
 * runs {@code simulate --truth-file} and {@code run} (both feeds, Redis, PostgreSQL) as child JVMs of this build
 * against a fresh database, streams for {@code --duration}, stops the simulator's data, waits for the service to
 * drain, stops it with SIGTERM and compares {@code websocket_data} with the truth by identity
 * ({@link ServiceBench}, {@link TruthComparison}). Prints a table per rate and a summary, writes a JSON file, and
 * exits 1 when any rate lost or duplicated an event (or failed to run).
 */
@Command(name = "bench-service", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"End-to-end benchmark: simulator (with a truth file) -> run (both feeds, Redis, PostgreSQL) for "
                + "each rate, then websocket_data compared with the truth by identity: missing, duplicates, extras per "
                + "provider and type; database lag p50/p99 (event receive to commit), CPU per event, peak RSS.",
                "A rate is messages per second into the service, both feeds together (the simulator sends rate/2 on "
                        + "each). Exit 1 when any rate has missing or duplicate rows or did not complete."})
final class BenchServiceCommand implements Callable<Integer> {
    static final List<String> DEFAULT_SYMBOLS = List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "TSLA", "META", "SPY");

    @Spec CommandSpec spec;

    @Option(names = "--rates", split = ",", description = "Rates to run, msg/s into the service (default: ${DEFAULT-VALUE}).")
    List<Long> rates = List.of(20_000L, 50_000L, 100_000L);

    @Option(names = "--duration", description = "Measured seconds of streaming per rate (default: ${DEFAULT-VALUE}).")
    int duration = 600;

    @Option(names = "--warmup", description = "Seconds of streaming before the measured window; compared, but not in the rate and CPU figures (default: ${DEFAULT-VALUE}).")
    int warmup = 30;

    @Option(names = "--symbols", split = ",", description = "Tickers, subscribed on both feeds (default: ${DEFAULT-VALUE}).")
    List<String> symbols = DEFAULT_SYMBOLS;

    @Option(names = "--pg-server", description = "JDBC URL of the PostgreSQL server, ending in '/'; a database bench_<time>_<rate> is created there per rate (default: ${DEFAULT-VALUE}). Password: SYSTEM_TRADER_DB_PASSWORD or PGPASSWORD.")
    String pgServer = "jdbc:postgresql://127.0.0.1:5432/";

    @Option(names = "--pg-user", description = "Database role; must be allowed to create databases (default: ${DEFAULT-VALUE}).")
    String pgUser = "postgres";

    @Option(names = "--redis-url", description = "Redis of the service (default: ${DEFAULT-VALUE}).")
    String redisUrl = "redis://127.0.0.1:6379";

    @Option(names = "--redis-prefix", description = "Key prefix; '-<rate>' is appended and the keys are deleted after each rate (default: bench-<time>).")
    String redisPrefix;

    @Option(names = "--work-dir", description = "Per-rate directories (config, logs, truth file, journal) and the JSON result (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of("data", "bench-service");

    @Option(names = "--json", description = "Result file (default: <work-dir>/bench-service-<time>.json).")
    Path json;

    @Option(names = "--keep-db", description = "Keep each rate's database (default: dropped after the comparison).")
    boolean keepDb;

    @Option(names = "--keep-truth", description = "Keep each rate's truth file (default: deleted; about 200 bytes per event).")
    boolean keepTruth;

    @Option(names = "--journal-budget-mb", description = "The service's storage.journal_budget_mb (default: ${DEFAULT-VALUE}).")
    long journalBudgetMb = 4_096;

    @Option(names = "--alpaca-compression", arity = "1", description = "The Alpaca feed's permessage-deflate (default: ${DEFAULT-VALUE}, as shipped).")
    boolean alpacaCompression = com.systemtrader.config.CollectorConfig.defaults().alpaca().compression();

    @Option(names = "--child-java-opts", description = "JVM flags for the simulator and service JVMs, space-separated (default: none, as the launcher).")
    String childJavaOpts = "";

    @Option(names = "--bus", paramLabel = "BOOTSTRAP", description = "Bus mode: instead of one `run`, start `run --role collector` and `run --role store` against this Kafka broker (host:port[,...]), on topics and a consumer group of each rate's own; the lag is then the collector's receive to the store's commit (default: no bus).")
    String bus;

    @Option(names = "--bus-partitions", description = "Bus mode: partitions of each topic (default: ${DEFAULT-VALUE}).")
    int busPartitions = 6;

    @Option(names = "--keep-topics", description = "Bus mode: keep each rate's topics (default: deleted after the rate).")
    boolean keepTopics;

    @Option(names = "--drain-timeout", description = "Seconds to wait for the service to drain after the data stops (default: ${DEFAULT-VALUE}).")
    int drainTimeout = 300;

    @Override public Integer call() throws IOException {
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 2 || r > 10_000_000)) {
            throw new ParameterException(spec.commandLine(), "invalid value for --rates: each must be 2..10000000");
        }
        if (warmup < 0) throw new ParameterException(spec.commandLine(), "invalid value for --warmup: must not be negative");
        if (duration < 1) throw new ParameterException(spec.commandLine(), "invalid value for --duration: must be positive");
        if (!pgServer.endsWith("/")) throw new ParameterException(spec.commandLine(), "invalid value for --pg-server: must end in '/'");
        if (journalBudgetMb < 1) throw new ParameterException(spec.commandLine(), "invalid value for --journal-budget-mb: must be positive");
        if (busPartitions < 1 || busPartitions > 1_000) {
            throw new ParameterException(spec.commandLine(), "invalid value for --bus-partitions: must be 1..1000");
        }
        if (bus != null && !bus.matches("[A-Za-z0-9.\\-\\[\\]:]+(,[A-Za-z0-9.\\-\\[\\]:]+)*")) {
            throw new ParameterException(spec.commandLine(), "invalid value for --bus: must be host:port[,host:port...]");
        }
        if (bus != null) { // the topic admin client's INFO lines (its whole config each time) are not the benchmark's
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String prefix = redisPrefix != null ? redisPrefix : "bench-" + stamp;
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path out = json != null ? json : dir.resolve("bench-service-" + stamp + ".json");
        PrintStream print = System.out;
        List<String> jvm = childJavaOpts.isBlank() ? List.of() : List.of(childJavaOpts.trim().split("\\s+"));
        ServiceBench bench = new ServiceBench(new ServiceBench.Options(warmup, duration, symbols, pgServer, pgUser, redisUrl,
                prefix, dir, keepDb, keepTruth, journalBudgetMb, alpacaCompression,
                ProcessHandle.current().info().command().orElse("java"), System.getProperty("java.class.path"), jvm,
                Duration.ofSeconds(drainTimeout), print, bus == null ? null
                : new ServiceBench.BusMode(bus, busPartitions, keepTopics, new KafkaTopics(bus, (short) 1, line -> print.println("  " + line)))));
        print.printf("bench-service %s: rates %s msg/s into the service, %d s warm-up + %d s each, %d symbols, %d cores,"
                        + " load %s, %s%n", Instant.now(), rates, warmup, duration, symbols.size(),
                Runtime.getRuntime().availableProcessors(), load(), bus == null ? "single process (run)"
                        : "bus mode (run --role collector -> Kafka " + bus + ", " + busPartitions
                        + " partitions -> run --role store)");
        List<RunResult> results = new ArrayList<>();
        for (long rate : rates) {
            RunResult r = bench.run(rate);
            results.add(r);
            printRun(print, r);
        }
        printSummary(print, results, bus == null ? null : "bus mode: collector + store over Kafka " + bus + ", "
                + busPartitions + " partitions per topic; lag from the collector's receive to the store's commit;"
                + " service CPU and RSS are both processes' sums (the broker's CPU is in the whole-machine figure)");
        writeJson(out, results);
        print.println("result file: " + out);
        return results.stream().allMatch(RunResult::lossFree) ? 0 : 1;
    }

    static void printRun(PrintStream p, RunResult r) {
        p.printf("  rate %,d: streamed %.1f s at %,.0f msg/s received, drained in %.1f s%s, service exit %d%n", r.rate(),
                r.streamSeconds(), r.achievedRate(), r.drainSeconds(), r.drained() ? "" : " (NOT idle)",
                r.serviceExit());
        if (r.comparison() != null) {
            p.printf("  %-14s %12s %12s %9s %10s %9s %9s%n", "provider/type", "expected", "stored", "missing",
                    "duplicates", "extras", "same-id");
            for (TruthComparison.Group g : r.comparison().groups()) {
                p.printf("  %-14s %,12d %,12d %,9d %,10d %,9d %,9d%n", g.name(), g.expected(), g.stored(), g.missing(),
                        g.duplicates(), g.extras(), g.sameIdInTruth());
                for (String m : g.missingSamples()) p.println("      missing:   " + m);
                for (String m : g.duplicateSamples()) p.println("      duplicate: " + m);
                for (String m : g.extraSamples()) p.println("      extra:     " + m);
            }
            TruthComparison.Result c = r.comparison();
            if (c.anomalyLines() + c.undecodable() > 0) {
                p.printf("  truth: %,d lines, %,d anomaly lines skipped, %,d undecodable%n", c.truthLines(),
                        c.anomalyLines(), c.undecodable());
            }
        }
        p.printf("  database lag (receive to commit): %s%n", lag(r));
        p.printf("  CPU: service %.1f s = %.2f us/event, simulator %.1f s = %.2f us/event, whole machine (with"
                        + " PostgreSQL and Redis) %.2f us/event; peak RSS service %,d MB, simulator %,d MB%n",
                r.serviceCpuSeconds(), r.serviceCpuUsPerEvent(), r.simulatorCpuSeconds(), r.simulatorCpuUsPerEvent(),
                r.machineCpuUsPerEvent(), r.servicePeakRssBytes() >> 20, r.simulatorPeakRssBytes() >> 20);
        if (r.processCpuSeconds() != null && r.processCpuSeconds().size() > 1) {
            StringBuilder b = new StringBuilder();
            for (String name : List.of("collector", "store")) {
                Double cpu = r.processCpuSeconds().get(name);
                Long rss = r.processPeakRssBytes().get(name);
                if (cpu == null) continue;
                double events = r.eventsReceived() > 0 && r.serviceCpuSeconds() > 0
                        ? r.serviceCpuSeconds() * 1e6 / r.serviceCpuUsPerEvent() : Double.NaN;
                b.append(b.isEmpty() ? "" : "; ").append(String.format("%s %.1f s = %.2f us/event, peak RSS %,d MB",
                        name, cpu, cpu * 1e6 / events, rss == null ? -1 : rss >> 20));
            }
            p.printf("  per process: %s%n", b);
        }
        if (r.busFigures() != null && !r.busFigures().isEmpty()) p.printf("  bus: %s%n", compact(r.busFigures()));
        p.printf("  loss counters: %s%n  other: %s%n  cleaner outcomes: %s%n", compact(r.lossCounters()),
                compact(r.otherCounters()), compact(r.cleanerOutcomes()));
        if (r.error() != null) p.println("  ERROR: " + r.error());
        p.println("  verdict: " + verdict(r));
    }

    static void printSummary(PrintStream p, List<RunResult> results, String mode) {
        p.println();
        p.println("bench-service summary (rate: msg/s into the service, both feeds; lag: event receive to commit;"
                + " CPU per event received)");
        if (mode != null) p.println(mode);
        p.printf("%10s %10s %12s %12s %8s %6s %7s %7s %9s %9s %9s %9s %9s %9s %8s  %s%n", "rate", "achieved",
                "expected", "stored", "missing", "dups", "extras", "same-id", "lag p50", "lag p99", "svc us/ev",
                "sim us/ev", "svc RSS", "loss ctr", "drain s", "result");
        long best = -1;
        long bestKeptUp = -1;
        for (RunResult r : results) {
            TruthComparison.Result c = r.comparison();
            p.printf("%,10d %,10.0f %12s %12s %8s %6s %7s %7s %9s %9s %9.2f %9.2f %6d MB %9.0f %8.1f  %s%n", r.rate(),
                    r.achievedRate(), c == null ? "-" : String.format("%,d", c.expected()),
                    c == null ? "-" : String.format("%,d", c.stored()), c == null ? "-" : Long.toString(c.missing()),
                    c == null ? "-" : Long.toString(c.duplicates()), c == null ? "-" : Long.toString(c.extras()),
                    c == null ? "-" : Long.toString(c.groups().stream().mapToLong(TruthComparison.Group::sameIdInTruth)
                            .sum()), seconds(r.lagP50Seconds()), seconds(r.lagP99Seconds()),
                    r.serviceCpuUsPerEvent(), r.simulatorCpuUsPerEvent(), r.servicePeakRssBytes() >> 20,
                    r.lossCounterTotal(), r.drainSeconds(), verdict(r));
            if (r.lossFree() && r.lossCounterTotal() == 0 && r.rate() > best) best = r.rate();
            if (r.lossFree() && r.lossCounterTotal() == 0 && r.drained() && r.rate() > bestKeptUp) {
                bestKeptUp = r.rate();
            }
        }
        p.println(best < 0 ? "highest rate with 0 missing and 0 duplicates: none"
                : String.format("highest rate with 0 missing and 0 duplicates: %,d msg/s", best));
        p.println(bestKeptUp < 0 ? "of those, the service kept up (drained within --drain-timeout) at: none"
                : String.format("of those, the service kept up (drained within --drain-timeout) at: %,d msg/s",
                bestKeptUp));
        if (results.stream().anyMatch(r -> r.comparison() != null
                && r.comparison().groups().stream().anyMatch(g -> g.sameIdInTruth() > 0))) {
            p.println("same-id: distinct events the simulator sent under an identity it had already used; the table"
                    + " can hold only one of each (see the per-rate tables)");
        }
        if (results.stream().anyMatch(r -> r.lagP50Seconds() == null)) {
            p.println("lag n/a: the service's /metrics has no " + ServiceBench.LAG_METRIC + "_bucket histogram");
        }
    }

    private static String verdict(RunResult r) {
        if (r.error() != null) return "FAILED";
        if (!r.lossFree()) return "LOSS";
        if (!r.drained()) return "ok, but fell behind (not drained in time)";
        return r.lossCounterTotal() > 0 ? "ok (loss counters > 0)" : "ok";
    }

    private static String lag(RunResult r) {
        if (r.lagP50Seconds() == null) return "n/a (metric missing)";
        return String.format("p50 %s, p99 %s over %,.0f observations", seconds(r.lagP50Seconds()),
                seconds(r.lagP99Seconds()), r.lagCount());
    }

    private static String seconds(Double s) {
        if (s == null) return "n/a";
        return s < 1 ? String.format("%.0f ms", s * 1000) : String.format("%.2f s", s);
    }

    private static String compact(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.0f", v)));
        return b.toString();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void writeJson(Path file, List<RunResult> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", "bench-service");
        doc.put("finished", Instant.now().toString());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("rate_unit", "messages per second into the service, both feeds together");
        doc.put("lag_metric", ServiceBench.LAG_METRIC);
        List<Map<String, Object>> summary = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate", r.rate());
            m.put("verdict", verdict(r));
            m.put("loss_free", r.lossFree());
            m.put("missing", r.comparison() == null ? null : r.comparison().missing());
            m.put("duplicates", r.comparison() == null ? null : r.comparison().duplicates());
            m.put("extras", r.comparison() == null ? null : r.comparison().extras());
            m.put("drained", r.drained());
            m.put("drain_seconds", r.drainSeconds());
            m.put("achieved_rate", r.achievedRate());
            m.put("lag_p50_seconds", r.lagP50Seconds());
            m.put("lag_p99_seconds", r.lagP99Seconds());
            m.put("service_cpu_us_per_event", r.serviceCpuUsPerEvent());
            m.put("simulator_cpu_us_per_event", r.simulatorCpuUsPerEvent());
            m.put("machine_cpu_us_per_event", r.machineCpuUsPerEvent());
            m.put("service_peak_rss_bytes", r.servicePeakRssBytes());
            m.put("mode", r.mode());
            summary.add(m);
        }
        doc.put("summary", summary);
        doc.put("runs", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }
}
