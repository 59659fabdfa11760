package com.systemtrader.simulator;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.JsonOut;
import com.systemtrader.provider.alpaca.AlpacaChannel;
import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.simulator.wire.AlpacaEncoder;
import com.systemtrader.provider.alpaca.AlpacaError;
import com.systemtrader.provider.alpaca.AlpacaProtocolException;
import com.systemtrader.provider.alpaca.AlpacaSubscription;
import com.systemtrader.provider.alpaca.AlpacaSuccess;
import com.systemtrader.provider.alpaca.AlpacaWireFormat;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alpaca market data stream v2, protocols.md section 2.9: JSON text frames, or MessagePack binary frames when the
 * upgrade request says {@code Content-Type: application/msgpack}; auth by message or by the
 * {@code APCA-API-KEY-ID}/{@code APCA-API-SECRET-KEY} headers; error codes 400-409; the full subscription echo;
 * 406 for a second session on one key (the newcomer is refused); {@code /v2/test} streams only FAKEPACA.
 */
final class AlpacaSession extends SimSession {
    static final String TEST_SYMBOL = "FAKEPACA";
    private final AlpacaWireFormat format;
    private final String headerKey;
    private final String headerSecret;
    private final AlpacaEncoder frameEncoder;
    private final AlpacaEncoder truthEncoder;
    private AlpacaSubscription subscription = AlpacaSubscription.EMPTY;
    /** Immutable snapshot for the market thread: channel -> symbols ("*" for all). */
    private volatile Map<AlpacaChannel, Set<String>> wanted = Map.of();
    private final List<MarketEvent> converted = new ArrayList<>();
    /** Unsubscribed symbol (as sent, or "*") -> what of it may still be sent. Guarded by the subscription lock. */
    private final Map<String, Linger> lingering = new HashMap<>();

    /** Data messages of an unsubscribed symbol still to be sent, and on which channels. */
    private static final class Linger {
        int left;
        final Set<AlpacaChannel> channels = EnumSet.noneOf(AlpacaChannel.class);
    }

    AlpacaSession(long id, Channel channel, Feed feed, SimulatorContext ctx, HttpHeaders upgradeHeaders) {
        super(id, channel, feed, ctx);
        this.format = AlpacaWireFormat.fromContentType(upgradeHeaders.get("Content-Type"));
        this.headerKey = upgradeHeaders.get("APCA-API-KEY-ID");
        this.headerSecret = upgradeHeaders.get("APCA-API-SECRET-KEY");
        this.frameEncoder = AlpacaEncoder.of(format);
        this.truthEncoder = AlpacaEncoder.json(new JsonOut(1));
    }

    @Override
    void start() {
        if (headerKey != null || headerSecret != null) {
            open(true);
            auth(headerKey, headerSecret);
        } else {
            open(false);
        }
    }

    @Override void sendGreeting() { send(AlpacaSuccess.CONNECTED); }

    @Override void sendAuthTimeout() { send(AlpacaError.AUTH_TIMEOUT); }

    @Override
    void onClientMessage(ByteBuf content, boolean binary) {
        byte[] bytes = ByteBufUtil.getBytes(content);
        AlpacaClientMessage msg;
        try {
            msg = binary ? AlpacaClientMessage.parseMsgpack(bytes, 0, bytes.length)
                    : AlpacaClientMessage.parseJson(bytes, 0, bytes.length);
        } catch (AlpacaProtocolException | RuntimeException e) {
            ctx.stats.malformedReceived.increment();
            send(AlpacaError.INVALID_SYNTAX);
            return;
        }
        switch (msg) {
            case AlpacaClientMessage.Auth a -> auth(a.key(), a.secret());
            case AlpacaClientMessage.Subscribe s -> change(s.channels(), true);
            case AlpacaClientMessage.Unsubscribe u -> change(u.channels(), false);
        }
    }

