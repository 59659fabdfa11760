package com.systemtrader.cli;

import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.tools.SimpleWsClient;
import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader bench-simulator}: how many data messages per second the simulator delivers to one local
 * client. The client counts elements by counting '{' in the frame bytes (no JSON parse), so the
 * figure measures the simulator, not a decoder. Prints one line per second and a median.
 */
@Command(name = "bench-simulator", mixinStandardHelpOptions = true,
        description = "Measure simulator throughput to one local WebSocket client.")
final class BenchSimulatorCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin SimulatorOptions options;

    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration = 20;

    @Option(names = "--warmup", description = "Seconds not counted at the start (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--provider", description = "polygon or alpaca (default: ${DEFAULT-VALUE}).")
    String provider = "polygon";

    @Option(names = "--url", description = "Benchmark an already running simulator at this ws:// base URL instead of an in-process one.")
    URI url;

    @Override public void run() {
        if (duration < 1 || warmup < 0) throw new ParameterException(spec.commandLine(), "invalid value for --duration/--warmup");
        if (!provider.equals("polygon") && !provider.equals("alpaca")) {
            throw new ParameterException(spec.commandLine(), "invalid value for --provider: '" + provider + "' (polygon or alpaca)");
        }
        if (options.rate == 1_000) options.rate = 600_000;
        options.haltsPerHour = 0;
        SimulatorConfig config = options.toConfig(0);
        ExchangeSimulator sim = url == null ? ExchangeSimulator.start(config) : null;
        try {
            String base = url != null ? url.toString() : "ws://" + config.host() + ":" + sim.port();
            boolean polygon = provider.equals("polygon");
            AtomicLong received = new AtomicLong();
            URI uri = URI.create(base + (polygon ? "/stocks" : "/v2/sip"));
            try (SimpleWsClient c = SimpleWsClient.connect(uri, (b, bin) -> received.addAndGet(count(b)))) {
                if (polygon) {
                    c.sendText("{\"action\":\"auth\",\"params\":\"" + config.polygonKeys().iterator().next() + "\"}");
                    c.sendText("{\"action\":\"subscribe\",\"params\":\"T.*,Q.*\"}");
                } else {
                    var key = config.alpacaKeys().entrySet().iterator().next();
                    c.sendText("{\"action\":\"auth\",\"key\":\"" + key.getKey() + "\",\"secret\":\""
                            + key.getValue() + "\"}");
                    c.sendText("{\"action\":\"subscribe\",\"trades\":[\"*\"],\"quotes\":[\"*\"]}");
                }
                Thread.sleep(warmup * 1_000L);
                List<Long> perSecond = new ArrayList<>();
                long prev = received.get();
                for (int i = 0; i < duration; i++) {
                    Thread.sleep(1_000);
                    long now = received.get();
                    perSecond.add(now - prev);
                    prev = now;
                    System.out.printf("second %2d: %,d msgs/s%n", i + 1, perSecond.getLast());
                }
                List<Long> sorted = new ArrayList<>(perSecond);
                Collections.sort(sorted);
                System.out.printf("bench-simulator: provider=%s target=%,d msgs/s median=%,d min=%,d max=%,d "
                                + "skipped-by-market=%s (%d s measured, batch %d)%n", provider, options.rate,
                        sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast(),
                        sim == null ? "n/a" : String.format("%,d", sim.skippedMessages()), duration, options.batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed: " + Main.oneLine(e), e);
        } finally {
            if (sim != null) sim.close();
        }
    }

    /** Data elements in a frame: trade and quote objects have no nested objects, so one '{' is one element. */
    private static long count(ByteBuf b) {
        long[] n = {0};
        b.forEachByte(v -> {
            if (v == '{') n[0]++;
            return true;
        });
        return n[0];
    }
}
