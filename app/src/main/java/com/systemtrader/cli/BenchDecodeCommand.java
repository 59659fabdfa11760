package com.systemtrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.systemtrader.bench.BenchStages;
import com.systemtrader.bench.CaseResult;
import com.systemtrader.bench.DecodeBench;
import com.systemtrader.bench.FrameRecording;
import com.systemtrader.bench.FrameReplay;
import com.systemtrader.bench.RecordedFeed;
import com.systemtrader.bench.RecordingOptions;
import com.systemtrader.bench.ReplayRun;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader bench-decode}: decode (and, with {@code --stage clean}, clean) throughput on one core.
 * Data frames are first recorded from an in-process simulator over real loopback WebSockets
 * ({@link FrameRecording}; or loaded from {@code --recording}), then replayed through the collector's own
 * {@code FeedProtocol.decode} on this thread: per case a warm-up, then {@code --runs} timed runs round-robin over
 * the cases. Reports per case the median messages/s over the runs (with min and max), frames/s, and bytes
 * allocated per message on the decoding thread. The goal (issue 4) is at least 1,000,000 trade messages/s per core.
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Measure decode (+ clean) throughput and allocation per message on one thread, replaying recorded feed frames.")
final class BenchDecodeCommand implements Runnable {
    static final double TARGET_MESSAGES_PER_SECOND = 1_000_000;

    @Spec CommandSpec spec;

    @Option(names = "--cases", split = ",", description = "Cases, comma-separated (default: all: ${DEFAULT-VALUE}).")
    List<String> cases = List.of("polygon-trades", "polygon-quotes", "alpaca-trades-json", "alpaca-trades-msgpack");

    @Option(names = "--stage", description = "What follows the decoder: decode (a sink only) or clean (default: ${DEFAULT-VALUE}).")
    String stage = BenchStages.DECODE;

    @Option(names = "--frames", description = "Data frames recorded per case (default: ${DEFAULT-VALUE}).")
    int frames = 2_000;

    @Option(names = "--recording", description = "Frame recording file: replayed when it exists, else recorded and saved there.")
    Path recording;

    @Option(names = "--fresh", description = "Record anew even when --recording exists (and overwrite it).")
    boolean fresh;

    @Option(names = "--rate", description = "Simulator data messages per second while recording (default: ${DEFAULT-VALUE}).")
    long rate = 100_000;

    @Option(names = "--batch", description = "Simulator's most data messages per frame (default: ${DEFAULT-VALUE}).")
    int batch = 100;

