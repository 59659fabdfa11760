package com.systemtrader.bench;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.collector.ControlOutcome;
import com.systemtrader.collector.FeedProtocol;
import com.systemtrader.collector.OutboundMessage;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.tools.SimpleWsClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records the data frames of one feed from the exchange simulator over a real loopback WebSocket
 * ({@link SimpleWsClient}): greeting, auth and subscribe go through the collector's own {@link FeedProtocol}
 * (its messages, its decoder, its reading of the control replies). On the client's I/O thread every frame is
 * decoded once to tell data from control; frames with a control message are not kept. Recording stops at the
 * wanted number of data frames.
 */
final class FeedRecorder implements AutoCloseable {
    private final RecordedFeed feed;
    private final FeedProtocol protocol;
    private final int wanted;
    private final List<RecordedFrame> frames = new ArrayList<>();
    private final LinkedBlockingQueue<ControlOutcome> outcomes = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final FrameProbe probe = new FrameProbe();
    private SimpleWsClient client;

    private FeedRecorder(RecordedFeed feed, String keyId, String secret, int wanted) {
        this.feed = feed;
        this.protocol = feed.newProtocol(keyId, secret);
        this.wanted = wanted;
    }

    static Map<RecordedFeed, FrameRecording> record(List<RecordedFeed> feeds, RecordingOptions options)
            throws IOException, InterruptedException {
        // one key per connection: the simulator, like Alpaca and Polygon, limits sessions per key
        Set<String> polygonKeys = new LinkedHashSet<>();
        Map<String, String> alpacaKeys = new LinkedHashMap<>();
        for (RecordedFeed f : feeds) {
            if (f.polygon()) polygonKeys.add(key(f));
            else alpacaKeys.put(key(f), key(f) + "-secret");
        }
        if (alpacaKeys.isEmpty()) alpacaKeys.put("unused", "unused-secret");
        if (polygonKeys.isEmpty()) polygonKeys.add("unused");
        MarketConfig market = new MarketConfig(options.seed(), options.symbols(), 60_000, 0, 1_000, 0, false);
        SimulatorConfig config = SimulatorConfig.builder(market).rate(options.rate())
                .maxEventsPerFrame(options.batch()).polygonKeys(polygonKeys).alpacaKeys(alpacaKeys)
                .alpacaIexSymbolLimit(0).alpacaRestPerMinute(0).slowConsumerBytes(1L << 30).build();
        List<FeedRecorder> recorders = new ArrayList<>();
        try (ExchangeSimulator sim = ExchangeSimulator.start(config)) {
            for (RecordedFeed f : feeds) {
                FeedRecorder r = new FeedRecorder(f, key(f), key(f) + "-secret", options.frames());
                recorders.add(r);
                r.connect(sim);
            }
            for (FeedRecorder r : recorders) r.handshake(options.timeoutSeconds());
            Map<RecordedFeed, FrameRecording> out = new EnumMap<>(RecordedFeed.class);
            for (FeedRecorder r : recorders) out.put(r.feed, r.await(options.timeoutSeconds()));
            return out;
        } finally {
            for (FeedRecorder r : recorders) r.close();
        }
    }

    private static String key(RecordedFeed f) {
        return "bench-" + f.caseName();
    }

    private void connect(ExchangeSimulator sim) throws IOException {
        try {
            client = SimpleWsClient.connect(sim.uri(feed.path()), feed.upgradeHeaders(), this::onFrame);
        } catch (Exception e) {
            throw new IOException(feed.caseName() + ": cannot connect to the simulator: " + e.getMessage(), e);
        }
    }

    /** Greeting, auth, subscribe; data then arrives on the I/O thread. */
    private void handshake(int timeoutSeconds) throws IOException, InterruptedException {
        expect(ControlOutcome.Greeting.class, timeoutSeconds);
        send(protocol.authMessage());
        expect(ControlOutcome.Authenticated.class, timeoutSeconds);
        for (OutboundMessage m : protocol.subscribeMessages(feed.subscription())) send(m);
    }

    private void send(OutboundMessage m) {
        if (m.binary()) client.sendBinary(m.payload());
        else client.sendText(m.text());
    }

    private void expect(Class<? extends ControlOutcome> type, int timeoutSeconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            ControlOutcome o = outcomes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (o == null) throw new IOException(feed.caseName() + ": no " + type.getSimpleName() + " within "
                    + timeoutSeconds + " s");
            if (type.isInstance(o)) return;
            if (!(o instanceof ControlOutcome.Greeting)) {
                throw new IOException(feed.caseName() + ": expected " + type.getSimpleName() + ", got " + o);
            }
        }
    }

    private FrameRecording await(int timeoutSeconds) throws IOException, InterruptedException {
        try {
            done.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(feed.caseName() + ": only " + size() + " of " + wanted + " data frames within "
                    + timeoutSeconds + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(feed.caseName() + ": " + e.getCause().getMessage(), e.getCause());
        }
        synchronized (this) {
            return new FrameRecording(feed, frames);
        }
    }

    private synchronized int size() { return frames.size(); }

    // ---- client I/O thread ----

    private void onFrame(ByteBuf content, boolean binary) {
        if (done.isDone()) return;
        long rx = Timestamps.nowNs();
        byte[] bytes = ByteBufUtil.getBytes(content);
        probe.reset();
        try {
            protocol.decode(bytes, 0, bytes.length, binary, rx, probe);
        } catch (MalformedFrameException e) {
            done.completeExceptionally(new IOException("the simulator sent a frame the decoder rejects: "
                    + e.getMessage()));
            return;
        }
        if (!probe.controls.isEmpty()) {
            for (ControlMessage m : probe.controls) outcomes.add(protocol.interpret(m));
            return;
        }
        if (probe.events == 0) return;
        synchronized (this) {
            frames.add(new RecordedFrame(bytes, binary, rx));
            if (frames.size() == wanted) done.complete(null);
        }
    }

    @Override public void close() {
        if (client != null) {
            client.autoRead(false);
            client.close();
        }
    }

    /** Tells data frames from control frames. */
    private static final class FrameProbe implements FrameHandler {
        final List<ControlMessage> controls = new ArrayList<>();
        int events;

        void reset() {
            controls.clear();
            events = 0;
        }

        @Override public void onEvent(MarketEvent event) { events++; }

        @Override public void onControl(ControlMessage message) { controls.add(message); }

        @Override public void onUnknown(String type) { }
    }
}