    private void auth(String key, String secret) {
        if (authenticated) {
            send(AlpacaError.ALREADY_AUTHENTICATED);
            return;
        }
        cancelAuthTimer();
        if (key == null || secret == null || ctx.faults.rejectCredentials
                || !secret.equals(ctx.config.alpacaKeys().get(key))) {
            ctx.stats.authFailures.increment();
            send(AlpacaError.AUTH_FAILED);
            closeAfterFlush();
            return;
        }
        if (feed == Feed.ALPACA_SIP && !ctx.config.alpacaSipEntitled()) {
            send(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
            closeAfterFlush();
            return;
        }
        apiKey = key;
        if (!ctx.sessions.claimIfFree(this)) {
            apiKey = null;
            ctx.stats.evictions.increment();
            send(AlpacaError.CONNECTION_LIMIT_EXCEEDED);
            closeAfterFlush();
            return;
        }
        authenticated = true;
        send(AlpacaSuccess.AUTHENTICATED);
    }

    private void change(AlpacaSubscription delta, boolean add) {
        if (!authenticated) {
            send(AlpacaError.NOT_AUTHENTICATED);
            return;
        }
        if (!valid(delta)) {
            send(AlpacaError.INVALID_SYNTAX);
            return;
        }
        changeSubscription(() -> apply(delta, add));
    }

    /** Applies a valid change and acknowledges it with the full subscription (under the subscription lock). */
    private void apply(AlpacaSubscription delta, boolean add) {
        AlpacaSubscription next = add ? subscription.applySubscribe(delta) : subscription.applyUnsubscribe(delta);
        int limit = ctx.config.alpacaIexSymbolLimit();
        if (add && feed == Feed.ALPACA_IEX && limit > 0) {
            Set<String> tq = new HashSet<>(next.symbols(AlpacaChannel.TRADES));
            tq.addAll(next.symbols(AlpacaChannel.QUOTES));
            tq.remove("*");
            if (tq.size() > limit) {
                send(AlpacaError.SYMBOL_LIMIT_EXCEEDED);
                return;
            }
        }
        if (!add) startLinger(subscription, next);
        subscription = next;
        Map<AlpacaChannel, Set<String>> w = new EnumMap<>(AlpacaChannel.class);
        for (AlpacaChannel c : AlpacaChannel.values()) {
            if (!next.symbols(c).isEmpty()) w.put(c, Set.copyOf(new LinkedHashSet<>(next.symbols(c))));
        }
        wanted = w;
        send(next);
    }

    /** Gives every symbol (or {@code *}) dropped from a channel its allowance of lingering messages. */
    private void startLinger(AlpacaSubscription before, AlpacaSubscription after) {
        int messages = ctx.faults.lingerAfterUnsubscribe;
        if (messages <= 0) return;
        for (AlpacaChannel c : AlpacaChannel.values()) {
            for (String symbol : before.symbols(c)) {
                if (after.symbols(c).contains(symbol)) continue;
                Linger l = lingering.computeIfAbsent(symbol, k -> new Linger());
                l.left = messages;
                l.channels.add(c);
            }
        }
    }

    /** Symbols must look like tickers; the test feed accepts only FAKEPACA. */
    private boolean valid(AlpacaSubscription delta) {
        for (AlpacaChannel c : AlpacaChannel.values()) {
            for (String s : delta.symbols(c)) {
                if (feed == Feed.ALPACA_TEST ? !s.equals(TEST_SYMBOL) : !s.equals("*") && !s.matches("[A-Z][A-Z0-9./]{0,19}")) {
                    return false;
                }
            }
        }
        return true;
    }

    void send(ControlMessage m) {
        AlpacaEncoder enc = AlpacaEncoder.of(format);
        enc.reset().beginFrame(1).control(m).endFrame();
        channel.writeAndFlush(frameOf(enc));
    }

    // ---- market thread ----

    private static AlpacaChannel channelOf(MarketEvent e) {
        return switch (e) {
            case com.systemtrader.schema.Trade t -> AlpacaChannel.TRADES;
            case com.systemtrader.schema.Quote q -> AlpacaChannel.QUOTES;
            case Bar b -> switch (b.interval()) {
                case MINUTE -> AlpacaChannel.BARS;
                case UPDATED_MINUTE -> AlpacaChannel.UPDATED_BARS;
                case DAILY -> AlpacaChannel.DAILY_BARS;
                case SECOND -> null;
            };
            case com.systemtrader.schema.TradingStatus s -> AlpacaChannel.STATUSES;
            case com.systemtrader.schema.LuldBand l -> AlpacaChannel.LULDS;
            case com.systemtrader.schema.TradeCorrection c -> AlpacaChannel.CORRECTIONS;
            case com.systemtrader.schema.TradeCancel x -> AlpacaChannel.CANCEL_ERRORS;
            case com.systemtrader.schema.Imbalance i -> AlpacaChannel.IMBALANCES;
        };
    }

    @Override
    boolean wants(MarketEvent e) {
        AlpacaChannel c = channelOf(e);
        if (c == null) return false;
        Set<String> symbols = wanted.get(c);
        if (symbols == null) return false;
        if (feed == Feed.ALPACA_TEST) return e.symbol().equals(ctx.config.market().symbols().getFirst());
        return symbols.contains("*") || symbols.contains(e.symbol());
    }

    private String outSymbol(MarketEvent e) {
        return feed == Feed.ALPACA_TEST ? TEST_SYMBOL : e.symbol();
    }

    @Override String wireSymbol(MarketEvent e) { return outSymbol(e); }

    @Override
    boolean tradesWildcard() {
        Set<String> symbols = wanted.get(AlpacaChannel.TRADES);
        return feed != Feed.ALPACA_TEST && symbols != null && symbols.contains("*");
    }

    @Override
    boolean lingers(MarketEvent e) {
        if (lingering.isEmpty()) return false;
        AlpacaChannel c = channelOf(e);
        if (c == null) return false;
        if (feed == Feed.ALPACA_TEST && !e.symbol().equals(ctx.config.market().symbols().getFirst())) return false;
        String key = outSymbol(e);
        Linger l = lingering.get(key);
        if (l == null || !l.channels.contains(c)) {
            key = "*";
            l = lingering.get(key);
            if (l == null || !l.channels.contains(c)) return false;
        }
        if (--l.left <= 0) lingering.remove(key);
        return true;
    }

    @Override
    WebSocketFrame encodeFrame(List<MarketEvent> events, int from, int to) {
        converted.clear();
        for (int i = from; i < to; i++) converted.add(AlpacaForm.convert(events.get(i), outSymbol(events.get(i))));
        frameEncoder.reset().beginFrame(converted.size());
        for (MarketEvent e : converted) frameEncoder.event(e);
        frameEncoder.endFrame();
        return frameOf(frameEncoder);
    }

    @Override
    void writeTruthElement(MarketEvent e, JsonOut out) {
        truthEncoder.reset().beginFrame(1).event(AlpacaForm.convert(e, outSymbol(e))).endFrame();
        out.bytes(truthEncoder.array(), 1, truthEncoder.length() - 2); // without the array brackets
    }

    @Override void sendSlowConsumer() {
        send(AlpacaError.SLOW_CLIENT);
        closeAfterFlush();
    }

    @Override void sendForceDisconnect() { closeWithStatus(1001, "going away"); }

    @Override
    WebSocketFrame malformedFrame(boolean truncated, List<MarketEvent> sample) {
        if (truncated) {
            AlpacaEncoder enc = AlpacaEncoder.of(format);
            enc.reset().beginFrame(1).event(AlpacaForm.convert(sample.getFirst(), outSymbol(sample.getFirst())))
                    .endFrame();
            ByteBuf b = channel.alloc().buffer(enc.length());
            b.writeBytes(enc.array(), 0, Math.max(1, enc.length() - 7));
            return format.binaryFrames() ? new BinaryWebSocketFrame(b) : new TextWebSocketFrame(b);
        }
        byte[] junk = format.binaryFrames() ? new byte[] {(byte) 0x91, (byte) 0xc1} : utf8("[{\"T\":\"t\",\"S\":}x");
        ByteBuf b = channel.alloc().buffer(junk.length).writeBytes(junk);
        return format.binaryFrames() ? new BinaryWebSocketFrame(b) : new TextWebSocketFrame(b);
    }

    private WebSocketFrame frameOf(AlpacaEncoder enc) {
        ByteBuf b = channel.alloc().buffer(enc.length());
        b.writeBytes(enc.array(), 0, enc.length());
        return format.binaryFrames() ? new BinaryWebSocketFrame(b) : new TextWebSocketFrame(b);
    }
}
