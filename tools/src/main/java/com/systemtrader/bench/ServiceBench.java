package com.systemtrader.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The end-to-end service benchmark ({@code bench-service}, issue 12 "measure the whole"): for one rate, a fresh
 * PostgreSQL database; {@code simulate --truth-file --stdin-control} and {@code run} (both feeds, Redis, storage, its
 * own journal) as child JVMs of this build; streaming for the duration; then the simulator stops sending, the service
 * drains (its {@code /metrics}: writer queue, journal, rings and Redis queue empty, rows and messages no longer
 * moving), the last scrape is kept (commit-lag histogram, loss counters), the service is stopped with SIGTERM and the
 * simulator by closing its input (it flushes the truth file), and {@code websocket_data} is compared with the truth
 * by identity ({@link TruthComparison}).
 *
 * <p>{@code rate} is messages per second <b>into the service</b>, both feeds together: the simulator's market runs at
 * {@code rate / 2} and every event goes to both the Polygon and the Alpaca connection (as the same trade reaches both
 * vendors). CPU per event is each process's utime + stime ({@code /proc}) from the moment the service is ready to
 * the end of the drain, divided by the events the service received in that window.
 *
 * <p><b>Bus mode</b> ({@link Options#bus()} set): instead of one {@code run}, {@code run --role store} and, once its
 * consumer holds every partition, {@code run --role collector}, on fresh topics and a fresh consumer group of the
 * rate's own ({@link BusMode}; Redis off: no {@code cache} role). The drain also waits for the collector's bus intake
 * and journal and the store's group lag and uncommitted events ({@code /health} {@code components.bus}); both are
 * stopped with SIGTERM (the collector first). The lag is the store's commit-lag histogram: the receive time the
 * collector stamped travels in the bus value. Service CPU and RSS are both processes' sums (each also reported).
 */
public final class ServiceBench {
    /** Commit-lag histogram the storage writer exports (event receive to commit). */
    public static final String LAG_METRIC = "storage_writer_commit_lag_seconds";
    private static final Pattern SIM_READY = Pattern.compile("simulator ready on port (\\d+)");
    private static final Pattern RUN_READY = Pattern.compile("HTTP API on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String SIM_STOPPED = "simulator: sending stopped";
    /** Counters that mean data was lost or refused somewhere in the service. */
    private static final List<String> LOSS_COUNTERS = List.of("storage_writer_lost_events_total",
            "storage_writer_rejected_events_total", "storage_journal_append_failures_total",
            "collector_ring_dropped_total", "collector_decode_errors_total", "cache_redis_dropped_total",
            "storage_quarantine_missed_total", "bus_sink_events_lost_total", "bus_consumer_undecodable_total");
    /** Counters worth seeing next to them: spills, errors, reconnects. */
    private static final List<String> OTHER_COUNTERS = List.of("storage_writer_spill_episodes_total",
            "storage_writer_spilled_total", "storage_writer_errors_total", "storage_writer_fast_fallbacks_total",
            "storage_writer_batches_total", "storage_writer_rows_total", "collector_gaps_total",
            "collector_backpressure_pauses_total", "backfill_rows_total", "cache_redis_written_total",
            "bus_sink_events_published_total", "bus_sink_events_spilled_total", "bus_sink_publish_failures_total",
            "bus_consumer_events_total", "bus_consumer_rewinds_total");

    /**
     * @param warmupSeconds    seconds of streaming after the service is ready and before the measured window (their
     *                         events are compared too, but not counted in the rate and CPU figures)
     * @param durationSeconds  seconds of measured streaming after the warm-up
     * @param pgServer         JDBC URL of the server ending in {@code /}; databases are created in it
     * @param redisUrl         {@code redis://host:port[/db]}
     * @param redisPrefix      key prefix of the service's Redis keys (deleted after each rate)
     * @param workDir          per-rate directories (truth file, journal, config, logs) go here
     * @param java             the {@code java} executable of the child JVMs
     * @param classPath        their class path (this build's)
     * @param childJvmOptions  JVM flags for both children (e.g. -Xmx2g)
     * @param alpacaCompression the Alpaca feed's permessage-deflate (off as shipped; the wire format is the shipped
     *                          default, MessagePack)
     */
    public record Options(int warmupSeconds, int durationSeconds, List<String> symbols, String pgServer, String pgUser, String redisUrl,
                          String redisPrefix, Path workDir, boolean keepDb, boolean keepTruth, long journalBudgetMb,
                          boolean alpacaCompression, String java, String classPath, List<String> childJvmOptions,
                          Duration drainTimeout, PrintStream out, BusMode bus) {
        /** The single-process benchmark (no bus). */
        public Options(int warmupSeconds, int durationSeconds, List<String> symbols, String pgServer, String pgUser,
                       String redisUrl, String redisPrefix, Path workDir, boolean keepDb, boolean keepTruth,
                       long journalBudgetMb, boolean alpacaCompression, String java, String classPath,
                       List<String> childJvmOptions, Duration drainTimeout, PrintStream out) {
            this(warmupSeconds, durationSeconds, symbols, pgServer, pgUser, redisUrl, redisPrefix, workDir, keepDb,
                    keepTruth, journalBudgetMb, alpacaCompression, java, classPath, childJvmOptions, drainTimeout, out,
                    null);
        }
    }

    /**
     * Creates and deletes the bus topics of a run (the caller's Kafka admin client: this module has no Kafka).
     */
    public interface TopicAdmin {
        /** Creates {@code topics} with {@code partitions} partitions each; returns once every partition is served. */
        void create(List<String> topics, int partitions) throws Exception;

        /** Deletes {@code topics}; failures are reported, not thrown. */
        void delete(List<String> topics);
    }

    /**
     * The bus mode: instead of one {@code run}, {@code run --role collector} (both feeds into Kafka) and
     * {@code run --role store} (its consumer group into PostgreSQL), on fresh topics and a fresh group per rate.
     *
     * @param bootstrap  the broker, {@code host:port[,...]}
     * @param partitions partitions of each topic
     * @param keepTopics keep each rate's topics (deleted by default)
     */
    public record BusMode(String bootstrap, int partitions, boolean keepTopics, TopicAdmin admin) {}

    /** One rate's outcome. {@code error} is set when the run could not complete (then comparison may be null). */
    public record RunResult(long rate, long simRatePerFeed, int warmupSeconds, int durationSeconds, String database, Path truthFile,
                            double streamSeconds, double drainSeconds, boolean drained, long eventsReceived,
                            double achievedRate, TruthComparison.Result comparison, Double lagP50Seconds,
                            Double lagP99Seconds, double lagCount, Map<String, Double> lossCounters,
                            Map<String, Double> otherCounters, Map<String, Double> cleanerOutcomes,
                            double serviceCpuSeconds, double simulatorCpuSeconds, double serviceCpuUsPerEvent,
                            double simulatorCpuUsPerEvent, double machineCpuUsPerEvent, long servicePeakRssBytes,
                            long simulatorPeakRssBytes,
                            int serviceExit, String error, String mode, Map<String, Double> processCpuSeconds,
                            Map<String, Long> processPeakRssBytes, Map<String, Double> busFigures) {
        public boolean lossFree() {
            return error == null && comparison != null && comparison.missing() == 0 && comparison.duplicates() == 0;
        }

        public double lossCounterTotal() {
            return lossCounters.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final Options o;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ServiceBench(Options options) {
        this.o = options;
    }

    /** Runs one rate end to end; never throws for a failed run (see {@link RunResult#error()}). */
    public RunResult run(long rate) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        String db = "bench_" + stamp + "_" + rate;
        Path dir = o.workDir().resolve("rate-" + rate + "-" + stamp + (bus() ? "-bus" : ""));
        Files.createDirectories(dir);
        Path truth = dir.resolve("truth.jsonl");
        Path simLog = dir.resolve("simulate.log");
        long simRate = Math.max(1, rate / 2);
        // bus mode: topics and a group of this rate's own, so runs never read each other's events
        String busPrefix = "bench-service-" + stamp.replace('_', '-') + "-" + rate;
        List<String> topics = bus() ? List.of(busPrefix + ".trades", busPrefix + ".quotes", busPrefix + ".bars")
                : List.of();
        o.out().printf("%n== bench-service rate %,d msg/s into the service (simulator %,d per feed x 2 feeds), %d s"
                + " warm-up + %d s, database %s, files in %s%n", rate, simRate, o.warmupSeconds(), o.durationSeconds(),
                db, dir);
        if (bus()) {
            o.out().printf("   bus mode: run --role collector -> Kafka %s (topics %s.{trades,quotes,bars}, %d"
                    + " partitions each) -> run --role store (group %s-store) -> PostgreSQL%n", o.bus().bootstrap(),
                    busPrefix, o.bus().partitions(), busPrefix);
        }
        State s = new State();
        s.mode = bus() ? "bus (collector + store, " + o.bus().partitions() + " partitions)" : "single process";
        Process sim = null;
        List<Child> svc = new ArrayList<>();
        Thread reaper = null;
        boolean topicsMade = false;
        try {
            exec(o.pgServer() + "postgres", "CREATE DATABASE " + db);
            if (bus()) {
                o.bus().admin().create(topics, o.bus().partitions());
                topicsMade = true;
            }
            sim = start(dir, simLog, null, "simulate", "--port", "0", "--rate", Long.toString(simRate),
                    "--symbols", String.join(",", o.symbols()), "--halts-per-hour", "0", "--truth-file",
                    truth.toString(), "--stdin-control", "--duration",
                    Long.toString(o.warmupSeconds() + o.durationSeconds() + 3_600L));
            Process simF = sim;
            int simPort = Integer.parseInt(awaitLine(sim, simLog, SIM_READY, Duration.ofSeconds(60)).group(1));
            Map<String, String> env = Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY,
                    "APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY,
                    "APCA_API_SECRET_KEY", SimulatorConfig.DEFAULT_ALPACA_SECRET);
            // the store first, and the collector once the store's consumer holds (and has fetched) every partition:
            // no event waits for the group's first rebalance
            List<String> roles = bus() ? List.of("store", "collector") : List.of("all");
            List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();
            reaper = new Thread(() -> {
                simF.destroyForcibly();
                for (Process p : started) p.destroyForcibly();
            });
            Runtime.getRuntime().addShutdownHook(reaper);
            for (String role : roles) {
                String name = bus() ? role : "run";
                Path config = Files.writeString(dir.resolve(bus() ? role + "_config.yaml" : "collector_config.yaml"),
                        config(simPort, db, dir, rate, role, busPrefix));
                Path log = dir.resolve(name + ".log");
                List<String> args = new ArrayList<>(List.of("run", "--config", config.toString(), "--credentials",
                        dir.resolve("no-credentials.yaml").toString()));
                if (bus()) args.addAll(List.of("--role", role));
                Process p = start(dir, log, env, args.toArray(String[]::new));
                started.add(p);
                Child c = new Child(name, p, log, null);
                int httpPort = Integer.parseInt(awaitLine(p, log, RUN_READY, Duration.ofSeconds(120)).group(1));
                c = new Child(name, p, log, URI.create("http://127.0.0.1:" + httpPort));
                svc.add(c);
                awaitReady(c, Duration.ofSeconds(60));
                if (role.equals("store")) awaitAssigned(c, topics.size() * o.bus().partitions(), Duration.ofSeconds(90));
            }
            // the single process, or the collector (receives) and the store (writes, measures the lag)
            Child receiver = svc.get(svc.size() - 1);
            Child writer = svc.get(0);
            URI metrics = receiver.uri("/metrics");

            // ---- streaming: warm-up, then the measured window ----
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
            while (System.nanoTime() < warmEnd) {
                alive(sim, "simulate", simLog);
                for (Child c : svc) alive(c);
                Thread.sleep(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(warmEnd - System.nanoTime()))));
            }
            long t0 = System.nanoTime();
            double svcCpu0 = cpuSeconds(svc);
            Map<String, Double> procCpu0 = new LinkedHashMap<>();
            for (Child c : svc) procCpu0.put(c.name(), ProcStats.cpuSeconds(c.process().pid()));
            double simCpu0 = ProcStats.cpuSeconds(sim.pid());
            double machine0 = ProcStats.machineBusySeconds();
            double received0 = received(scrape(metrics));
            long end = t0 + TimeUnit.SECONDS.toNanos(o.durationSeconds());
            long nextPrint = t0 + TimeUnit.SECONDS.toNanos(10);
            double lastReceived = received0;
            long lastAt = t0;
            while (System.nanoTime() < end) {
                alive(sim, "simulate", simLog);
                for (Child c : svc) alive(c);
                Thread.sleep(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                if (System.nanoTime() >= nextPrint && System.nanoTime() < end) {
                    MetricsScrape m = scrapeAll(svc);
                    long now = System.nanoTime();
                    double r = received(m);
                    String busPart = "";
                    if (bus()) {
                        JsonNode store = health(writer);
                        busPart = String.format("  bus lag %,9d uncommitted %,7d", store.path("lag").asLong(),
                                store.path("uncommitted").asLong());
                    }
                    long rss = 0;
                    for (Child c : svc) rss += ProcStats.rssBytes(c.process().pid()).orElse(0);
                    o.out().printf("  t=%3ds received %,9.0f msg/s  writer queue %,4.0f  journal pending %,4.0f"
                                    + "  rows %,12.0f%s  rss %,5d MB%n", TimeUnit.NANOSECONDS.toSeconds(now - t0),
                            (r - lastReceived) / ((now - lastAt) / 1e9), m.sum("storage_writer_queue_depth"),
                            m.sum("storage_journal_batches_pending"), m.sum("storage_writer_rows_total"), busPart,
                            rss >> 20);
                    lastReceived = r;
                    lastAt = now;
                    nextPrint += TimeUnit.SECONDS.toNanos(10);
                }
            }

            // ---- stop sending, drain ----
            OutputStream stdin = sim.getOutputStream();
            stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            awaitLine(sim, simLog, Pattern.compile(Pattern.quote(SIM_STOPPED)), Duration.ofSeconds(30));
            long t1 = System.nanoTime();
            s.streamSeconds = (t1 - t0) / 1e9;
            double receivedAtStop = received(scrape(metrics));
            s.achievedRate = (receivedAtStop - received0) / s.streamSeconds;
            drain(svc, writer, s);
            long t2 = System.nanoTime();
            s.drainSeconds = (t2 - t1) / 1e9;
            double svcCpu = cpuSeconds(svc) - svcCpu0;
            for (Child c : svc) {
                s.processCpu.put(c.name(), ProcStats.cpuSeconds(c.process().pid()) - procCpu0.get(c.name()));
                s.processPeak.put(c.name(), ProcStats.peakRssBytes(c.process().pid()).orElse(-1));
            }
            double simCpu = ProcStats.cpuSeconds(sim.pid()) - simCpu0;
            double machineCpu = ProcStats.machineBusySeconds() - machine0;
            s.servicePeak = s.processPeak.values().stream().mapToLong(Long::longValue).sum();
            s.simPeak = ProcStats.peakRssBytes(sim.pid()).orElse(-1);
            double events = received(s.last) - received0;
            s.eventsReceived = (long) received(s.last);
            s.serviceCpu = svcCpu;
            s.simCpu = simCpu;
            s.serviceUsPerEvent = events > 0 ? svcCpu * 1e6 / events : Double.NaN;
            s.simUsPerEvent = events > 0 ? simCpu * 1e6 / events : Double.NaN;
            s.machineUsPerEvent = events > 0 ? machineCpu * 1e6 / events : Double.NaN;

            // ---- stop the service (the collector first), then the simulator; compare ----
            s.serviceExit = 0;
            for (Child c : svc.reversed()) {
                c.process().destroy(); // SIGTERM: the process drains and exits 0
                long exitWait = Math.max(180, o.drainTimeout().toSeconds());
                if (!c.process().waitFor(exitWait, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    throw new IllegalStateException(c.name() + " did not exit within " + exitWait
                            + " s of SIGTERM (killed); see " + c.log());
                }
                int exit = c.process().exitValue();
                if (exit != 0 && s.serviceExit == 0) {
                    s.serviceExit = exit;
                    s.error = c.name() + " exited with " + exit + " after SIGTERM; see " + c.log();
                }
            }
            stdin.close(); // end of input: the simulator stops and flushes its truth file
            if (!sim.waitFor(60, TimeUnit.SECONDS)) {
                sim.destroy();
                if (!sim.waitFor(30, TimeUnit.SECONDS)) sim.destroyForcibly();
            }
            o.out().printf("  stopped: service exit %d; comparing %s (%,d MB) with websocket_data...%n",
                    s.serviceExit, truth.getFileName(), Files.size(truth) >> 20);
            long c0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(o.pgServer() + db, o.pgUser(), password())) {
                s.comparison = TruthComparison.compare(truth, c);
            }
            o.out().printf("  compared in %.1f s%n", (System.nanoTime() - c0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.error = "interrupted";
        } catch (Exception e) {
            s.error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            for (Child c : svc) if (c.process().isAlive()) c.process().destroyForcibly();
            if (sim != null && sim.isAlive()) sim.destroyForcibly();
            if (reaper != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
            if (topicsMade && !o.bus().keepTopics()) o.bus().admin().delete(topics);
            cleanUp(db, dir, truth, rate);
        }
        return result(rate, simRate, db, truth, s);
    }

    private boolean bus() {
        return o.bus() != null;
    }

    /** One service process: its name ({@code run}, {@code collector}, {@code store}), log and HTTP API. */
    private record Child(String name, Process process, Path log, URI base) {
        URI uri(String path) {
            return base.resolve(path);
        }
    }

    private static double cpuSeconds(List<Child> svc) {
        double sum = 0;
        for (Child c : svc) sum += ProcStats.cpuSeconds(c.process().pid());
        return sum;
    }

    /** What one run gathered on its way. */
    private static final class State {
        double streamSeconds = Double.NaN;
        double drainSeconds = Double.NaN;
        boolean drained;
        long eventsReceived;
        double achievedRate = Double.NaN;
        double serviceCpu = Double.NaN;
        double simCpu = Double.NaN;
        double serviceUsPerEvent = Double.NaN;
        double simUsPerEvent = Double.NaN;
        double machineUsPerEvent = Double.NaN;
        long servicePeak = -1;
        long simPeak = -1;
        int serviceExit = -1;
        /** The last drain scrape: every service process's {@code /metrics} together. */
        MetricsScrape last;
        /** The last drain scrape of the process that writes the database (the lag histogram). */
        MetricsScrape lastWriter;
        TruthComparison.Result comparison;
        String error;
        String mode;
        final Map<String, Double> processCpu = new LinkedHashMap<>();
        final Map<String, Long> processPeak = new LinkedHashMap<>();
        final Map<String, Double> busFigures = new LinkedHashMap<>();
    }

    private RunResult result(long rate, long simRate, String db, Path truth, State s) {
        MetricsScrape m = s.last == null ? MetricsScrape.parse("") : s.last;
        // the lag of the process that writes the live stream (in bus mode the store; the collector's own writer
        // stores only backfills and quarantined events)
        MetricsScrape w = s.lastWriter == null ? m : s.lastWriter;
        OptionalDouble p50 = w.histogramQuantile(LAG_METRIC, 0.50);
        OptionalDouble p99 = w.histogramQuantile(LAG_METRIC, 0.99);
        Map<String, Double> loss = new LinkedHashMap<>();
        for (String name : LOSS_COUNTERS) loss.put(name, m.sum(name));
        Map<String, Double> other = new LinkedHashMap<>();
        for (String name : OTHER_COUNTERS) other.put(name, m.sum(name));
        Map<String, Double> cleaner = m.sumBy("cleaner_messages_total", "outcome");
        return new RunResult(rate, simRate, o.warmupSeconds(), o.durationSeconds(), db, o.keepTruth() ? truth : null, s.streamSeconds,
                s.drainSeconds, s.drained, s.eventsReceived, s.achievedRate, s.comparison,
                p50.isPresent() ? p50.getAsDouble() : null, p99.isPresent() ? p99.getAsDouble() : null,
                w.histogramCount(LAG_METRIC), loss, other, cleaner, s.serviceCpu, s.simCpu, s.serviceUsPerEvent,
                s.simUsPerEvent, s.machineUsPerEvent, s.servicePeak, s.simPeak, s.serviceExit, s.error, s.mode,
                Map.copyOf(s.processCpu), Map.copyOf(s.processPeak), Map.copyOf(s.busFigures));
    }

    // ---- the child processes ----

    private Process start(Path dir, Path log, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java());
        cmd.addAll(o.childJvmOptions());
        cmd.add("-cp");
        cmd.add(o.classPath());
        cmd.add("com.systemtrader.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("APCA_API_KEY_ID");
        pb.environment().remove("APCA_API_SECRET_KEY");
        pb.environment().remove("POLYGON_API_KEY");
        pb.environment().remove("MASSIVE_API_KEY");
        pb.environment().remove("SYSTEM_TRADER_JAVA_OPTS");
        if (env != null) pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start(); // standard input stays a pipe: the simulator's control channel
    }

    /** Polls the log until {@code pattern} appears (the newest match); fails when the process exits first. */
    private static Matcher awaitLine(Process p, Path log, Pattern pattern, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            String last = null;
            while (m.find()) last = m.group();
            if (last != null) {
                Matcher again = pattern.matcher(last);
                if (again.find()) return again;
            }
            alive(p, "child", log);
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + pattern.pattern() + "' in " + log + " within " + timeout);
    }

    private static void alive(Process p, String what, Path log) throws IOException {
        if (!p.isAlive()) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            throw new IllegalStateException(what + " exited with " + p.exitValue() + "; last lines of " + log + ": "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
    }

    private void awaitReady(Child c, Duration timeout) throws Exception {
        URI ready = c.uri("/ready");
        long end = System.nanoTime() + timeout.toNanos();
        int status = 0;
        while (System.nanoTime() < end) {
            alive(c);
            try {
                status = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) return;
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(c.name() + ": /ready answered " + status + " for " + timeout);
    }

    /** Waits until the store's consumer reports a lag for {@code partitions} partitions (assigned and fetched). */
    private void awaitAssigned(Child store, int partitions, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < end) {
            alive(store);
            seen = 0;
            for (MetricsScrape.Sample x : scrape(store.uri("/metrics")).samples()) {
                if (x.name().equals("bus_consumer_lag")) seen++;
            }
            if (seen >= partitions) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("store: its consumer holds " + seen + " of " + partitions
                + " partitions after " + timeout);
    }

    private static void alive(Child c) throws IOException {
        alive(c.process(), c.name(), c.log());
    }

    /** Every service process's {@code /metrics} as one scrape (sums add up across them). */
    private MetricsScrape scrapeAll(List<Child> svc) throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder();
        for (Child c : svc) text.append(get(c.uri("/metrics"))).append('\n');
        return MetricsScrape.parse(text.toString());
    }

    /** {@code components.bus} of a process's {@code /health} (any status code: the body is the report). */
    private JsonNode health(Child c) throws IOException, InterruptedException {
        return JSON.readTree(get(c.uri("/health"))).path("components").path("bus");
    }

    private String get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private MetricsScrape scrape(URI metrics) throws IOException, InterruptedException {
        return MetricsScrape.parse(get(metrics));
    }

    private static double received(MetricsScrape m) {
        return m.sum("collector_messages_total");
    }

    /**
     * Waits until nothing is queued anywhere (writer queue, journal, collector rings, Redis queue; in bus mode also the
     * collector's bus intake and spill journal, and the store group's lag and uncommitted events, from their
     * {@code /health}) and rows, received messages (and published and consumed events) stood still over two polls
     * half a second apart; keeps that last scrape in {@code s}.
     */
    private void drain(List<Child> svc, Child writer, State s) throws Exception {
        long end = System.nanoTime() + o.drainTimeout().toNanos();
        MetricsScrape prev = null;
        double prevPublished = -1;
        double prevConsumed = -1;
        int still = 0;
        long started = System.nanoTime();
        long nextPrint = started + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (Child c : svc) alive(c);
            MetricsScrape cur = scrapeAll(svc);
            MetricsScrape curWriter = svc.size() == 1 ? cur : scrape(writer.uri("/metrics"));
            boolean empty = cur.sum("storage_writer_queue_depth") == 0
                    && cur.sum("storage_journal_batches_pending") == 0 && cur.sum("collector_ring_depth") == 0
                    && cur.sum("cache_redis_queue_depth") == 0;
            boolean same = prev != null && cur.sum("storage_writer_rows_total") == prev.sum("storage_writer_rows_total")
                    && received(cur) == received(prev);
            String busPart = "";
            if (bus()) {
                JsonNode collector = health(svc.get(svc.size() - 1));
                JsonNode store = health(writer);
                double published = collector.path("published").asDouble();
                double consumed = store.path("consumed").asDouble();
                long lag = store.path("lag").asLong(-1);
                long uncommitted = store.path("uncommitted").asLong(-1);
                empty &= collector.path("intake_events").asLong(-1) == 0
                        && collector.path("journal_batches_pending").asLong(-1) == 0 && lag == 0 && uncommitted == 0
                        && consumed >= published;
                same &= published == prevPublished && consumed == prevConsumed;
                prevPublished = published;
                prevConsumed = consumed;
                s.busFigures.put("published", published);
                s.busFigures.put("consumed", consumed);
                s.busFigures.put("events_lost_at_collector", collector.path("events_lost").asDouble());
                busPart = String.format("  published %,.0f consumed %,.0f lag %,d uncommitted %,d", published,
                        consumed, lag, uncommitted);
            }
            still = empty && same ? still + 1 : 0;
            s.last = cur;
            s.lastWriter = curWriter;
            if (still >= 2) {
                s.drained = true;
                return;
            }
            if (System.nanoTime() > end) {
                o.out().printf("  drain: not idle after %s (writer queue %.0f, journal pending %.0f%s); stopping"
                                + " anyway%n", o.drainTimeout(), cur.sum("storage_writer_queue_depth"),
                        cur.sum("storage_journal_batches_pending"), busPart);
                return;
            }
            if (System.nanoTime() >= nextPrint) {
                o.out().printf("  drain t=%3ds: writer queue %,4.0f  journal pending %,4.0f  rows %,12.0f%s%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                        cur.sum("storage_writer_queue_depth"), cur.sum("storage_journal_batches_pending"),
                        cur.sum("storage_writer_rows_total"), busPart);
                nextPrint += TimeUnit.SECONDS.toNanos(10);
            }
            prev = cur;
            Thread.sleep(500);
        }
    }

    // ---- configuration, database, cleanup ----

    /**
     * A service process's config: {@code role} {@code all} is the single-process service (both feeds, Redis, storage);
     * in bus mode {@code collector} (both feeds into the bus; its own storage journal for what it writes directly) and
     * {@code store} (the bus into PostgreSQL), Redis off (no {@code cache} role runs).
     */
    private String config(int simPort, String db, Path dir, long rate, String role, String busPrefix) {
        boolean all = role.equals("all");
        String symbols = String.join(", ", o.symbols());
        String yaml = """
                # written by bench-service (rate %7$d, role %11$s): both feeds on the simulator, storage to a fresh database
                polygon:
                  websocket:
                    enabled: true
                    url: ws://127.0.0.1:%1$d/stocks
                    channels: [T, Q, AM]
                    symbols: [%2$s]
                    stale_data_seconds: 0          # the benchmark stops the data itself; no reconnect while draining
                  rest:
                    url: http://127.0.0.1:%1$d
                alpaca:
                  websocket:
                    enabled: true
                    url: ws://127.0.0.1:%1$d/v2
                    feed: sip
                    channels: [trades, quotes, bars]
                    symbols: [%2$s]
                    stale_data_seconds: 0
                    compression: %8$s
                  rest:
                    url: http://127.0.0.1:%1$d
                storage:
                  url: %3$s
                  user: %4$s
                  journal_dir: %5$s
                  journal_budget_mb: %9$d
                redis:
                  enabled: %12$s
                  url: %10$s
                  prefix: %6$s
                service:
                  http_port: 0
                """.formatted(simPort, symbols, o.pgServer() + db, o.pgUser(),
                dir.resolve(all ? "journal" : "journal-" + role), redisPrefix(rate), rate, o.alpacaCompression(),
                o.journalBudgetMb(), o.redisUrl(), role, all);
        if (all) return yaml;
        return yaml + """
                  role: %1$s
                bus:
                  bootstrap_servers: %2$s
                  trades_topic: %3$s.trades
                  quotes_topic: %3$s.quotes
                  bars_topic: %3$s.bars
                  store_group: %3$s-store
                  cache_group: %3$s-cache
                  journal_dir: %4$s
                  journal_budget_mb: %5$d
                """.formatted(role, o.bus().bootstrap(), busPrefix, dir.resolve("bus-journal-" + role),
                o.journalBudgetMb());
    }

    private String redisPrefix(long rate) {
        return o.redisPrefix() + "-" + rate;
    }

    /** The password from {@code SYSTEM_TRADER_DB_PASSWORD} or {@code PGPASSWORD} (the service reads the same). */
    private static String password() {
        String p = System.getenv("SYSTEM_TRADER_DB_PASSWORD");
        if (p == null || p.isEmpty()) p = System.getenv("PGPASSWORD");
        return p == null ? "" : p;
    }

    private void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, o.pgUser(), password());
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private void cleanUp(String db, Path dir, Path truth, long rate) {
        if (!o.keepDb()) {
            try {
                exec(o.pgServer() + "postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            } catch (SQLException e) {
                o.out().println("  could not drop database " + db + ": " + e.getMessage());
            }
        }
        if (!bus()) { // bus mode runs no cache role: nothing in Redis
            try {
                deleteRedisKeys(redisPrefix(rate));
            } catch (RuntimeException e) {
                o.out().println("  could not delete the Redis keys: " + e.getMessage());
            }
        }
        try {
            if (!o.keepTruth()) Files.deleteIfExists(truth);
            for (String j : List.of("journal", "journal-collector", "journal-store", "bus-journal-collector",
                    "bus-journal-store")) {
                deleteTree(dir.resolve(j));
            }
        } catch (IOException e) {
            o.out().println("  could not delete " + dir + " files: " + e.getMessage());
        }
    }

    private void deleteRedisKeys(String prefix) {
        URI u = URI.create(o.redisUrl());
        try (Jedis j = new Jedis(new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()),
                DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).database(database(u)).timeoutMillis(10_000).build())) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(prefix + ":*").count(1_000);
            do {
                ScanResult<String> r = j.scan(cursor, match);
                if (!r.getResult().isEmpty()) j.unlink(r.getResult().toArray(String[]::new));
                cursor = r.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    private static int database(URI u) {
        String path = u.getPath();
        return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