    @Option(names = "--seed", description = "Seed of the synthetic market (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--symbols", split = ",", description = "Tickers (default: ${DEFAULT-VALUE}).")
    List<String> symbols = List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "TSLA", "META", "SPY", "QQQ", "AMD",
            "NFLX", "INTC", "BRK.B", "JPM", "XOM", "UNH", "V", "PG", "KO", "DIS");

    @Option(names = "--warmup-ms", description = "Untimed replay per case before the runs (default: ${DEFAULT-VALUE}).")
    long warmupMs = 3_000;

    @Option(names = "--runs", description = "Timed runs per case (default: ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--run-ms", description = "Length of one timed run (default: ${DEFAULT-VALUE}).")
    long runMs = 1_000;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;

    @Option(names = "--quiet", description = "Print only the summary lines, not every run.")
    boolean quiet;

    /** Where reports go (the command line's writer, so that tests can capture them). */
    private PrintWriter out;

    @Override public void run() {
        out = spec.commandLine().getOut();
        List<RecordedFeed> feeds = validate();
        try {
            Map<RecordedFeed, FrameRecording> recordings = recordings(feeds);
            List<FrameRecording> selected = new ArrayList<>();
            for (RecordedFeed f : feeds) selected.add(recordings.get(f));
            printHeader(selected);
            List<CaseResult> results = DecodeBench.run(selected, stage,
                    new DecodeBench.Settings(warmupMs, runs, runMs), quiet ? null : this::printRun);
            for (CaseResult r : results) out.println(summary(r));
            if (json != null) writeJson(results);
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed: " + Main.oneLine(e), e);
        }
    }

    private Map<RecordedFeed, FrameRecording> recordings(List<RecordedFeed> feeds) throws Exception {
        if (recording != null && !fresh && Files.exists(recording)) {
            Map<RecordedFeed, FrameRecording> loaded = FrameRecording.load(recording);
            for (RecordedFeed f : feeds) {
                if (!loaded.containsKey(f)) {
                    throw new IllegalStateException(recording + " has no frames for " + f.caseName()
                            + " (use --fresh to record again)");
                }
                loaded.put(f, loaded.get(f).first(frames));
            }
            out.println("# recording " + recording + ": " + FrameRecording.description(recording));
            return loaded;
        }
        RecordingOptions options = new RecordingOptions(seed, symbols, rate, batch, frames, 60);
        long t0 = System.nanoTime();
        Map<RecordedFeed, FrameRecording> recorded = FrameRecording.record(feeds, options);
        out.printf("# recorded %s in %.1f s%n", options.describe(), (System.nanoTime() - t0) / 1e9);
        if (recording != null) {
            FrameRecording.save(recording, options.describe(), recorded);
            out.println("# saved to " + recording);
        }
        return recorded;
    }

    private void printHeader(List<FrameRecording> selected) {
        Runtime rt = Runtime.getRuntime();
        out.printf("# bench-decode stage=%s java=%s vm=%s gc=%s heap-max=%dMB cores=%d load1=%.2f "
                        + "allocation-measured=%s warmup=%dms runs=%dx%dms%n", stage, System.getProperty("java.version"),
                System.getProperty("java.vm.name"), gcNames(), rt.maxMemory() >> 20, rt.availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), FrameReplay.allocationMeasured(),
                warmupMs, runs, runMs);
        for (FrameRecording r : selected) {
            out.printf("# case %s: %,d frames, %,d bytes (%,.0f bytes/frame)%n", r.feed().caseName(),
                    r.frames().size(), r.bytes(), (double) r.bytes() / r.frames().size());
        }
    }

    private void printRun(RecordedFeed feed, int i, ReplayRun r) {
        out.printf("run %d %s: %,.0f msgs/s (%,.0f per cpu-s) %,.0f frames/s %.1f bytes/msg gc=%d errors=%d%n",
                i, feed.caseName(), r.messagesPerSecond(), r.messagesPerCpuSecond(), r.framesPerSecond(),
                r.bytesPerMessage(), r.gcCount(), r.errors());
    }

    static String summary(CaseResult r) {
        return String.format("bench-decode: case=%s stage=%s msgs/s median=%,.0f min=%,.0f max=%,.0f "
                        + "msgs/cpu-s median=%,.0f frames/s median=%,.0f bytes/msg median=%.1f min=%.1f max=%.1f msgs/frame=%.1f bytes/frame=%.0f "
                        + "gc=%d/%dms errors=%d other-elements=%d runs=%d target-1M=%s",
                r.feed().caseName(), r.stage(), r.medianMessagesPerSecond(), r.minMessagesPerSecond(),
                r.maxMessagesPerSecond(), r.medianMessagesPerCpuSecond(), r.medianFramesPerSecond(),
                r.medianBytesPerMessage(), r.minBytesPerMessage(),
                r.maxBytesPerMessage(), r.messagesPerFrame(), r.bytesPerFrame(), r.gcCount(), r.gcMillis(), r.errors(),
                r.others(), r.runs().size(), r.medianMessagesPerSecond() >= TARGET_MESSAGES_PER_SECOND ? "met" : "missed");
    }

    private void writeJson(List<CaseResult> results) throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "bench-decode");
        root.put("stage", stage);
        root.put("java", System.getProperty("java.version"));
        root.put("gc", gcNames());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("warmupMs", warmupMs);
        root.put("runMs", runMs);
        root.put("targetMessagesPerSecond", TARGET_MESSAGES_PER_SECOND);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (CaseResult r : results) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("case", r.feed().caseName());
            c.put("frames", r.frames());
            c.put("recordingBytes", r.recordingBytes());
            c.put("messagesPerFrame", r.messagesPerFrame());
            c.put("medianMessagesPerSecond", r.medianMessagesPerSecond());
            c.put("minMessagesPerSecond", r.minMessagesPerSecond());
            c.put("maxMessagesPerSecond", r.maxMessagesPerSecond());
            c.put("medianMessagesPerCpuSecond", finite(r.medianMessagesPerCpuSecond()));
            c.put("medianFramesPerSecond", r.medianFramesPerSecond());
            c.put("medianBytesPerMessage", finite(r.medianBytesPerMessage()));
            c.put("minBytesPerMessage", finite(r.minBytesPerMessage()));
            c.put("maxBytesPerMessage", finite(r.maxBytesPerMessage()));
            c.put("errors", r.errors());
            c.put("otherElements", r.others());
            c.put("gcCount", r.gcCount());
            c.put("gcMillis", r.gcMillis());
            c.put("targetMet", r.medianMessagesPerSecond() >= TARGET_MESSAGES_PER_SECOND);
            List<Map<String, Object>> rs = new ArrayList<>();
            for (ReplayRun run : r.runs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("frames", run.frames());
                m.put("messages", run.messages());
                m.put("nanos", run.nanos());
                m.put("cpuNanos", run.cpuNanos());
                m.put("allocatedBytes", run.allocatedBytes());
                m.put("messagesPerSecond", run.messagesPerSecond());
                m.put("bytesPerMessage", finite(run.bytesPerMessage()));
                m.put("errors", run.errors());
                m.put("gcCount", run.gcCount());
                rs.add(m);
            }
            c.put("runs", rs);
            cs.add(c);
        }
        root.put("cases", cs);
        Path dir = json.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), root);
    }

    private static Double finite(double d) { return Double.isFinite(d) ? d : null; }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) names.add(b.getName());
        return String.join("+", names).replace(' ', '_');
    }

    private List<RecordedFeed> validate() {
        if (frames < 1 || runs < 1 || runMs < 1 || warmupMs < 0 || rate < 1 || rate > 5_000_000 || batch < 1) {
            throw new ParameterException(spec.commandLine(),
                    "invalid value for --frames/--runs/--run-ms/--warmup-ms/--rate/--batch");
        }
        if (!BenchStages.NAMES.contains(stage)) {
            throw new ParameterException(spec.commandLine(), "invalid value for --stage: '" + stage
                    + "' (decode or clean)");
        }
        List<RecordedFeed> feeds = new ArrayList<>();
        for (String c : cases) {
            RecordedFeed f = RecordedFeed.ofCaseName(c.trim());
            if (f == null) {
                throw new ParameterException(spec.commandLine(), "invalid value for --cases: '" + c + "' (one of "
                        + "polygon-trades, polygon-quotes, alpaca-trades-json, alpaca-trades-msgpack)");
            }
            if (!feeds.contains(f)) feeds.add(f);
        }
        return feeds;
    }
}
