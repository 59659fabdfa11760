package com.systemtrader.simulator;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client WebSocket connection of the simulator. Client messages arrive on the channel's event loop
 * ({@link #onClientMessage}); market data is encoded on the market thread ({@link #deliver}) and handed to the
 * event loop as finished frames. Subclasses speak one provider's protocol.
 */
abstract class SimSession {
    /** How long a closing connection may take to drain its queue before it is closed regardless. */
    static final long CLOSE_BACKSTOP_MS = 1_000;
    final long id;
    final Channel channel;
    final Feed feed;
    final SimulatorContext ctx;
    /** Set on the event loop once credentials were accepted; read by the market thread. */
    volatile boolean authenticated;
    volatile boolean closing;
    /**
     * The client sent a close frame (set on the event loop before the close is echoed): frames still queued are
     * dropped unwritten, so none follows the echo and the truth file lists only frames the client could read.
     */
    boolean clientClosed;
    String apiKey;
    private ScheduledFuture<?> authTimer;

    // market-thread state
    private long dataSent;
    private long dataSeen;
    private long framesSent;
    private final boolean dropRule;
    private final long dropAfter;
    private final List<MarketEvent> selected = new ArrayList<>();
    /** Parallel to {@link #selected}: each element's anomaly, null for a market event sent as it is. */
    private final List<Anomaly> tags = new ArrayList<>();
    private final AnomalyInjector injector;
    private final AnomalyInjector.Sink sink = this::add;
    /**
     * Held by the market thread from choosing a tick's elements to queuing their frames, and by the event loop while
     * it changes the subscription ({@link #changeSubscription}).
     */
    private final Object subscriptionLock = new Object();
    /** Frames chosen by the market thread, not yet written; drained in order on the event loop. */
    private final ConcurrentLinkedQueue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
    /** Bytes of frames handed to the event loop but not yet in Netty's outbound buffer. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final JsonOut truth = new JsonOut(1 << 16);
    private final long dropRequestsSeen;
    private final long slowRequestsSeen;
    private final long forceRequestsSeen;

    SimSession(long id, Channel channel, Feed feed, SimulatorContext ctx) {
        this.id = id;
        this.channel = channel;
        this.feed = feed;
        this.ctx = ctx;
        this.dropRule = ctx.faults.claimDropRule();
        this.dropAfter = ctx.faults.dropAfterMessages.get();
        this.dropRequestsSeen = ctx.faults.dropAllRequests.get();
        this.slowRequestsSeen = ctx.faults.slowConsumerRequests.get();
        this.forceRequestsSeen = ctx.faults.forceDisconnectRequests.get();
        this.injector = new AnomalyInjector(id);
    }

    // ---- event loop side ----

    /** Called once on the event loop after the handshake. */
    abstract void start();

    /** Sends the greeting and starts the auth timer. */
    void open(boolean preAuthenticated) {
        sendGreeting();
        if (preAuthenticated) return;
        authTimer = channel.eventLoop().schedule(() -> {
            if (!authenticated && channel.isActive()) {
                ctx.stats.authTimeouts.increment();
                sendAuthTimeout();
                closeAfterFlush();
            }
        }, ctx.config.authTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    void cancelAuthTimer() {
        if (authTimer != null) authTimer.cancel(false);
    }

    abstract void sendGreeting();

    abstract void sendAuthTimeout();

    /** A complete client message (text or binary), on the event loop. */
    abstract void onClientMessage(ByteBuf content, boolean binary);

    /** The connection closed (either side). */
    void onClosed() {
        closing = true;
        cancelAuthTimer();
        ctx.sessions.remove(this);
    }

    /** Sends a text frame now (event loop or any thread). */
    void sendText(String json) {
        channel.writeAndFlush(new TextWebSocketFrame(json));
    }

    void sendText(JsonOut json) {
        ByteBuf b = channel.alloc().buffer(json.length());
        b.writeBytes(json.array(), 0, json.length());
        channel.writeAndFlush(new TextWebSocketFrame(b));
    }

    /**
     * Closes with a WebSocket close frame after everything queued was written; a client that stopped reading
     * (so the queue never drains) is closed anyway after {@link #CLOSE_BACKSTOP_MS}.
     */
    void closeWithStatus(int code, String reason) {
        closing = true;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> channel.close());
        closeBackstop();
    }

    /** Closes the TCP connection (no close frame) after everything queued was written: an abnormal close. */
    void closeAfterFlush() {
        closing = true;
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> channel.close());
        closeBackstop();
    }

    private void closeBackstop() {
        channel.eventLoop().schedule(() -> {
            if (channel.isOpen()) channel.close();
        }, CLOSE_BACKSTOP_MS, TimeUnit.MILLISECONDS);
    }

    // ---- market thread side ----

    /** Whether this session is subscribed to the event. */
    abstract boolean wants(MarketEvent e);

    /** Encodes {@code events[from, to)} as one data frame. */
    abstract WebSocketFrame encodeFrame(List<MarketEvent> events, int from, int to);

    /** Writes one element's provider JSON (for the truth file). */
    abstract void writeTruthElement(MarketEvent e, JsonOut out);

    abstract void sendSlowConsumer();

    abstract void sendForceDisconnect();

    /** A malformed frame for fault injection: {@code truncated} cuts a real data frame short. */
    abstract WebSocketFrame malformedFrame(boolean truncated, List<MarketEvent> sample);

    String provider() { return feed.provider(); }

    /** The symbol of {@code e} as this session sends it. */
    String wireSymbol(MarketEvent e) { return e.symbol(); }

    /** Whether the session subscribed to every symbol's trades (so that test symbols may be sent to it). */
    abstract boolean tradesWildcard();

    /**
     * For an event the session does not want: whether to send it anyway, as data lingering after an unsubscribe
     * ({@link Faults#lingerAfterUnsubscribe}); consumes one message of the allowance. Under the subscription lock.
     */
    boolean lingers(MarketEvent e) { return false; }

    /** Called by the market thread for every tick's events. */
    void deliver(List<MarketEvent> batch, long nowNs) {
        if (closing || !channel.isActive() || channel.eventLoop().isShuttingDown()) return;
        Faults f = ctx.faults;
        if (f.dropAllRequests.get() != dropRequestsSeen) {
            ctx.stats.faultDrops.increment();
            closeAfterFlush();
            return;
        }
        if (f.slowConsumerRequests.get() != slowRequestsSeen) {
            ctx.stats.slowConsumerKills.increment();
            sendSlowConsumer();
            return;
        }
        if (f.forceDisconnectRequests.get() != forceRequestsSeen) {
            sendForceDisconnect();
            return;
        }
        if (!authenticated || f.stalled(nowNs)) return;
        long pending = pendingBytes() + queuedBytes.get();
        if (pending > ctx.config.slowConsumerBytes()) {
            ctx.stats.slowConsumerKills.increment();
            sendSlowConsumer();
            return;
        }
        boolean dropAfterThis = false;
        synchronized (subscriptionLock) {
            select(batch, f);
            List<Outgoing> out = new ArrayList<>();
            if (f.takeMalformed()) out.add(malformed(selected));
            int limit = selected.size();
            if (dropRule && limit > 0 && dataSent + limit >= dropAfter) {
                limit = (int) Math.max(0, dropAfter - dataSent);
                dropAfterThis = true;
            }
            int max = ctx.config.maxEventsPerFrame();
            for (int from = 0; from < limit; from += max) {
                int to = Math.min(limit, from + max);
                WebSocketFrame frame = encodeFrame(selected, from, to);
                long firstN = dataSent + 1;
                dataSent += to - from;
                byte[] truthLines = ctx.truth == null ? null : truthLines(from, to, firstN);
                ctx.stats.dataMessages.add(to - from);
                ctx.stats.frames.increment();
                framesSent++;
                out.add(tallied(frame, truthLines, from, to));
                if (f.malformedEvery > 0 && framesSent % f.malformedEvery == 0) out.add(malformed(selected));
            }
            enqueue(out);
        }
        if (dropAfterThis) {
            ctx.stats.faultDrops.increment();
            closeAfterFlush();
        }
    }

    /**
     * Chooses this tick's elements for the session: the market events it subscribed to, plus the faults on the
     * wire (lingering unsubscribed data, swaps, duplicates, injected trades and quotes), each tagged.
     */
    private void select(List<MarketEvent> batch, Faults f) {
        selected.clear();
        tags.clear();
        boolean allTrades = f.testSymbolEvery > 0 && tradesWildcard();
        for (MarketEvent e : batch) {
            if (!wants(e)) {
                if (lingers(e)) add(e, Anomaly.LINGER_UNSUBSCRIBED);
                continue;
            }
            dataSeen++;
            add(e, null);
            int n = selected.size();
            if (f.reorderEvery > 0 && dataSeen % f.reorderEvery == 0 && n >= 2 && tags.get(n - 2) == null) {
                selected.set(n - 1, selected.get(n - 2));
                selected.set(n - 2, e);
                tags.set(n - 2, Anomaly.REORDERED);
            }
            if (f.duplicateEvery > 0 && dataSeen % f.duplicateEvery == 0) add(e, duplicateKind(e));
            switch (e) {
                case Trade t -> injector.afterTrade(t, f, allTrades, sink);
                case Quote q -> injector.afterQuote(q, f, sink);
                default -> { }
            }
        }
    }

    private void add(MarketEvent e, Anomaly tag) {
        selected.add(e);
        tags.add(tag);
    }

    private static Anomaly duplicateKind(MarketEvent e) {
        return switch (e) {
            case Trade t -> Anomaly.DUPLICATE_TRADE;
            case Quote q -> Anomaly.DUPLICATE_QUOTE;
            default -> Anomaly.DUPLICATE_OTHER;
        };
    }

    /** A data frame with the anomalies among {@code selected[from, to)}, counted once the frame is written. */
    private Outgoing tallied(WebSocketFrame frame, byte[] truthLines, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) if (tags.get(i) != null) count++;
        if (count == 0) return new Outgoing(frame, truthLines, null, null);
        Anomaly[] kinds = new Anomaly[count];
        String[] symbols = new String[count];
        for (int i = from, k = 0; i < to; i++) {
            if (tags.get(i) == null) continue;
            kinds[k] = tags.get(i);
            symbols[k++] = wireSymbol(selected.get(i));
        }
        return new Outgoing(frame, truthLines, kinds, symbols);
    }

    /**
     * Queues frames for the event loop, in order. One drain task per tick writes every queued frame and flushes
     * once (one wakeup, one syscall batch).
     */
    private void enqueue(List<Outgoing> frames) {
        if (frames.isEmpty()) return;
        for (Outgoing o : frames) {
            queuedBytes.addAndGet(o.bytes());
            outbound.add(o);
        }
        channel.eventLoop().execute(this::drainOutbound);
    }

    /** Writes every queued frame (event loop only). */
    private void drainOutbound() {
        boolean wrote = false;
        for (Outgoing o; (o = outbound.poll()) != null; wrote = true) {
            queuedBytes.addAndGet(-o.bytes());
            if (clientClosed) {
                o.frame().release();
                continue;
            }
            if (o.truthLines() == null && o.kinds() == null) {
                channel.write(o.frame(), channel.voidPromise());
            } else {
                Outgoing written = o;
                channel.write(o.frame()).addListener(w -> {
                    if (w.isSuccess()) committed(written);
                });
            }
        }
        if (wrote) channel.flush();
    }

    /** A frame reached the socket: its anomalies and then its truth lines now count. */
    private void committed(Outgoing o) {
        if (o.kinds() != null) {
            for (int i = 0; i < o.kinds().length; i++) ctx.faults.anomalies().record(o.kinds()[i], o.symbols()[i]);
        }
        if (o.truthLines() != null) ctx.truth.write(o.truthLines());
    }

    /**
     * Changes the subscription on the event loop, atomically with respect to the market thread: frames chosen under
     * the old subscription are written first, so that everything written after the change's acknowledgement
     * (which {@code change} sends) follows the new subscription, except lingering data injected on purpose.
     */
    void changeSubscription(Runnable change) {
        synchronized (subscriptionLock) {
            drainOutbound();
            change.run();
        }
    }

    /** The next malformed frame: invalid JSON and a truncated data frame, alternately. */
    private Outgoing malformed(List<MarketEvent> sample) {
        ctx.stats.malformedSent.increment();
        boolean truncated = ctx.stats.malformedSent.sum() % 2 == 0 && !sample.isEmpty();
        WebSocketFrame frame = malformedFrame(truncated, sample);
        byte[] line = null;
        if (ctx.truth != null) {
            truth.reset().raw('{').field("conn", id).field("provider", provider()).field("feed", feed.path())
                    .field("after", dataSent).field("anomaly", Anomaly.MALFORMED_FRAME.label()).raw('}').raw('\n');
            line = truth.toByteArray();
        }
        return new Outgoing(frame, line, new Anomaly[] {Anomaly.MALFORMED_FRAME},
                new String[] {InjectedAnomalies.NO_SYMBOL});
    }

    private byte[] truthLines(int from, int to, long firstN) {
        truth.reset();
        for (int i = from; i < to; i++) {
            truth.raw('{').field("conn", id).field("provider", provider()).field("feed", feed.path())
                    .field("n", firstN + i - from);
            Anomaly tag = tags.get(i);
            if (tag == Anomaly.REORDERED) truth.field("reordered", true);
            else if (tag != null) truth.field("anomaly", tag.label());
            truth.name("event");
            writeTruthElement(selected.get(i), truth);
            truth.raw('}').raw('\n');
        }
        return truth.toByteArray();
    }

    /** A frame handed to the event loop, with its truth lines and its anomalies (kind and wire symbol), if any. */
    private record Outgoing(WebSocketFrame frame, byte[] truthLines, Anomaly[] kinds, String[] symbols) {
        long bytes() { return frame.content().readableBytes(); }
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
