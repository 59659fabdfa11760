package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.collector.ControlOutcome;
import com.systemtrader.collector.FeedProtocol;
import com.systemtrader.collector.OutboundMessage;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Alpaca's stock stream v2 for the shared collector core (protocols.md section 2). The {@link AlpacaWireFormat}
 * chosen (MessagePack by default, as the official SDKs) sets the upgrade's {@code Content-Type} and the form of the
 * auth and subscribe messages (binary MessagePack maps or JSON text). Incoming frames are decoded by their frame
 * type whatever was asked for: a binary frame as MessagePack, a text frame as JSON, so recorded frames of either
 * format replay through the same {@link #decode}. Channels are the wire keys ({@code trades}, {@code quotes}, ...);
 * corrections and cancels arrive with {@code trades}.
 *
 * <p>Public so that tools (the {@code bench-decode} recorder and replayer) drive exactly the collector's decoding.
 */
public final class AlpacaFeedProtocol implements FeedProtocol {
    private final String feed;
    private final AlpacaWireFormat format;
    private final SymbolTable symbols = new SymbolTable();
    private final AlpacaDecoder json = new AlpacaDecoder(symbols);
    private final AlpacaMsgpackDecoder msgpack = new AlpacaMsgpackDecoder(symbols);
    private final Supplier<String[]> keyAndSecret;
    private final Predicate<String> rotate;

    /** In the default wire format, MessagePack. */
    public AlpacaFeedProtocol(String feed, Supplier<String[]> keyAndSecret, Predicate<String> rotate) {
        this(feed, AlpacaWireFormat.MSGPACK, keyAndSecret, rotate);
    }

    /**
     * @param feed         {@code iex}, {@code sip}, {@code delayed_sip} or {@code test}
     * @param format       the wire format asked for on the upgrade and used for the client's own messages
     * @param keyAndSecret the active key id and secret, asked for at every (re)connect
     * @param rotate       switches to the next credentials after a rejection; false when there are none
     */
    public AlpacaFeedProtocol(String feed, AlpacaWireFormat format, Supplier<String[]> keyAndSecret,
                              Predicate<String> rotate) {
        if (format == null) throw new IllegalArgumentException("format is required");
        this.feed = feed;
        this.format = format;
        this.keyAndSecret = keyAndSecret;
        this.rotate = rotate;
    }

    @Override public DataSource source() { return DataSource.ALPACA; }

    @Override public String feedName() { return "v2/" + feed; }

    /** {@code Content-Type: application/msgpack} or {@code application/json} (protocols.md section 2.2). */
    @Override public HttpHeaders upgradeHeaders() {
        return new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, format.contentType());
    }

    /** The wire format this protocol asks for. */
    public AlpacaWireFormat wireFormat() { return format; }

    @Override public boolean alwaysOn() { return "test".equals(feed); }

    @Override public OutboundMessage authMessage() {
        String[] k = keyAndSecret.get();
        return out(new AlpacaClientMessage.Auth(k[0], k[1]));
    }

    @Override
    public int decode(byte[] buf, int off, int len, boolean binary, long receiveTimeNs, FrameHandler handler)
            throws MalformedFrameException {
        return (binary ? msgpack : json).decode(buf, off, len, receiveTimeNs, handler);
    }

    @Override public List<OutboundMessage> subscribeMessages(Map<String, Set<String>> add) {
        return add.isEmpty() ? List.of() : List.of(out(new AlpacaClientMessage.Subscribe(delta(add))));
    }

    @Override public List<OutboundMessage> unsubscribeMessages(Map<String, Set<String>> remove) {
        return remove.isEmpty() ? List.of() : List.of(out(new AlpacaClientMessage.Unsubscribe(delta(remove))));
    }

    /** MessagePack in a binary frame, or JSON in a text frame. */
    private OutboundMessage out(AlpacaClientMessage m) {
        return format.binaryFrames() ? OutboundMessage.binary(m.toMsgpack()) : new OutboundMessage(m.toJson(), false);
    }

    private static AlpacaSubscription delta(Map<String, Set<String>> m) {
        Map<AlpacaChannel, List<String>> d = new EnumMap<>(AlpacaChannel.class);
        m.forEach((k, v) -> {
            AlpacaChannel c = AlpacaChannel.fromWireKey(k);
            if (c != null) d.put(c, new ArrayList<>(v));
        });
        return AlpacaSubscription.of(d);
    }

    @Override
    public ControlOutcome interpret(ControlMessage message) {
        return switch (message) {
            case AlpacaSuccess s when s.isConnected() -> new ControlOutcome.Greeting();
            case AlpacaSuccess s when s.isAuthenticated() -> new ControlOutcome.Authenticated();
            case AlpacaSuccess s -> new ControlOutcome.Warning("success: " + s.msg());
            case AlpacaError e -> error(e);
            case AlpacaSubscription sub -> {
                Map<String, Set<String>> state = new LinkedHashMap<>();
                for (AlpacaChannel c : AlpacaChannel.values()) {
                    if (!sub.symbols(c).isEmpty()) state.put(c.wireKey(), new LinkedHashSet<>(sub.symbols(c)));
                }
                yield new ControlOutcome.SubscriptionState(state);
            }
            default -> new ControlOutcome.Warning("unexpected control message " + message.getClass().getSimpleName());
        };
    }

    private static ControlOutcome error(AlpacaError e) {
        String text = e.code() + " " + e.msg();
        return switch (e.code()) {
            case 402 -> new ControlOutcome.CredentialsRejected(text);
            case 406 -> new ControlOutcome.ConnectionLimit(text);
            case 404, 407 -> new ControlOutcome.Disconnecting(e.code() == 404 ? "auth-timeout" : "slow-client");
            case 405, 410, 413 -> new ControlOutcome.SubscriptionRefused(text);
            case 408, 409, 411, 412 -> new ControlOutcome.Fatal(text);
            default -> new ControlOutcome.Warning(text);
        };
    }

    @Override public String minuteBarChannel() { return "bars"; }

    @Override
    public String channelOf(MarketEvent event) {
        return switch (event) {
            case Trade t -> "trades";
            case Quote q -> "quotes";
            case Bar b -> switch (b.interval()) {
                case MINUTE -> "bars";
                case UPDATED_MINUTE -> "updatedBars";
                case DAILY -> "dailyBars";
                case SECOND -> null;
            };
            case TradingStatus s -> "statuses";
            case LuldBand l -> "lulds";
            case TradeCorrection c -> "trades";
            case TradeCancel x -> "trades";
            case Imbalance i -> "imbalances";
        };
    }

    @Override public boolean rotateCredentials(String reason) { return rotate.test(reason); }
}
