package com.systemtrader.cli;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.alpaca.AlpacaDecoder;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.tools.SimpleWsClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code system-trader demo}: starts the simulator in-process and streams both providers' feeds to a console
 * client that decodes them with the real codecs, printing rates per message type and the latest trade prices.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the simulator and stream Polygon and Alpaca feeds to a live console view.")
final class DemoCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin SimulatorOptions options;

    @Option(names = "--duration", description = "Seconds to run, 0 = until interrupted (default: ${DEFAULT-VALUE}).")
    long durationSeconds = 20;

    @Override public void run() {
        if (durationSeconds < 0) throw new ParameterException(spec.commandLine(), "invalid value for --duration: must not be negative");
        if (options.barIntervalMs == 60_000) options.barIntervalMs = 5_000;
        SimulatorConfig config = options.toConfig(0);
        View polygon = new View("polygon");
        View alpaca = new View("alpaca");
        try (ExchangeSimulator sim = ExchangeSimulator.start(config)) {
            PolygonDecoder pd = new PolygonDecoder(new SymbolTable());
            AlpacaDecoder ad = new AlpacaDecoder(new SymbolTable());
            String symbols = String.join(",", config.market().symbols());
            try (SimpleWsClient p = SimpleWsClient.connect(sim.uri("/stocks"), (b, bin) -> polygon.frame(b, pd::decode));
                 SimpleWsClient a = SimpleWsClient.connect(sim.uri(config.alpacaSipEntitled() ? "/v2/sip" : "/v2/iex"), (b, bin) -> alpaca.frame(b, ad::decode))) {
                p.sendText("{\"action\":\"auth\",\"params\":\"" + config.polygonKeys().iterator().next() + "\"}");
                StringBuilder topics = new StringBuilder();
                for (String s : config.market().symbols()) {
                    topics.append(topics.isEmpty() ? "" : ",").append("T.").append(s).append(",Q.").append(s)
                            .append(",A.").append(s).append(",AM.").append(s);
                }
                p.sendText("{\"action\":\"subscribe\",\"params\":\"" + topics + "\"}");
                var alpacaKey = config.alpacaKeys().entrySet().iterator().next();
                a.sendText("{\"action\":\"auth\",\"key\":\"" + alpacaKey.getKey() + "\",\"secret\":\""
                        + alpacaKey.getValue() + "\"}");
                String list = "[\"" + symbols.replace(",", "\",\"") + "\"]";
                a.sendText("{\"action\":\"subscribe\",\"trades\":" + list + ",\"quotes\":" + list + ",\"bars\":"
                        + list + ",\"dailyBars\":" + list + ",\"statuses\":[\"*\"],\"lulds\":" + list + "}");
                System.out.printf("demo: simulator on port %d streaming %d msg/s for %s; Ctrl-C stops%n",
                        sim.port(), config.ratePerSecond(), symbols);
                long end = durationSeconds == 0 ? Long.MAX_VALUE : System.nanoTime() + durationSeconds * 1_000_000_000L;
                while (System.nanoTime() < end) {
                    Thread.sleep(1_000);
                    System.out.println(polygon.line());
                    System.out.println(alpaca.line());
                }
                System.out.println("demo: done. simulator " + sim.stats());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("demo failed: " + Main.oneLine(e), e);
        }
    }

    @FunctionalInterface
    private interface Decode {
        int decode(byte[] b, int off, int len, long now, FrameHandler h) throws MalformedFrameException;
    }

    /** Counts what one feed delivered; updated on that client's I/O thread, printed by the main thread. */
    private static final class View implements FrameHandler {
        private final String name;
        private final Map<RecordType, LongAdder> counts = new EnumMap<>(RecordType.class);
        private final Map<String, Double> lastPrice = new ConcurrentHashMap<>();
        private final LongAdder controls = new LongAdder();
        private final LongAdder malformed = new LongAdder();
        private final LongAdder unknown = new LongAdder();
        private final Map<RecordType, Long> previous = new EnumMap<>(RecordType.class);

        View(String name) {
            this.name = name;
            for (RecordType t : RecordType.values()) counts.put(t, new LongAdder());
        }

        void frame(ByteBuf b, Decode d) {
            byte[] bytes = ByteBufUtil.getBytes(b);
            try {
                d.decode(bytes, 0, bytes.length, System.currentTimeMillis() * 1_000_000L, this);
            } catch (MalformedFrameException e) {
                malformed.increment();
            }
        }

        @Override public void onEvent(MarketEvent e) {
            counts.get(e.type()).increment();
            if (e instanceof Trade t) lastPrice.put(t.symbol(), t.price());
        }

        @Override public void onControl(ControlMessage m) { controls.increment(); }

        @Override public void onUnknown(String type) { unknown.increment(); }

        String line() {
            StringBuilder sb = new StringBuilder(String.format("%-8s", name));
            for (RecordType t : new RecordType[] {RecordType.TRADE, RecordType.QUOTE, RecordType.BAR}) {
                long now = counts.get(t).sum();
                long before = previous.getOrDefault(t, 0L);
                previous.put(t, now);
                sb.append(String.format(" %s %5d/s (%7d)", t.name().toLowerCase(), now - before, now));
            }
            sb.append(String.format(" other %d control %d malformed %d |", counts.get(RecordType.LULD).sum()
                    + counts.get(RecordType.TRADING_STATUS).sum(), controls.sum(), malformed.sum()));
            new TreeMap<>(lastPrice).entrySet().stream().limit(4)
                    .forEach(en -> sb.append(String.format(" %s %.2f", en.getKey(), en.getValue())));
            return sb.toString();
        }
    }
}
