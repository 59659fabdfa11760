package com.systemtrader.bench;

import com.systemtrader.collector.FeedProtocol;
import com.systemtrader.provider.alpaca.AlpacaFeedProtocol;
import com.systemtrader.provider.alpaca.AlpacaWireFormat;
import com.systemtrader.provider.polygon.PolygonFeedProtocol;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The feeds {@code bench-decode} records and replays: one provider stream, one channel subscribed for every
 * symbol, one wire format. {@link #newProtocol} builds the collector's own {@link FeedProtocol}, so that the
 * recorder speaks the real handshake and the replay runs the real {@link FeedProtocol#decode}.
 */
public enum RecordedFeed {
    POLYGON_TRADES("/stocks", "T", null),
    POLYGON_QUOTES("/stocks", "Q", null),
    ALPACA_TRADES_JSON("/v2/sip", "trades", AlpacaWireFormat.JSON),
    ALPACA_TRADES_MSGPACK("/v2/sip", "trades", AlpacaWireFormat.MSGPACK);

    private final String path;
    private final String channel;
    private final AlpacaWireFormat alpacaFormat;

    RecordedFeed(String path, String channel, AlpacaWireFormat alpacaFormat) {
        this.path = path;
        this.channel = channel;
        this.alpacaFormat = alpacaFormat;
    }

    /** The case name on the command line and in reports, e.g. {@code alpaca-trades-msgpack}. */
    public String caseName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The feed for a case name, or null. */
    public static RecordedFeed ofCaseName(String name) {
        for (RecordedFeed f : values()) if (f.caseName().equals(name)) return f;
        return null;
    }

    /** The WebSocket path on the simulator (and on the provider). */
    public String path() { return path; }

    public boolean polygon() { return alpacaFormat == null; }

    /** The channel subscribed, for every symbol ({@code *}). */
    public Map<String, Set<String>> subscription() { return Map.of(channel, Set.of("*")); }

    /** Upgrade headers: Alpaca MessagePack is chosen by the request's {@code Content-Type}. */
    public HttpHeaders upgradeHeaders() {
        return polygon() ? new DefaultHttpHeaders() : newProtocol("unused", "unused").upgradeHeaders();
    }

    /** A fresh protocol (with its own decoder and symbol table) authenticating with the given credentials. */
    public FeedProtocol newProtocol(String keyId, String secret) {
        return polygon() ? new PolygonFeedProtocol(path.substring(1), () -> keyId, reason -> false)
                : new AlpacaFeedProtocol(path.substring(path.lastIndexOf('/') + 1), alpacaFormat,
                        () -> new String[] {keyId, secret}, reason -> false);
    }

    /** A protocol for replay only (it never authenticates). */
    public FeedProtocol newReplayProtocol() {
        return newProtocol("replay", "replay");
    }
}
