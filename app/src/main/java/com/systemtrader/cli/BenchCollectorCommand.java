package com.systemtrader.cli;

import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader bench-collector}: simulator -> real collector (I/O thread, frame ring, decoder, pipeline)
 * -> one counting listener, over loopback. Reports the received rate per second, event-to-listener latency of
 * quotes (HdrHistogram; see {@link BenchCollectorProbe} for what it includes and why quotes), loss, the collector's ring drops, decode errors, reconnects and backpressure pauses, GC and heap.
 *
 * <p>In-process (no {@code --url}) the simulator runs in this JVM and loss is exact: after the measured window
 * the simulator's rate is set to 0, the collector drains, and the simulator's count of data messages written
 * to the connection ({@code SimulatorStats.dataMessages}) is compared with the trades and quotes the listener
 * got. With {@code --url} (a separate {@code simulate} process) the simulator's count is not reachable, and
 * the simulator's per-ticker sequence numbers have deliberate gaps, so loss is reported as n/a: the TCP stream
 * itself is lossless, so with no reconnect, no ring drop and no decode error every sent message was delivered.
 * A slow-consumer kill by the simulator ends a connection without loss in the count, but the market moved on while
 * reconnecting: any reconnect makes a run not loss-free.
 *
 * <p>The heap figures of an in-process run include the simulator (whose REST history keeps the last 50,000
 * trades per symbol); the memory soak therefore runs two processes.
 * Prints one line per second (or per {@code --print-every}), optional {@code heap:} samples and a final line
 * starting with {@code bench-collector:}.
 */
@Command(name = "bench-collector", mixinStandardHelpOptions = true,
        description = "Measure collector throughput, loss, event-to-listener latency and heap against the simulator.")
