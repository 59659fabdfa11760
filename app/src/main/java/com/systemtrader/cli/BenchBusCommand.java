package com.systemtrader.cli;

import com.systemtrader.bus.BusConfig;
import com.systemtrader.bus.BusEncoder;
import com.systemtrader.bus.BusSink;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.sink.EventBatch;
import com.systemtrader.sink.SinkFanout;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.ProducerPerformance;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader bench-bus}: the collector's publish rate into Kafka ({@link BusSink}) against Kafka's own
 * producer benchmark ({@code kafka-producer-perf-test}: {@code org.apache.kafka.tools.ProducerPerformance} of the
 * same Kafka version, run in this JVM through its {@code main}), the same broker, in one run, alternating rounds
 * (odd rounds the tool first, even rounds the sink first), each run on a fresh topic of {@code --partitions}
 * partitions. The goal (issue 16) is at least 0.8 times the tool's rate.
 *
 * <p><b>What is matched.</b> The record count; the value size (the tool's {@code --record-size} is the mean size of
 * the {@link BusEncoder} values of the sink's trades, measured by encoding them); the producer settings (the tool
 * gets {@link BusSink#producerProperties}: {@code acks=all}, idempotence, 5 in flight, {@code linger.ms},
 * {@code batch.size}, no compression; not the sink's timeouts, {@link #TOOL_KAFKA_DEFAULTS}: they detect a broker
 * away within 10 s for the spill journal, and the tool, which queues all its records at once, would expire batches
 * on a busy machine); the partition of every record ({@link BenchBusPartitioner} puts the
 * tool's keyless records where the symbols' keys put the sink's). <b>Not matched</b>: the tool's records carry no
 * key (4.1.1 has no key option), so the sink sends the key bytes (the symbol, 1-5 bytes) on top; its values are
 * random letters of one size where the sink's vary by symbol length; the tool times from its first send to the end
 * of {@code producer.close()}, the sink run from its first {@code accept} to the acknowledgement of its last step.
 *
 * <p>The sink run feeds pre-built {@link EventBatch}es of {@code --batch} trades (the fan-out's largest batch, which
 * a busy pipeline fills) to {@link BusSink#accept} from this thread, never letting its intake overflow (it waits
 * while the intake is full, which a real pipeline would not: this measures how fast the sink empties its intake),
 * and stops the clock when {@link BusSink#eventsPublished()} reaches the count. The sink's producer is made and its
 * metadata fetched by one quote to another topic before the clock starts, as the tool makes its producer first.
 */
@Command(name = "bench-bus", mixinStandardHelpOptions = true,
        description = "Publish rate into Kafka: the bus sink against Kafka's own kafka-producer-perf-test, same broker, alternating rounds.")
final class BenchBusCommand implements Runnable {
    static final double TARGET_RATIO = 0.8;
    private static final long T0 = 1_796_000_000_000_000_000L;
    private static final Pattern TOOL_TOTAL = Pattern.compile(
            "(\\d+) records sent, ([\\d.,]+) records/sec \\(([\\d.,]+) MB/sec\\).*99\\.9th\\.");

    /** The sink's settings the tool does not take (it keeps Kafka's defaults for them). */
    static final List<String> TOOL_KAFKA_DEFAULTS = List.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG);

    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers (host:port).")
    String bootstrap;

    @Option(names = "--records", description = "Records per run (default: ${DEFAULT-VALUE}).")
    int records = 1_000_000;

    @Option(names = "--rounds", description = "Rounds, each one run of the tool and one of the sink (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--warmup-records", description = "Records of an untimed run of each before the rounds; 0 for none (default: ${DEFAULT-VALUE}).")
    int warmupRecords = 200_000;

    @Option(names = "--partitions", description = "Partitions of each fresh topic (default: ${DEFAULT-VALUE}).")
    int partitions = 6;

    @Option(names = "--replication-factor", description = "Replication factor of each topic (default: ${DEFAULT-VALUE}).")
    short replicationFactor = 1;

    @Option(names = "--batch", description = "Events per batch handed to BusSink.accept (default: the fan-out's largest, ${DEFAULT-VALUE}).")
    int batch = SinkFanout.MAX_BATCH;

    @Option(names = "--symbols", split = ",", description = "Trade symbols, the keys (default: ${DEFAULT-VALUE}).")
    List<String> symbols = List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "TSLA", "META", "SPY", "QQQ", "AMD",
            "NFLX", "INTC", "BRK.B", "JPM", "XOM", "UNH", "V", "PG", "KO", "DIS");

    @Option(names = "--tool-partitioner", description = "How the tool's keyless records are partitioned: symbols "
            + "(as the sink's keys, BenchBusPartitioner) or kafka (Kafka's sticky partitioner) (default: ${DEFAULT-VALUE}).")
    String toolPartitioner = "symbols";

    @Option(names = "--producer-property", description = "Extra producer property for both (repeatable; k=v; not acks, idempotence or in-flight).")
    Map<String, String> producerProperties = new TreeMap<>();

    @Option(names = "--topic-prefix", description = "Topics are <prefix>-<run id>-... (default: ${DEFAULT-VALUE}).")
    String topicPrefix = "bench-bus";

    @Option(names = "--keep-topics", description = "Keep each run's topic (by default deleted after the run).")
    boolean keepTopics;

    private PrintWriter out;
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000, 36);

    /** One timed run: records acknowledged, seconds, value bytes (keys not counted, as the tool counts). */
    record Run(String who, int round, long records, double seconds, long valueBytes, String detail) {
        double recordsPerSecond() { return records / seconds; }
        double mebibytesPerSecond() { return valueBytes / seconds / (1024.0 * 1024.0); }
    }

    @Override public void run() {
        out = spec.commandLine().getOut();
        validate();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        try {
            runBench();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed: " + Main.oneLine(e), e);
        }
    }

    private void runBench() throws Exception {
        int most = Math.max(records, warmupRecords);
        long t = System.nanoTime();
        List<Trade> trades = trades(most);
        BusEncoder encoder = new BusEncoder();
        long[] bytesUpTo = new long[most + 1]; // value bytes of the first i trades
        int min = Integer.MAX_VALUE, max = 0;
        for (int i = 0; i < most; i++) {
            int n = encoder.encode(trades.get(i), flags(i)).length;
            min = Math.min(min, n);
            max = Math.max(max, n);
            bytesUpTo[i + 1] = bytesUpTo[i] + n;
        }
        int recordSize = (int) Math.round((double) bytesUpTo[records] / records);
        List<EventBatch> batches = batches(trades, records);
        List<EventBatch> warmupBatches = warmupRecords > 0 ? batches(trades, warmupRecords) : List.of();
        BusConfig base = BusConfig.defaults(bootstrap);
        Properties toolProps = toolProperties(base);
        Runtime rt = Runtime.getRuntime();
        out.printf("# bench-bus bootstrap=%s records=%,d rounds=%d warmup-records=%,d partitions=%d rf=%d batch=%d "
                        + "symbols=%d java=%s heap-max=%dMB cores=%d load1=%.2f (trades built in %.1f s)%n",
                bootstrap, records, rounds, warmupRecords, partitions, replicationFactor, batch, symbols.size(),
                System.getProperty("java.version"), rt.maxMemory() >> 20, rt.availableProcessors(), load(),
                (System.nanoTime() - t) / 1e9);
        out.printf("# value: BusEncoder trade, mean %.2f bytes (min %d, max %d); the tool: --record-size %d; "
                        + "keys: the sink's the symbols (mean %.2f bytes), the tool's none (partitioner=%s)%n",
                (double) bytesUpTo[records] / records, min, max, recordSize, meanKeyBytes(), toolPartitioner);
        out.println("# producer settings: both " + settings(toolProps) + "; the sink also "
                + settings(BusSink.producerProperties(withExtras(base)), toolProps) + " (the tool: Kafka's defaults)");
        out.flush();

        KafkaTopics topics = new KafkaTopics(bootstrap, replicationFactor, line -> out.println("# " + line));
        if (warmupRecords > 0) {
            Run w1 = tool(topics, toolProps, 0, warmupRecords, recordSize);
            Run w2 = sink(topics, base, 0, warmupBatches, warmupRecords, bytesUpTo[warmupRecords]);
            out.printf("warmup (untimed): tool %,.0f records/s, sink %,.0f records/s%n", w1.recordsPerSecond(),
                    w2.recordsPerSecond());
            out.flush();
        }
        List<Run> tool = new ArrayList<>();
        List<Run> sink = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            out.printf("# round %d load1=%.2f%n", r, load());
            if (r % 2 == 1) {
                tool.add(print(tool(topics, toolProps, r, records, recordSize)));
                sink.add(print(sink(topics, base, r, batches, records, bytesUpTo[records])));
            } else {
                sink.add(print(sink(topics, base, r, batches, records, bytesUpTo[records])));
                tool.add(print(tool(topics, toolProps, r, records, recordSize)));
            }
            out.printf("round %d ratio sink/tool=%.3f%n", r,
                    sink.getLast().recordsPerSecond() / tool.getLast().recordsPerSecond());
            out.flush();
        }
        double toolRps = median(tool.stream().mapToDouble(Run::recordsPerSecond).toArray());
        double sinkRps = median(sink.stream().mapToDouble(Run::recordsPerSecond).toArray());
        double toolMb = median(tool.stream().mapToDouble(Run::mebibytesPerSecond).toArray());
        double sinkMb = median(sink.stream().mapToDouble(Run::mebibytesPerSecond).toArray());
        double ratio = sinkRps / toolRps;
        out.printf("bench-bus: tool records/s median=%,.0f MB/s median=%.2f | sink records/s median=%,.0f "
                        + "MB/s median=%.2f | ratio sink/tool=%.3f rounds=%d records=%,d partitions=%d "
                        + "load1=%.2f target-0.8=%s%n", toolRps, toolMb, sinkRps, sinkMb, ratio, rounds, records,
                partitions, load(), ratio >= TARGET_RATIO ? "met" : "missed");
        out.flush();
    }

    private Run print(Run r) {
        out.printf("round %d %s: %,d records in %.3f s: %,.0f records/s %.2f MB/s %s%n", r.round(), r.who(),
                r.records(), r.seconds(), r.recordsPerSecond(), r.mebibytesPerSecond(), r.detail());
        out.flush();
        return r;
    }

    // ------------------------------------------------------------------------------------------ the tool

    private Properties toolProperties(BusConfig base) {
        Properties p = BusSink.producerProperties(withExtras(base));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-bus-perf");
        // the sink's failure detection (a step that is not acknowledged within 10 s goes to its journal) is not a
        // throughput setting, and the tool, which queues all its records at once, has no journal: Kafka's defaults
        for (String k : TOOL_KAFKA_DEFAULTS) if (!producerProperties.containsKey(k)) p.remove(k);
        if (toolPartitioner.equals("symbols")) {
            p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, BenchBusPartitioner.class.getName());
            p.put(BenchBusPartitioner.SYMBOLS, String.join(",", symbols));
        }
        return p;
    }

    private BusConfig withExtras(BusConfig c) {
        return new BusConfig(c.bootstrapServers(), c.tradesTopic(), c.quotesTopic(), c.barsTopic(), c.clientId(),
                c.groupId(), c.intakeEvents(), c.stepEvents(), c.deliveryTimeout(), c.retryMin(), c.retryMax(),
                c.maxUncommittedEvents(), producerProperties, c.sessionTimeout());
    }

    /** One run of ProducerPerformance in this JVM; its own total line gives the figures. */
    private Run tool(KafkaTopics topics, Properties props, int round, int n, int recordSize) throws Exception {
        String topic = topicPrefix + "-" + runId + "-r" + round + "-tool";
        topics.create(List.of(topic), partitions);
        Path config = Files.createTempFile("bench-bus-producer", ".properties");
        try {
            try (OutputStream o = Files.newOutputStream(config)) {
                props.store(o, "bench-bus: BusSink's producer settings");
            }
            String[] args = {"--topic", topic, "--num-records", String.valueOf(n), "--record-size",
                    String.valueOf(recordSize), "--throughput", "-1", "--producer.config", config.toString()};
            String printed = captureStdout(() -> ProducerPerformance.main(args));
            String total = null;
            for (String line : printed.split("\n")) if (TOOL_TOTAL.matcher(line).find()) total = line.strip();
            if (total == null) throw new IllegalStateException("ProducerPerformance printed no total: " + printed);
            Matcher m = TOOL_TOTAL.matcher(total);
            m.find();
            long sent = Long.parseLong(m.group(1));
            double rps = Double.parseDouble(m.group(2).replace(',', '.'));
            if (sent != n) throw new IllegalStateException("ProducerPerformance acknowledged " + sent + " of " + n);
            return new Run("tool", round, sent, sent / rps, (long) recordSize * sent, "[" + total + "]");
        } finally {
            Files.deleteIfExists(config);
            dropTopic(topics, topic);
        }
    }

    private interface Body { void run() throws Exception; }

    /** Runs {@code body} with System.out going to a buffer (ProducerPerformance prints its figures there). */
    private static synchronized String captureStdout(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("ProducerPerformance exited " + code + ": " + message);
        });
        try {
            body.run();
        } finally {
            System.out.flush();
            System.setOut(original);
            Exit.resetExitProcedure();
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------ the sink

    /** One run of the sink: first accept to the last step's acknowledgement. */
    private Run sink(KafkaTopics topics, BusConfig base, int round, List<EventBatch> batches, int n, long valueBytes)
            throws Exception {
        String prefix = topicPrefix + "-" + runId + "-r" + round + "-sink";
        BusConfig c = withExtras(base).withTopics(prefix + ".trades", prefix + ".quotes", prefix + ".bars");
        topics.create(List.of(c.tradesTopic(), c.quotesTopic()), partitions);
        Path dir = Files.createTempDirectory("bench-bus-journal");
        try (SpillJournal journal = SpillJournal.open(dir, JournalConfig.defaults())) {
            BusSink sink = new BusSink(c, journal, null).start();
            try {
                // the producer and its connection first, as the tool makes its producer before its clock starts
                sink.accept(new EventBatch(List.of(new Quote(DataSource.POLYGON, "SPY", T0, T0, 11, 99.5, 1, 12,
                        100.5, 2, Conditions.NONE, Conditions.NONE, 'C', 0)), new int[] {0}));
                awaitPublished(sink, 1, Duration.ofSeconds(60));
                long before = sink.eventsPublished();
                long intake = c.intakeEvents();
                long t0 = System.nanoTime();
                for (EventBatch b : batches) {
                    while (sink.depth() + b.size() > intake) LockSupport.parkNanos(50_000);
                    sink.accept(b);
                }
                awaitPublished(sink, before + n, Duration.ofSeconds(120));
                double seconds = (System.nanoTime() - t0) / 1e9;
                String detail = String.format("[published=%d lost=%d spilled=%d publish-failures=%d]",
                        sink.eventsPublished() - before, sink.dropped(), sink.eventsSpilled(), sink.publishFailures());
                if (sink.dropped() != 0 || sink.eventsSpilled() != 0 || sink.publishFailures() != 0) {
                    throw new IllegalStateException("the sink run was not clean: " + detail);
                }
                return new Run("sink", round, n, seconds, valueBytes, detail);
            } finally {
                sink.close(Duration.ofSeconds(30));
            }
        } finally {
            deleteTree(dir);
            dropTopic(topics, c.tradesTopic());
            dropTopic(topics, c.quotesTopic());
        }
    }

    /** Polls the sink's counter (every 0.1 ms: the clock's resolution at the end) until it reaches {@code target}. */
    private static void awaitPublished(BusSink sink, long target, Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        while (sink.eventsPublished() < target) {
            if (sink.dropped() != 0 || sink.publishFailures() != 0 || System.nanoTime() - until > 0) {
                throw new IllegalStateException("the sink did not publish " + target + " events: published "
                        + sink.eventsPublished() + ", lost " + sink.dropped() + ", failed steps "
                        + sink.publishFailures() + ", spilled " + sink.eventsSpilled());
            }
            LockSupport.parkNanos(100_000);
        }
    }

    // ------------------------------------------------------------------------------------------ data, topics

    /** Trades as a Polygon feed has them, cycling through the symbols (so the tool's partitioner can follow). */
    private List<Trade> trades(int n) {
        List<Trade> out = new ArrayList<>(n);
        Conditions[] conditions = {Conditions.NONE, Conditions.of(37), Conditions.of(12, 37), Conditions.of(14, 41)};
        for (int i = 0; i < n; i++) {
            long time = T0 + i * 1_000L;
            out.add(new Trade(DataSource.POLYGON, symbols.get(i % symbols.size()), time, time + 1_500_000,
                    100 + (i % 10_000) / 100.0, 1 + i % 500, 4 + i % 15, Long.toString(52_983_525_029_461L + i),
                    'C', 1_000_000L + i, Integer.MIN_VALUE, Long.MIN_VALUE, conditions[(i / symbols.size()) % 4]));
        }
        return out;
    }

    private static int flags(int i) {
        return 0xFF; // SIP-eligible for every use: a typical verdict (the value's size does not depend on it)
    }

    private List<EventBatch> batches(List<Trade> trades, int n) {
        List<EventBatch> out = new ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int[] f = new int[to - from];
            for (int i = from; i < to; i++) f[i - from] = flags(i);
            out.add(new EventBatch(trades.subList(from, to), f));
        }
        return out;
    }

    private double meanKeyBytes() {
        return symbols.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).average().orElse(0);
    }

    private void dropTopic(KafkaTopics topics, String name) {
        if (!keepTopics) topics.delete(List.of(name));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static String settings(Properties p) {
        return settings(p, new Properties());
    }

    /** The settings of {@code p} that {@code not} does not have. */
    private static String settings(Properties p, Properties not) {
        List<String> keys = new ArrayList<>(p.stringPropertyNames());
        keys.removeIf(not::containsKey);
        keys.removeIf(k -> k.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) || k.equals(ProducerConfig.CLIENT_ID_CONFIG)
                || k.endsWith("serializer") || k.equals(ProducerConfig.PARTITIONER_CLASS_CONFIG)
                || k.equals(BenchBusPartitioner.SYMBOLS));
        keys.sort(null);
        StringBuilder b = new StringBuilder();
        for (String k : keys) b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(p.getProperty(k));
        return b.toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private void validate() {
        if (records < 1 || rounds < 1 || warmupRecords < 0 || partitions < 1 || replicationFactor < 1 || batch < 1
                || symbols.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "invalid value for --records/--rounds/--warmup-records/--partitions/--replication-factor/--batch/--symbols");
        }
        if (!toolPartitioner.equals("symbols") && !toolPartitioner.equals("kafka")) {
            throw new ParameterException(spec.commandLine(), "invalid value for --tool-partitioner: '"
                    + toolPartitioner + "' (symbols or kafka)");
        }
        for (String k : producerProperties.keySet()) {
            if (k.equals(ProducerConfig.ACKS_CONFIG) || k.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)
                    || k.equals(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION)) {
                throw new ParameterException(spec.commandLine(), "--producer-property " + k
                        + " is the sink's delivery contract and cannot be changed");
            }
        }
    }
}
