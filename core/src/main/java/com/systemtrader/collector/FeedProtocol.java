package com.systemtrader.collector;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the shared collector core needs from one provider: its wire messages, its decoder and the meaning of its
 * control messages. Implementations live in the provider packages. Called on the collector's pipeline thread.
 */
public interface FeedProtocol {
    DataSource source();

    /** A short name of the feed for logs, metrics and the gap ledger, e.g. {@code stocks} or {@code v2/iex}. */
    String feedName();

    /** Extra headers for the WebSocket upgrade (none needed by default). */
    HttpHeaders upgradeHeaders();

    /** The auth message with the currently active credentials (sent right after the upgrade). */
    OutboundMessage authMessage();

    /** Decodes one frame; see {@link com.systemtrader.provider.polygon.PolygonDecoder}. */
    int decode(byte[] buf, int off, int len, boolean binary, long receiveTimeNs, FrameHandler handler)
            throws MalformedFrameException;

    /** Messages that add {@code add} (channel -> symbols) to the server-side subscription. */
    List<OutboundMessage> subscribeMessages(Map<String, Set<String>> add);

    /** Messages that remove {@code remove} from the server-side subscription. */
    List<OutboundMessage> unsubscribeMessages(Map<String, Set<String>> remove);

    ControlOutcome interpret(ControlMessage message);

    /** The channel an event arrives on (to filter data for symbols no longer subscribed), or null. */
    String channelOf(MarketEvent event);

    /** Switches to the next credentials after a rejection; false when there are none (then the failure is final). */
    boolean rotateCredentials(String reason);

    /** The channel of the provider's own minute bars (Polygon {@code AM}, Alpaca {@code bars}). */
    String minuteBarChannel();

    /** True for feeds that stream at all hours (the staleness watchdog ignores market hours there). */
    default boolean alwaysOn() { return false; }
}