final class BenchCollectorCommand implements Runnable {
    private static final Map<String, String> SIM_ENV = Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY,
            "APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY,
            "APCA_API_SECRET_KEY", SimulatorConfig.DEFAULT_ALPACA_SECRET);
    /** Credentials come from {@link #SIM_ENV} only (a missing credentials file means environment only). */
    private static final Path NO_FILE = Path.of(System.getProperty("java.io.tmpdir"), "bench-collector-no-credentials.yaml");
    private static final double MB = 1024.0 * 1024.0;

    @Spec CommandSpec spec;
    @Mixin SimulatorOptions options;

    @Option(names = "--provider", description = "polygon or alpaca (default: ${DEFAULT-VALUE}).")
    String provider = "polygon";

    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--warmup", description = "Seconds not measured at the start (default: ${DEFAULT-VALUE}).")
    int warmup = 10;

    @Option(names = "--url", description = "Use an already running simulator at this ws:// base URL (e.g. ws://127.0.0.1:8765) instead of an in-process one; --rate is then only the reported target.")
    URI url;

    @Option(names = "--ring-capacity", description = "Collector frame ring capacity, a power of two (default: the configured default, 65536).")
    int ringCapacity;

    @Option(names = "--print-every", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    int printEvery = 1;

    @Option(names = "--heap-samples-every", description = "Seconds between heap samples, 0 = none (default: ${DEFAULT-VALUE}).")
    int heapEvery;

    @Option(names = "--compression", negatable = true, description = "Offer permessage-deflate (default: the feed's built-in default: off for Polygon and Alpaca).")
    Boolean compression;

    @Option(names = "--wire-format", description = "Alpaca: msgpack or json (default: the built-in default, msgpack).")
    String wireFormat;

    @Option(names = "--drain-timeout", description = "In-process: seconds to wait for the collector to catch up after the window (default: ${DEFAULT-VALUE}).")
    int drainTimeout = 30;

    @Override public void run() {
        validate();
        options.haltsPerHour = 0;
        SimulatorConfig simConfig = options.toConfig(0);
        boolean polygon = provider.equals("polygon");
        ExchangeSimulator sim = url == null ? ExchangeSimulator.start(simConfig) : null;
        BenchCollectorProbe probe = new BenchCollectorProbe();
        try (BenchCollectorHeap heap = new BenchCollectorHeap()) {
            String base = url != null ? trimSlash(url.toString()) : "ws://" + simConfig.host() + ":" + sim.port();
            FeedConfig feed = feedConfig(polygon, base);
            APIKeyManager keys = APIKeyManager.load(NO_FILE, SIM_ENV, Clock.systemUTC());
            BenchCollectorCpu cpu = new BenchCollectorCpu();
            try (WebsocketCollector collector = polygon ? new PolygonWebsocketCollector(feed, keys)
                    : new AlpacaWebsocketCollector(feed, keys)) {
                collector.addListener(probe);
                collector.start();
                if (!collector.awaitState(State.STREAMING, Duration.ofSeconds(15))) {
                    throw new IllegalStateException("collector did not reach STREAMING within 15 s: "
                            + collector.state() + " (" + collector.stateDetail() + ")");
                }
                Thread.sleep(warmup * 1_000L);
                measure(sim, collector, probe, heap, cpu);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed: " + Main.oneLine(e), e);
        } finally {
            if (sim != null) sim.close();
        }
    }

    private void measure(ExchangeSimulator sim, WebsocketCollector collector, BenchCollectorProbe probe,
                         BenchCollectorHeap heap, BenchCollectorCpu cpu) throws InterruptedException {
        double load0 = load();
        long heapStart = heap.lastUsedAfterGc(); // no forced GC here: a full GC shrinks G1's heap for the window
        heap.resetGcCounters();
        long sent0 = sim == null ? -1 : sim.stats().dataMessages.sum();
        long got0 = probe.dataEvents();
        probe.measuring(true);
        cpu.start();
        long t0 = System.nanoTime();
        List<Long> perSecond = new ArrayList<>(duration);
        Histogram total = new Histogram(3_600_000_000_000L, 3);
        Histogram totalRx = new Histogram(3_600_000_000_000L, 3);
        Histogram totalAll = new Histogram(3_600_000_000_000L, 3);
        Histogram interval = null;
        Histogram intervalRx = null;
        Histogram intervalAll = null;
        Histogram window = new Histogram(3_600_000_000_000L, 3);
        long prev = got0;
        long windowStart = got0;
        for (int i = 1; i <= duration; i++) {
            long wake = t0 + i * 1_000_000_000L;
            for (long d; (d = wake - System.nanoTime()) > 0; ) Thread.sleep(d / 1_000_000, (int) (d % 1_000_000));
            long now = probe.dataEvents();
            perSecond.add(now - prev);
            prev = now;
            interval = probe.takeEventLatency(interval);
            intervalRx = probe.takeReceiveLatency(intervalRx);
            intervalAll = probe.takeAllLatency(intervalAll);
            total.add(interval);
            totalRx.add(intervalRx);
            totalAll.add(intervalAll);
            window.add(interval);
            if (i % printEvery == 0 || i == duration) {
                CollectorSnapshot s = collector.stats();
                System.out.printf("second %3d: %,d msgs/s (avg %,d over %d s)  quote latency p99 %.2f ms max %.2f ms  "
                                + "ring depth %,d  pauses %,d  dropped %,d%n", i, perSecond.getLast(),
                        (now - windowStart) / printEvery, printEvery, ms(window.getValueAtPercentile(99)),
                        ms(window.getMaxValue()), s.ringDepth(), s.backpressurePauses(), s.ringDropped());
                window.reset();
                windowStart = now;
            }
            if (heapEvery > 0 && i % heapEvery == 0) {
                BenchCollectorHeap.Sample h = heap.sample(i);
                System.out.printf("heap: t=%ds used=%.1fMB used-after-gc=%s old-after-gc=%s gcs=%d%n", i,
                        h.used() / MB, mb(h.usedAfterGc()), mb(h.oldAfterGc()), h.gcCount());
            }
        }
        probe.measuring(false);
        long got1 = probe.dataEvents();
        long sent1 = sim == null ? -1 : sim.stats().dataMessages.sum();
        long gcCount = heap.gcCountSinceReset();
        long gcMillis = heap.gcMillisSinceReset();
        long heapEnd = heap.lastUsedAfterGc();
        String cpuLine = cpu.report(got1 - got0, sim != null);
        interval = probe.takeEventLatency(interval);
        intervalRx = probe.takeReceiveLatency(intervalRx);
        intervalAll = probe.takeAllLatency(intervalAll);
        total.add(interval);
        totalRx.add(intervalRx);
        totalAll.add(intervalAll);

        long sent = -1;
        long received = probe.dataEvents();
        if (sim != null) {
            sim.rate(0);
            received = drain(sim, probe);
            sent = sim.stats().dataMessages.sum();
        }
        long liveEnd = heap.usedAfterFullGc();
        double load1 = load();
        CollectorSnapshot s = collector.stats();
        long reconnects = s.reconnectsByCause().values().stream().mapToLong(Long::longValue).sum();
        if (heapEvery > 0) printTrend(heap);
        System.out.printf("detail: frames=%,d bytes=%,d events-other=%,d filtered-unsubscribed=%,d unknown-types=%,d "
                        + "listener-errors=%,d outages=%d sequence-gaps=%,d collector-latency-p50=%.2fms p99=%.2fms "
                        + "negative-latencies=%d rx-to-listener p50=%.3fms p99=%.3fms max=%.2fms "
                        + "all-trades-and-quotes-latency p50=%.2fms p99=%.2fms max=%.2fms%n", s.frames(),
                s.bytes(), probe.otherEvents(), s.filteredUnsubscribed(), s.unknownTypes(), s.listenerErrors(),
                s.outages(), s.sequenceGaps(), s.latencyP50Ms(), s.latencyP99Ms(), probe.negativeLatencies(),
                ms(totalRx.getValueAtPercentile(50)), ms(totalRx.getValueAtPercentile(99)), ms(totalRx.getMaxValue()),
                ms(totalAll.getValueAtPercentile(50)), ms(totalAll.getValueAtPercentile(99)), ms(totalAll.getMaxValue()));

        System.out.println(cpuLine);
        List<Long> sorted = new ArrayList<>(perSecond);
        Collections.sort(sorted);
        String loss;
        if (sim == null) {
            loss = "sent=n/a lost=n/a";
        } else {
            loss = String.format("sent=%,d received=%,d lost=%,d sim-sent-rate=%,d slow-consumer-kills=%d sim-skipped=%,d",
                    sent, received, sent - received, (sent1 - sent0) / duration,
                    sim.stats().slowConsumerKills.sum(), sim.skippedMessages());
        }
        boolean clean = s.ringDropped() == 0 && reconnects == 0 && s.decodeErrors() == 0
                && (sim == null || (sent == received && sim.stats().slowConsumerKills.sum() == 0));
        System.out.printf("bench-collector: provider=%s mode=%s target=%,d median=%,d min=%,d max=%,d mean=%,d %s "
                        + "loss-free=%s ring-dropped=%,d decode-errors=%,d reconnects=%d backpressure-pauses=%,d "
                        + "quote-latency p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms gc=%d/%dms heap-after-gc=%s->%s live-after-full-gc=%.1fMB "
                        + "load1=%.2f->%.2f compression=%s%s (%d s measured, %d s warm-up, batch %d, %d symbols)%n",
                provider, sim == null ? "two-process" : "in-process", options.rate, sorted.get(sorted.size() / 2),
                sorted.getFirst(), sorted.getLast(), (got1 - got0) / duration, loss, clean ? "yes" : "NO",
                s.ringDropped(), s.decodeErrors(), reconnects, s.backpressurePauses(),
                ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(99)),
                ms(total.getValueAtPercentile(99.9)), ms(total.getMaxValue()), gcCount, gcMillis, mb(heapStart),
                mb(heapEnd), liveEnd / MB, load0, load1,
                feedCompression(provider.equals("polygon")) ? "offered" : "off",
                provider.equals("polygon") ? "" : " wire-format=" + feedConfig(false, "ws://x").wireFormat(), duration, warmup, options.batch, options.symbols.size());
    }

    /** Waits until the listener has everything the (now silent) simulator sent, or nothing moves for 5 s. */
    private long drain(ExchangeSimulator sim, BenchCollectorProbe probe) throws InterruptedException {
        Thread.sleep(50); // the market thread's current tick finishes
        long deadline = System.nanoTime() + drainTimeout * 1_000_000_000L;
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long got = probe.dataEvents();
            if (got == sim.stats().dataMessages.sum()) return got;
            if (got != last) {
                last = got;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 5_000_000_000L) {
                break;
            }
            Thread.sleep(20);
        }
        return probe.dataEvents();
    }

    private void printTrend(BenchCollectorHeap heap) {
        double from = duration >= 120 ? 60 : 0;
        List<BenchCollectorHeap.Sample> s = heap.samplesFrom(from);
        if (s.isEmpty()) {
            System.out.println("heap-trend: no samples with a GC yet");
            return;
        }
        long min = s.stream().mapToLong(BenchCollectorHeap.Sample::usedAfterGc).min().orElse(0);
        long max = s.stream().mapToLong(BenchCollectorHeap.Sample::usedAfterGc).max().orElse(0);
        System.out.printf("heap-trend: slope=%+.1f KB/min over %d samples from t>=%.0fs; used-after-gc first=%.1fMB "
                        + "last=%.1fMB min=%.1fMB max=%.1fMB%n", heap.slopeBytesPerMinute(from) / 1024.0, s.size(), from,
                s.getFirst().usedAfterGc() / MB, s.getLast().usedAfterGc() / MB, min / MB, max / MB);
    }

    private FeedConfig feedConfig(boolean polygon, String base) {
        FeedConfig d = polygon ? FeedConfig.polygonDefaults() : FeedConfig.alpacaDefaults();
        return new FeedConfig(true, URI.create(base + (polygon ? "/stocks" : "/v2")), polygon ? null : "sip",
                polygon ? List.of("T", "Q") : List.of("trades", "quotes"), List.of("*"), d.reconnectInterval(),
                d.maxReconnectInterval(), d.connectionLimitBackoff(), d.heartbeatInterval(), d.pongTimeout(),
                d.staleData(), d.staleOnlyInMarketHours(), d.healthyAfter(),
                ringCapacity > 0 ? ringCapacity : d.ringCapacity(), d.maxFrameBytes(), feedCompression(polygon),
                polygon || wireFormat == null ? d.wireFormat() : wireFormat);
    }

    private boolean feedCompression(boolean polygon) {
        FeedConfig d = polygon ? FeedConfig.polygonDefaults() : FeedConfig.alpacaDefaults();
        return compression != null ? compression : d.compression();
    }

    private void validate() {
        if (duration < 1 || warmup < 0 || printEvery < 1 || heapEvery < 0 || drainTimeout < 1) {
            throw new ParameterException(spec.commandLine(),
                    "invalid value for --duration/--warmup/--print-every/--heap-samples-every/--drain-timeout");
        }
        if (!provider.equals("polygon") && !provider.equals("alpaca")) {
            throw new ParameterException(spec.commandLine(), "invalid value for --provider: '" + provider + "' (polygon or alpaca)");
        }
        if (wireFormat != null && !FeedConfig.WIRE_FORMATS.contains(wireFormat)) {
            throw new ParameterException(spec.commandLine(), "invalid value for --wire-format: '" + wireFormat
                    + "' (msgpack or json)");
        }
        if (wireFormat != null && provider.equals("polygon")) {
            throw new ParameterException(spec.commandLine(), "--wire-format applies to alpaca only (Polygon is JSON)");
        }
        if (ringCapacity != 0 && (Integer.bitCount(ringCapacity) != 1 || ringCapacity < 16)) {
            throw new ParameterException(spec.commandLine(), "invalid value for --ring-capacity: a power of two >= 16");
        }
        if (url != null && !"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
            throw new ParameterException(spec.commandLine(), "invalid value for --url: must be ws:// or wss://");
        }
        if (options.rate == 1_000) options.rate = 300_000;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1fMB", bytes / MB);
    }

    private static double ms(long ns) { return ns / 1e6; }

    private static double load() { return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(); }
}
