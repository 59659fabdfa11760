package com.systemtrader.config;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Binds the configuration tree to {@link CollectorConfig}: the key names of the file, the default of each key,
 * and the rules that single values and pairs of values must satisfy. The only place that knows the file's keys.
 */
final class ConfigBinder {
    static final List<String> POLYGON_CHANNELS = List.of("T", "Q", "A", "AM", "LULD", "NOI");
    static final List<String> ALPACA_CHANNELS =
            List.of("trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds", "imbalances");
    static final List<String> ALPACA_FEEDS = List.of("iex", "sip", "delayed_sip", "test");
    static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9./]{0,19}");
    private static final List<String> WS = List.of("ws", "wss");
    private static final List<String> HTTP = List.of("http", "https");

    private ConfigBinder() {}

    static CollectorConfig bind(Section root) {
        CollectorConfig d = CollectorConfig.defaults();
        Section polygon = root.section("polygon");
        FeedConfig polygonFeed = feed(polygon.section("websocket"), d.polygon(), POLYGON_CHANNELS, false);
        URI polygonRest = polygon.section("rest").url("url", d.polygonRestUrl(), HTTP);
        Section alpaca = root.section("alpaca");
        FeedConfig alpacaFeed = feed(alpaca.section("websocket"), d.alpaca(), ALPACA_CHANNELS, true);
        URI alpacaRest = alpaca.section("rest").url("url", d.alpacaRestUrl(), HTTP);
        return new CollectorConfig(polygonFeed, polygonRest, alpacaFeed, alpacaRest, data(root.section("data"), d.data()));
    }

    private static FeedConfig feed(Section ws, FeedConfig d, List<String> channelNames, boolean alpaca) {
        boolean enabled = ws.bool("enabled", d.enabled());
        URI url = ws.url("url", d.url(), WS);
        String feed = alpaca ? ws.oneOf("feed", d.feed(), ALPACA_FEEDS) : null;
        if (alpaca && ws.given("url") && ws.ok("url") && endsWithFeed(url)) {
            ws.problem("url", "is the base URL without the feed (e.g. wss://stream.data.alpaca.markets/v2); "
                    + "the feed comes from alpaca.websocket.feed");
        }
        List<String> channels = ws.list("channels", d.channels(), c -> channelNames.contains(c) ? null
                : "unknown channel " + Section.quote(c) + " (allowed: " + String.join(", ", channelNames) + ")");
        if (enabled && channels.isEmpty() && ws.ok("channels")) {
            ws.problem("channels", "must name at least one channel while the feed is enabled");
        }
        List<String> symbols = ws.list("symbols", d.symbols(), s -> s.equals("*") || SYMBOL.matcher(s).matches() ? null
                : "must be * or match " + SYMBOL.pattern() + " (upper case), got " + Section.quote(s));
        Duration reconnect = ws.seconds("reconnect_interval_seconds", d.reconnectInterval(), false);
        Duration maxReconnect = ws.seconds("max_reconnect_interval_seconds", d.maxReconnectInterval(), false);
        order(ws, "reconnect_interval_seconds", reconnect, "max_reconnect_interval_seconds", maxReconnect, true);
        Duration connectionLimit = ws.seconds("connection_limit_backoff_seconds", d.connectionLimitBackoff(), false);
        Duration heartbeat = ws.seconds("heartbeat_interval_seconds", d.heartbeatInterval(), false);
        Duration pong = ws.seconds("pong_timeout_seconds", d.pongTimeout(), false);
        order(ws, "pong_timeout_seconds", pong, "heartbeat_interval_seconds", heartbeat, false);
        Duration stale = ws.seconds("stale_data_seconds", d.staleData(), true);
        boolean staleOnlyInMarketHours = ws.bool("stale_only_in_market_hours", d.staleOnlyInMarketHours());
        Duration healthyAfter = ws.seconds("healthy_after_seconds", d.healthyAfter(), true);
        int ring = ws.integer("ring_capacity", d.ringCapacity(), 1024, 16_777_216, true);
        int maxFrame = ws.integer("max_frame_bytes", d.maxFrameBytes(), 65_536, 268_435_456, false);
        boolean compression = ws.bool("compression", d.compression());
        return new FeedConfig(enabled, url, feed, channels, symbols, reconnect, maxReconnect, connectionLimit, heartbeat,
                pong, stale, staleOnlyInMarketHours, healthyAfter, ring, maxFrame, compression);
    }

    private static DataConfig data(Section s, DataConfig d) {
        return new DataConfig(s.bool("clean_data", d.cleanData()), s.bool("validate_data", d.validateData()),
                s.bool("store_trades", d.storeTrades()), s.bool("store_quotes", d.storeQuotes()),
                s.bool("batch_inserts", d.batchInserts()), s.integer("db_batch_size", d.dbBatchSize(), 1, 100_000, false));
    }

    /** Reports {@code low} not below {@code high} (or above it, when {@code equalAllowed}) at the key that was given. */
    private static void order(Section s, String lowKey, Duration low, String highKey, Duration high, boolean equalAllowed) {
        int c = low.compareTo(high);
        if (!s.ok(lowKey) || !s.ok(highKey) || c < 0 || (c == 0 && equalAllowed)) return;
        String relation = equalAllowed ? "at most " : "less than ";
        if (s.given(lowKey)) {
            s.problem(lowKey, "must be " + relation + highKey + " (" + seconds(high) + "), got " + seconds(low));
        } else {
            s.problem(highKey, "must be " + (equalAllowed ? "at least " : "greater than ") + lowKey + " ("
                    + seconds(low) + "), got " + seconds(high));
        }
    }

    private static boolean endsWithFeed(URI url) {
        String p = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
        return ALPACA_FEEDS.contains(p.substring(p.lastIndexOf('/') + 1));
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
