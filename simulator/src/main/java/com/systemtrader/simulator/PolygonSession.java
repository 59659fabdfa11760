package com.systemtrader.simulator;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.provider.polygon.PolygonClientMessage;
import com.systemtrader.simulator.wire.PolygonEncoder;
import com.systemtrader.provider.polygon.PolygonProtocolException;
import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.provider.polygon.PolygonTopic;
import com.systemtrader.schema.MarketEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Polygon (Massive) stocks stream, protocols.md section 1.9: greeting, auth (in either order with the greeting),
 * one status ack per topic, {@code auth_required} before auth, {@code not authorized} for topics the feed does not
 * carry (the delayed feed has no Q, LULD, NOI), eviction of the older connection when a key authenticates twice.
 */
final class PolygonSession extends SimSession {
    private static final Set<String> DELAYED_CHANNELS = Set.of(PolygonTopic.TRADES, PolygonTopic.SECOND_AGGREGATES,
            PolygonTopic.MINUTE_AGGREGATES);
    /** Immutable snapshot: channel -> tickers ("*" for all). Replaced on the event loop, read by the market. */
    private volatile Map<String, Set<String>> subscriptions = Map.of();
    private final JsonOut frame = new JsonOut(1 << 16);

    PolygonSession(long id, Channel channel, Feed feed, SimulatorContext ctx) {
        super(id, channel, feed, ctx);
    }

    @Override void start() { open(false); }

    @Override void sendGreeting() { send(PolygonStatus.connected()); }

    @Override void sendAuthTimeout() { send(PolygonStatus.authTimeout()); }

    @Override
    void onClientMessage(ByteBuf content, boolean binary) {
        PolygonClientMessage msg;
        try {
            byte[] bytes = ByteBufUtil.getBytes(content);
            msg = PolygonClientMessage.parse(bytes, 0, bytes.length);
        } catch (PolygonProtocolException e) {
            ctx.stats.malformedReceived.increment();
            send(new PolygonStatus(PolygonStatus.ERROR, "invalid message: " + e.getMessage()));
            return;
        }
        if (msg.isAuth()) {
            auth(msg.params());
        } else if (msg.isSubscribe() || msg.isUnsubscribe()) {
            if (!authenticated) {
                send(PolygonStatus.authRequired());
                return;
            }
            changeSubscription(() -> subscribe(msg.topics(), msg.isSubscribe()));
        } else {
            send(new PolygonStatus(PolygonStatus.ERROR, "unknown action: " + msg.action()));
        }
    }

    private void auth(String key) {
        if (authenticated) {
            send(PolygonStatus.authSuccess());
            return;
        }
        if (key == null || ctx.faults.rejectCredentials || !ctx.config.polygonKeys().contains(key)) {
            ctx.stats.authFailures.increment();
            cancelAuthTimer();
            send(PolygonStatus.authFailed());
            closeAfterFlush();
            return;
        }
        cancelAuthTimer();
        apiKey = key;
        authenticated = true;
        send(PolygonStatus.authSuccess());
        SimSession older = ctx.sessions.claim(this);
        if (older != null) {
            ctx.stats.evictions.increment();
            ((PolygonSession) older).send(PolygonStatus.maxConnections());
            older.closeWithStatus(1008, "max_connections");
        }
    }

    private void subscribe(List<String> topics, boolean add) {
        Map<String, Set<String>> next = new HashMap<>();
        subscriptions.forEach((k, v) -> next.put(k, new HashSet<>(v)));
        for (String raw : topics) {
            PolygonTopic topic;
            try {
                topic = PolygonTopic.parse(raw);
            } catch (PolygonProtocolException e) {
                send(new PolygonStatus(PolygonStatus.ERROR, "invalid topic: " + e.getMessage()));
                continue;
            }
            if (!topic.isStocksChannel() || (!feed.realtime() && !DELAYED_CHANNELS.contains(topic.channel()))) {
                send(PolygonStatus.notAuthorized());
                continue;
            }
            if (add) {
                next.computeIfAbsent(topic.channel(), k -> new HashSet<>()).add(topic.ticker());
                send(PolygonStatus.subscribed(topic.toString()));
            } else {
                Set<String> set = next.get(topic.channel());
                if (set != null) {
                    if (topic.isWildcard()) set.clear();
                    else set.remove(topic.ticker());
                }
                send(PolygonStatus.unsubscribed(topic.toString()));
            }
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        next.forEach((k, v) -> {
            if (!v.isEmpty()) frozen.put(k, Set.copyOf(v));
        });
        subscriptions = Map.copyOf(frozen);
    }

    void send(PolygonStatus status) {
        JsonOut out = new JsonOut(256);
        PolygonEncoder.writeStatusFrame(status, out);
        sendText(out);
    }

    // ---- market thread ----

    @Override
    boolean wants(MarketEvent e) {
        String channel = PolygonTopic.channelOf(e);
        if (channel == null) return false;
        Set<String> tickers = subscriptions.get(channel);
        return tickers != null && (tickers.contains(PolygonTopic.WILDCARD) || tickers.contains(e.symbol()));
    }

    @Override
    boolean tradesWildcard() {
        Set<String> tickers = subscriptions.get(PolygonTopic.TRADES);
        return tickers != null && tickers.contains(PolygonTopic.WILDCARD);
    }

    @Override
    WebSocketFrame encodeFrame(List<MarketEvent> events, int from, int to) {
        frame.reset().beginArray();
        for (int i = from; i < to; i++) PolygonEncoder.writeEvent(events.get(i), frame);
        frame.endArray();
        return textFrame(frame);
    }

    @Override void writeTruthElement(MarketEvent e, JsonOut out) { PolygonEncoder.writeEvent(e, out); }

    @Override void sendSlowConsumer() {
        send(PolygonStatus.slowConsumer());
        closeWithStatus(1008, "slow_consumer");
    }

    @Override void sendForceDisconnect() {
        send(PolygonStatus.forceDisconnect());
        closeWithStatus(1008, "force_disconnect");
    }

    @Override
    WebSocketFrame malformedFrame(boolean truncated, List<MarketEvent> sample) {
        frame.reset();
        if (truncated) {
            frame.beginArray();
            PolygonEncoder.writeEvent(sample.get(0), frame);
            frame.truncate(Math.max(2, frame.length() - 7));
        } else {
            frame.ascii("[{\"ev\":\"T\",\"sym\":}garbage");
        }
        return textFrame(frame);
    }

    private TextWebSocketFrame textFrame(JsonOut out) {
        ByteBuf b = channel.alloc().buffer(out.length());
        b.writeBytes(out.array(), 0, out.length());
        return new TextWebSocketFrame(b);
    }
}
