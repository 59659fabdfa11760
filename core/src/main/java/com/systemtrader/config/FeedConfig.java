package com.systemtrader.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One provider's WebSocket feed, as configured under {@code polygon.websocket} or {@code alpaca.websocket} in
 * {@code config/collector_config.yaml}. Keys in the file are snake_case versions of these names
 * ({@code reconnect_interval_seconds} binds {@link #reconnectInterval}).
 *
 * @param enabled                 whether the collector for this provider runs
 * @param url                     the endpoint: Polygon the full stream URL ({@code wss://socket.polygon.io/stocks});
 *                                Alpaca the base ({@code wss://stream.data.alpaca.markets/v2}) to which
 *                                {@code /feed} is appended
 * @param feed                    Alpaca only: {@code iex}, {@code sip}, {@code delayed_sip} or {@code test}; null for Polygon
 * @param channels                Polygon: {@code T, Q, A, AM, LULD, NOI}; Alpaca: {@code trades, quotes, bars,
 *                                updatedBars, dailyBars, statuses, lulds, imbalances}
 * @param symbols                 symbols subscribed at start ({@code *} for all)
 * @param reconnectInterval       first reconnect delay; doubles per failure with full jitter
 * @param maxReconnectInterval    cap of the reconnect delay
 * @param connectionLimitBackoff  wait after a connection-limit error (Polygon max_connections, Alpaca 406, HTTP 429)
 * @param heartbeatInterval       WebSocket ping interval
 * @param pongTimeout             a ping unanswered this long means the connection is dead
 * @param staleData               no data for this long while subscribed forces a reconnect; zero disables
 * @param staleOnlyInMarketHours  apply the staleness watchdog only 04:00-20:00 New York time on weekdays
 *                                (always on for Alpaca's test feed)
 * @param healthyAfter            the backoff resets only after the connection streamed this long
 * @param ringCapacity            frames buffered between the I/O thread and the decoder (a power of two)
 * @param maxFrameBytes           largest accepted frame (and inflated message) in bytes
 * @param compression             offer permessage-deflate (RFC 7692) on the upgrade. Off by default for both: Polygon's
 *                                official Go client does not use it, and deflate costs the sender far more than it
 *                                saves on loopback or a fast link; for Alpaca (MessagePack) it was measured at
 *                                150,000 msg/s not to lower the collector's CPU per event (inflating alone costs its
 *                                I/O thread ~0.3 us per event), and the official JS SDK 4.x does not offer it either
 *                                (docs/PERFORMANCE.md)
 * @param wireFormat              Alpaca only: {@code msgpack} (the default, as the official SDKs: {@code Content-Type:
 *                                application/msgpack} on the upgrade, binary frames both ways) or {@code json} (text
 *                                frames); always {@code json} for Polygon, which has no other format
 */
public record FeedConfig(boolean enabled, URI url, String feed, List<String> channels, List<String> symbols,
                         Duration reconnectInterval, Duration maxReconnectInterval, Duration connectionLimitBackoff,
                         Duration heartbeatInterval, Duration pongTimeout, Duration staleData,
                         boolean staleOnlyInMarketHours, Duration healthyAfter, int ringCapacity, int maxFrameBytes,
                         boolean compression, String wireFormat) {
    /** The wire formats of {@code alpaca.websocket.wire_format}. */
    public static final List<String> WIRE_FORMATS = List.of("msgpack", "json");

    public FeedConfig {
        channels = List.copyOf(channels);
        symbols = List.copyOf(symbols);
        if (!WIRE_FORMATS.contains(wireFormat)) {
            throw new IllegalArgumentException("wireFormat must be one of " + WIRE_FORMATS + ", got " + wireFormat);
        }
        if (feed == null && !wireFormat.equals("json")) {
            throw new IllegalArgumentException("Polygon has JSON only, got wireFormat " + wireFormat);
        }
    }

    /** With the default wire format: JSON for Polygon ({@code feed} null), MessagePack for Alpaca. */
    public FeedConfig(boolean enabled, URI url, String feed, List<String> channels, List<String> symbols,
                      Duration reconnectInterval, Duration maxReconnectInterval, Duration connectionLimitBackoff,
                      Duration heartbeatInterval, Duration pongTimeout, Duration staleData,
                      boolean staleOnlyInMarketHours, Duration healthyAfter, int ringCapacity, int maxFrameBytes,
                      boolean compression) {
        this(enabled, url, feed, channels, symbols, reconnectInterval, maxReconnectInterval, connectionLimitBackoff,
                heartbeatInterval, pongTimeout, staleData, staleOnlyInMarketHours, healthyAfter, ringCapacity,
                maxFrameBytes, compression, feed == null ? "json" : "msgpack");
    }

    /** Defaults for Polygon's real-time stocks stream. */
    public static FeedConfig polygonDefaults() {
        return new FeedConfig(true, URI.create("wss://socket.polygon.io/stocks"), null, List.of("T", "Q", "AM"),
                List.of(), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(25), Duration.ofSeconds(10), Duration.ofSeconds(30), true, Duration.ofSeconds(30),
                65_536, 16 << 20, false);
    }

    /** Defaults for Alpaca's stock stream v2 (IEX feed). */
    public static FeedConfig alpacaDefaults() {
        return new FeedConfig(false, URI.create("wss://stream.data.alpaca.markets/v2"), "iex",
                List.of("trades", "quotes", "bars"), List.of(), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30), true,
                Duration.ofSeconds(30), 65_536, 16 << 20, false, "msgpack");
    }

    /** The WebSocket URL to dial: Polygon as configured, Alpaca the base plus {@code /feed}. */
    public URI streamUri() {
        if (feed == null) return url;
        String base = url.toString();
        return URI.create(base.endsWith("/") ? base + feed : base + "/" + feed);
    }

    public FeedConfig withUrl(URI u) {
        return new FeedConfig(enabled, u, feed, channels, symbols, reconnectInterval, maxReconnectInterval,
                connectionLimitBackoff, heartbeatInterval, pongTimeout, staleData, staleOnlyInMarketHours, healthyAfter,
                ringCapacity, maxFrameBytes, compression, wireFormat);
    }

    /** The same feed with another wire format ({@code msgpack} or {@code json}; Alpaca only). */
    public FeedConfig withWireFormat(String format) {
        return new FeedConfig(enabled, url, feed, channels, symbols, reconnectInterval, maxReconnectInterval,
                connectionLimitBackoff, heartbeatInterval, pongTimeout, staleData, staleOnlyInMarketHours, healthyAfter,
                ringCapacity, maxFrameBytes, compression, format);
    }

    /** The same feed with permessage-deflate offered or not. */
    public FeedConfig withCompression(boolean offer) {
        return new FeedConfig(enabled, url, feed, channels, symbols, reconnectInterval, maxReconnectInterval,
                connectionLimitBackoff, heartbeatInterval, pongTimeout, staleData, staleOnlyInMarketHours, healthyAfter,
                ringCapacity, maxFrameBytes, offer, wireFormat);
    }
}
