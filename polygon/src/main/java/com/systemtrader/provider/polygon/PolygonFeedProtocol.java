package com.systemtrader.provider.polygon;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.collector.ControlOutcome;
import com.systemtrader.collector.FeedProtocol;
import com.systemtrader.collector.OutboundMessage;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The Polygon (Massive) stocks stream for the shared collector core (protocols.md section 1). Public so that tools
 * (the {@code bench-decode} recorder and replayer) drive exactly the collector's decoding.
 */
public final class PolygonFeedProtocol implements FeedProtocol {
    /** Topics per subscribe message, so that a large subscription does not become one huge frame. */
    static final int TOPICS_PER_MESSAGE = 500;
    private final String feedName;
    private final PolygonDecoder decoder = new PolygonDecoder(new SymbolTable());
    private final Supplier<String> apiKey;
    private final Predicate<String> rotate;

    /**
     * @param feedName the stream path without the slash, e.g. {@code stocks}
     * @param apiKey   the active API key, asked for at every (re)connect
     * @param rotate   switches to the next key after a rejection; false when there is none
     */
    public PolygonFeedProtocol(String feedName, Supplier<String> apiKey, Predicate<String> rotate) {
        this.feedName = feedName;
        this.apiKey = apiKey;
        this.rotate = rotate;
    }

    @Override public DataSource source() { return DataSource.POLYGON; }

    @Override public String feedName() { return feedName; }

    @Override public HttpHeaders upgradeHeaders() { return new DefaultHttpHeaders(); }

    @Override public OutboundMessage authMessage() {
        return OutboundMessage.text(PolygonClientMessage.auth(apiKey.get()).toJson());
    }

    @Override
    public int decode(byte[] buf, int off, int len, boolean binary, long receiveTimeNs, FrameHandler handler)
            throws MalformedFrameException {
        return decoder.decode(buf, off, len, receiveTimeNs, handler);
    }

    @Override public List<OutboundMessage> subscribeMessages(Map<String, Set<String>> add) {
        return messages(add, true);
    }

    @Override public List<OutboundMessage> unsubscribeMessages(Map<String, Set<String>> remove) {
        return messages(remove, false);
    }

    private static List<OutboundMessage> messages(Map<String, Set<String>> topics, boolean subscribe) {
        List<String> all = new ArrayList<>();
        topics.forEach((channel, symbols) -> symbols.forEach(s -> all.add(channel + "." + s)));
        List<OutboundMessage> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += TOPICS_PER_MESSAGE) {
            List<String> part = all.subList(i, Math.min(all.size(), i + TOPICS_PER_MESSAGE));
            out.add(OutboundMessage.text((subscribe ? PolygonClientMessage.subscribe(part)
                    : PolygonClientMessage.unsubscribe(part)).toJson()));
        }
        return out;
    }

    @Override
    public ControlOutcome interpret(ControlMessage message) {
        if (!(message instanceof PolygonStatus s)) return new ControlOutcome.Warning("unexpected control " + message);
        if (s.isConnected()) return new ControlOutcome.Greeting();
        if (s.isAuthSuccess()) return new ControlOutcome.Authenticated();
        if (s.isAuthFailed()) return new ControlOutcome.CredentialsRejected("auth_failed: " + s.message());
        if (s.isMaxConnections()) return new ControlOutcome.ConnectionLimit("max_connections: " + s.message());
        if (s.isAuthTimeout() || s.isSlowConsumer() || s.isForceDisconnect()) {
            return new ControlOutcome.Disconnecting(s.status());
        }
        String added = s.subscribedTopic();
        if (added != null) return ack(added, true);
        String removed = s.unsubscribedTopic();
        if (removed != null) return ack(removed, false);
        if (s.isError() && PolygonStatus.MSG_NOT_AUTHORIZED.equals(s.message())) {
            return new ControlOutcome.SubscriptionRefused("not authorized (the plan does not include a requested "
                    + "channel on this feed)");
        }
        return new ControlOutcome.Warning("status " + s.status() + ": " + s.message());
    }

    private static ControlOutcome ack(String topic, boolean added) {
        try {
            PolygonTopic t = PolygonTopic.parse(topic);
            return new ControlOutcome.TopicAck(t.channel(), t.ticker(), added);
        } catch (PolygonProtocolException e) {
            return new ControlOutcome.Warning("unparseable ack topic");
        }
    }

    @Override public String minuteBarChannel() { return "AM"; }

    @Override public String channelOf(MarketEvent event) { return PolygonTopic.channelOf(event); }

    @Override public boolean rotateCredentials(String reason) { return rotate.test(reason); }
}
