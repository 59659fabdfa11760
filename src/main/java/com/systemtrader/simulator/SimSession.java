package com.systemtrader.simulator;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.MarketEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    String apiKey;
    private ScheduledFuture<?> authTimer;

    // market-thread state
    private long dataSent;
    private long dataSeen;
    private long framesSent;
    private final boolean dropRule;
    private final long dropAfter;
    private final List<MarketEvent> selected = new ArrayList<>();
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
        selected.clear();
        for (MarketEvent e : batch) {
            if (!wants(e)) continue;
            dataSeen++;
            selected.add(e);
            if (f.duplicateEvery > 0 && dataSeen % f.duplicateEvery == 0) selected.add(e);
            int n = selected.size();
            if (f.reorderEvery > 0 && dataSeen % f.reorderEvery == 0 && n >= 2) {
                MarketEvent last = selected.get(n - 1);
                selected.set(n - 1, selected.get(n - 2));
                selected.set(n - 2, last);
            }
        }
        if (f.malformedFrames.get() > 0 && f.malformedFrames.getAndDecrement() > 0) sendMalformed(selected);
        if (selected.isEmpty()) return;
        int limit = selected.size();
        boolean dropAfterThis = false;
        if (dropRule && dataSent + limit >= dropAfter) {
            limit = (int) Math.max(0, dropAfter - dataSent);
            dropAfterThis = true;
        }
        int max = ctx.config.maxEventsPerFrame();
        List<WebSocketFrame> frames = new ArrayList<>((limit + max - 1) / max);
        List<byte[]> truths = ctx.truth == null ? null : new ArrayList<>((limit + max - 1) / max);
        for (int from = 0; from < limit; from += max) {
            int to = Math.min(limit, from + max);
            WebSocketFrame frame = encodeFrame(selected, from, to);
            long firstN = dataSent + 1;
            dataSent += to - from;
            byte[] truthLines = ctx.truth == null ? null : truthLines(selected, from, to, firstN);
            ctx.stats.dataMessages.add(to - from);
            ctx.stats.frames.increment();
            framesSent++;
            frames.add(frame);
            if (truths != null) truths.add(truthLines);
            if (f.malformedEvery > 0 && framesSent % f.malformedEvery == 0) {
                frames.add(malformed(selected));
                if (truths != null) truths.add(null);
            }
        }
        writeAll(frames, truths);
        if (dropAfterThis) {
            ctx.stats.faultDrops.increment();
            closeAfterFlush();
        }
    }

    /** One event-loop task per tick: writes every frame, then flushes once (one wakeup, one syscall batch). */
    private void writeAll(List<WebSocketFrame> frames, List<byte[]> truths) {
        if (frames.isEmpty()) return;
        long bytes = 0;
        for (WebSocketFrame f : frames) bytes += f.content().readableBytes();
        long queued = bytes;
        queuedBytes.addAndGet(queued);
        channel.eventLoop().execute(() -> {
            queuedBytes.addAndGet(-queued);
            for (int i = 0; i < frames.size(); i++) {
                if (truths == null || truths.get(i) == null) {
                    channel.write(frames.get(i), channel.voidPromise());
                } else {
                    byte[] lines = truths.get(i);
                    channel.write(frames.get(i)).addListener(w -> {
                        if (w.isSuccess()) ctx.truth.write(lines);
                    });
                }
            }
            channel.flush();
        });
    }

    private void sendMalformed(List<MarketEvent> sample) {
        channel.writeAndFlush(malformed(sample), channel.voidPromise());
    }

    /** The next malformed frame: invalid JSON and a truncated data frame, alternately. */
    private WebSocketFrame malformed(List<MarketEvent> sample) {
        ctx.stats.malformedSent.increment();
        boolean truncated = ctx.stats.malformedSent.sum() % 2 == 0 && !sample.isEmpty();
        return malformedFrame(truncated, sample);
    }

    private byte[] truthLines(List<MarketEvent> events, int from, int to, long firstN) {
        truth.reset();
        for (int i = from; i < to; i++) {
            truth.raw('{').field("conn", id).field("provider", provider()).field("feed", feed.path())
                    .field("n", firstN + i - from).name("event");
            writeTruthElement(events.get(i), truth);
            truth.raw('}').raw('\n');
        }
        return truth.toByteArray();
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
