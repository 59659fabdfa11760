package com.systemtrader.config;

import com.systemtrader.bars.BarConfig;
import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.cache.LivePublish;
import com.systemtrader.cache.MemoryCacheConfig;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.storage.MaintenanceConfig;
import com.systemtrader.storage.StorageConfig;
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
        DataConfig data = data(root.section("data"), d.data());
        StorageConfig storage = storage(root.section("storage"), d.storage());
        return new CollectorConfig(polygonFeed, polygonRest, alpacaFeed, alpacaRest, data, storage, cache(root.section("cache"), root.section("redis"), d.cache()),
                service(root.section("service"), root.section("storage"), storage, d.service()),
                bus(root.section("bus"), d.bus()));
    }

    private static BusSettings bus(Section s, BusSettings d) {
        String servers = s.text("bootstrap_servers", d.bootstrapServers(), t -> t.isEmpty()
                || t.matches("[A-Za-z0-9.\\-\\[\\]:]+(,[A-Za-z0-9.\\-\\[\\]:]+)*") ? null
                : "must be host:port[,host:port...] (empty for no bus), got " + Section.quote(t));
        java.util.function.Function<String, String> topic = t -> t.matches("[A-Za-z0-9._-]{1,249}") ? null
                : "must be 1-249 letters, digits, '.', '_' or '-' (a Kafka topic name), got " + Section.quote(t);
        String trades = s.text("trades_topic", d.tradesTopic(), topic);
        String quotes = s.text("quotes_topic", d.quotesTopic(), topic);
        String bars = s.text("bars_topic", d.barsTopic(), topic);
        if (s.ok("trades_topic") && s.ok("quotes_topic") && s.ok("bars_topic")
                && (trades.equals(quotes) || trades.equals(bars) || quotes.equals(bars))) {
            s.problem("bars_topic", "trades_topic, quotes_topic and bars_topic must be three different topics");
        }
        java.util.function.Function<String, String> group = g -> g.matches("[A-Za-z0-9._-]{1,249}") ? null
                : "must be 1-249 letters, digits, '.', '_' or '-', got " + Section.quote(g);
        String store = s.text("store_group", d.storeGroup(), group);
        String cache = s.text("cache_group", d.cacheGroup(), group);
        if (s.ok("store_group") && s.ok("cache_group") && store.equals(cache)) {
            s.problem("cache_group", "must differ from store_group (each group gets every event once)");
        }
        String dir = s.text("journal_dir", d.journalDir().toString(), t -> t.isBlank() ? "must not be empty" : null);
        int budget = s.integer("journal_budget_mb", (int) d.journalBudgetMb(), 1, 1_048_576, false);
        int lag = s.integer("ready_max_lag", (int) d.readyMaxLag(), 1, Integer.MAX_VALUE, false);
        boolean lease = s.bool("feed_lease", d.feedLease());
        int ttl = s.integer("lease_seconds", (int) d.leaseTtl().toSeconds(), 3, 600, false);
        int session = s.integer("session_timeout_seconds", (int) d.sessionTimeout().toSeconds(), 6, 1_800, false);
        java.util.Map<String, String> properties = s.map("client_properties", d.clientProperties(),
                (name, value) -> BusSettings.refusedProperty(name));
        int intake = s.integer("intake_events", (int) d.intakeEvents(), 1_000, 100_000_000, false);
        int delivery = s.integer("delivery_timeout_seconds", (int) d.deliveryTimeout().toSeconds(), 1, 300, false);
        return new BusSettings(servers, trades, quotes, bars, store, cache, java.nio.file.Path.of(dir), budget, lag,
                lease, Duration.ofSeconds(ttl), Duration.ofSeconds(session), properties, intake,
                Duration.ofSeconds(delivery));
    }

    private static ServiceConfig service(Section s, Section storage, StorageConfig bound, ServiceConfig d) {
        String host = s.text("http_host", d.httpHost(), h -> h.matches("[A-Za-z0-9.:\\-\\[\\]]+") ? null
                : "must be a host name or IP address, got " + Section.quote(h));
        int port = s.integer("http_port", d.httpPort(), 0, 65_535, false);
        boolean enabled = storage.bool("enabled", d.storageEnabled());
        String dir = storage.text("journal_dir", d.journalDir().toString(), t -> t.isBlank() ? "must not be empty" : null);
        int budget = storage.integer("journal_budget_mb", (int) d.journalBudgetMb(), 1, 1_048_576, false);
        int writers = storage.integer("writer_connections", d.writerConnections(), 1, 64, false);
        boolean synchronous = storage.bool("synchronous_commit", d.synchronousCommit());
        int drain = storage.integer("shutdown_drain_seconds", (int) d.shutdownDrain().toSeconds(), 1, 100, false);
        int outage = storage.integer("ready_max_outage_seconds", (int) d.readyMaxOutage().toSeconds(), 1, 86_400,
                false);
        Duration rollupRefresh = Duration.ofSeconds(storage.integer("rollup_refresh_seconds",
                (int) d.rollupRefresh().toSeconds(), 1, 3_600, false));
        ServiceRole role = ServiceRole.of(s.oneOf("role", d.role().token(), ServiceRole.tokens()));
        return new ServiceConfig(host, port, enabled, java.nio.file.Path.of(dir), budget,
                maintenance(storage, bound, d.maintenance()), writers, synchronous, Duration.ofSeconds(drain),
                Duration.ofSeconds(outage), rollupRefresh, role);
    }

    private static MaintenanceConfig maintenance(Section s, StorageConfig storage, MaintenanceConfig d) {
        boolean enabled = s.bool("maintenance_enabled", d.enabled());
        Duration partitions = Duration.ofMinutes(s.integer("maintenance_partitions_minutes",
                (int) d.partitionsEvery().toMinutes(), 1, 1_440, false));
        Duration rollups = Duration.ofSeconds(s.integer("maintenance_rollups_seconds",
                (int) d.rollupsEvery().toSeconds(), 5, 86_400, false));
        Duration retention = Duration.ofMinutes(s.integer("maintenance_retention_minutes",
                (int) d.retentionEvery().toMinutes(), 1, 1_440, false));
        Duration compression = Duration.ofMinutes(s.integer("maintenance_compression_minutes",
                (int) d.compressionEvery().toMinutes(), 1, 1_440, false));
        Duration lookback = Duration.ofMinutes(s.integer("maintenance_rollup_lookback_minutes",
                (int) d.rollupLookback().toMinutes(), 2, 100_000, false));
        if (storage.tickRetentionDays() > 0 && lookback.toMinutes() >= storage.tickRetentionDays() * 1_440L
                && s.ok("maintenance_rollup_lookback_minutes")) {
            // a refresh over ticks that retention already dropped would delete their materialized buckets
            s.problem("maintenance_rollup_lookback_minutes", "must be shorter than tick_retention_days ("
                    + storage.tickRetentionDays() + " days = " + storage.tickRetentionDays() * 1_440L + " minutes), got "
                    + lookback.toMinutes());
        }
        int keep = s.integer("maintenance_keep_runs", d.keepRuns(), 1, 1_000_000, false);
        Duration lock = Duration.ofSeconds(s.integer("maintenance_lock_timeout_seconds",
                (int) d.lockTimeout().toSeconds(), 1, 3_600, false));
        return new MaintenanceConfig(enabled, partitions, rollups, retention, compression, lookback, keep, lock);
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
        String wireFormat = alpaca ? ws.oneOf("wire_format", d.wireFormat(), FeedConfig.WIRE_FORMATS) : d.wireFormat();
        return new FeedConfig(enabled, url, feed, channels, symbols, reconnect, maxReconnect, connectionLimit, heartbeat,
                pong, stale, staleOnlyInMarketHours, healthyAfter, ring, maxFrame, compression, wireFormat);
    }

    private static DataConfig data(Section s, DataConfig d) {
        boolean clean = s.bool("clean_data", d.cleanData());
        boolean validate = s.bool("validate_data", d.validateData());
        return new DataConfig(clean, validate, s.bool("store_trades", d.storeTrades()),
                s.bool("store_quotes", d.storeQuotes()), s.bool("batch_inserts", d.batchInserts()),
                s.integer("db_batch_size", d.dbBatchSize(), 1, 100_000, false), cleaner(s.section("cleaner"), d.cleaner()),
                bars(s.section("bars"), d.bars()));
    }

    private static CacheConfig cache(Section c, Section r, CacheConfig d) {
        MemoryCacheConfig m = d.memory();
        int memEntries = c.integer("memory_max_entries", m.maxEntries(), 1, 10_000_000, false);
        Duration memTicks = c.seconds("memory_tick_window_seconds", m.tickWindow(), false);
        Duration memBars = Duration.ofHours(c.integer("memory_bar_window_hours", (int) m.barWindow().toHours(), 1,
                24 * 366, false));
        RedisConfig rd = d.redis();
        boolean enabled = r.bool("enabled", d.redisEnabled());
        String url = r.text("url", "redis://" + rd.host() + ":" + rd.port(), u -> u.contains("@")
                || Section.looksLikeCredential(u) ? Section.CREDENTIALS
                : u.matches("rediss?://[^/:?#]+(:\\d{1,5})?(/\\d{1,2})?") ? null
                : "must be redis://host[:port][/db] or rediss://... (TLS), got " + Section.quote(u));
        String user = r.text("username", rd.username() == null ? "" : rd.username(), u -> null);
        String truststore = r.text("truststore", "", t -> null);
        String prefix = r.text("prefix", rd.keyPrefix(), p -> p.matches("[A-Za-z0-9_.-]{1,32}") ? null
                : "must be 1-32 letters, digits, '_', '.' or '-', got " + Section.quote(p));
        Duration tickRetention = r.seconds("tick_retention_seconds", rd.retentionOf("trade"), false);
        Duration minuteBars = Duration.ofHours(r.integer("minute_bar_retention_hours",
                (int) rd.retentionOf("bar:1m").toHours(), 1, 24 * 366, false));
        Duration dailyBars = Duration.ofDays(r.integer("daily_bar_retention_days",
                (int) rd.retentionOf("bar:1d").toDays(), 1, 3_660, false));
        Duration tickTtl = Duration.ofHours(r.integer("tick_ttl_hours", (int) rd.ttlOf("trade").toHours(), 1,
                24 * 366, false));
        Duration barTtl = Duration.ofDays(r.integer("bar_ttl_days", (int) rd.ttlOf("bar:1m").toDays(), 1, 3_660, false));
        int maxEntries = r.integer("max_entries", rd.maxEntries(), 0, 100_000_000, false);
        int queue = r.integer("queue_capacity", rd.queueCapacity(), 1, 1_000_000, false);
        int batch = r.integer("batch_size", rd.batchSize(), 1, 1_000_000, false);
        LivePublish live = LivePublish.of(r.oneOf("live_publish", rd.livePublish().token(),
                List.of("pubsub", "stream", "off")));
        int stream = r.integer("stream_max_len", (int) rd.streamMaxLen(), 1, 100_000_000, false);
        MemoryCacheConfig memory = new MemoryCacheConfig(memEntries, memTicks, memBars);
        if (!r.ok("url")) return new CacheConfig(memory, enabled, rd);
        RedisConfig redis = RedisConfig.fromUrl(url).withKeyPrefix(prefix)
                .withLimits(java.util.Map.of("trade", tickRetention, "quote", tickRetention, "bar:1s", tickRetention,
                        "bar:1m", minuteBars, "bar:1d", dailyBars, "status", minuteBars, "luld", minuteBars,
                        "imbalance", minuteBars),
                        java.util.Map.of("trade", tickTtl, "quote", tickTtl, "bar:1s", tickTtl, "bar:1m", barTtl,
                                "bar:1d", dailyBars.plusDays(5), "status", barTtl, "luld", barTtl, "imbalance", barTtl),
                        maxEntries)
                .withWriter(queue, batch, rd.flushInterval(), live, stream);
        if (!user.isEmpty()) redis = redis.withCredentials(user, null);
        if (!truststore.isEmpty()) redis = redis.withTls(java.nio.file.Path.of(truststore), null);
        return new CacheConfig(memory, enabled, redis);
    }

    private static StorageConfig storage(Section s, StorageConfig d) {
        String url = s.text("url", d.url(), u -> Section.looksLikeCredential(u) || u.contains("@") ? Section.CREDENTIALS
                : u.startsWith("jdbc:postgresql://") ? null
                : "must be a JDBC URL starting with jdbc:postgresql://, got " + Section.quote(u));
        String user = s.text("user", d.user(), u -> null);
        String mode = s.oneOf("mode", d.mode(), List.of("auto", "timescaledb", "postgresql"));
        boolean migrate = s.bool("migrate_on_start", d.migrateOnStart());
        Duration tickChunk = Duration.ofHours(s.integer("tick_chunk_hours", (int) d.tickChunkInterval().toHours(), 1, 168, false));
        Duration barChunk = Duration.ofDays(s.integer("bar_chunk_days", (int) d.barChunkInterval().toDays(), 1, 365, false));
        Duration tickCompress = Duration.ofHours(
                s.integer("tick_compress_after_hours", (int) d.tickCompressAfter().toHours(), 1, 8_760, false));
        Duration barCompress = Duration.ofDays(
                s.integer("bar_compress_after_days", (int) d.barCompressAfter().toDays(), 1, 3_650, false));
        int ticks = s.integer("tick_retention_days", d.tickRetentionDays(), 0, 36_500, false);
        int bars = s.integer("bar_retention_days", d.barRetentionDays(), 0, 36_500, false);
        int rollups = s.integer("rollup_retention_days", d.rollupRetentionDays(), 0, 36_500, false);
        if (rollups > 0 && rollups < 8) {
            s.problem("rollup_retention_days", "must be 0 (keep) or at least 8 (the daily roll-up refreshes the last "
                    + "7 days), got " + rollups);
        }
        int premake = s.integer("partition_premake_days", d.partitionPremakeDays(), 1, 60, false);
        int quarantine = s.integer("quarantine_retention_days", d.quarantineRetentionDays(), 0, 36_500, false);
        return new StorageConfig(url, user, mode, migrate, tickChunk, barChunk, tickCompress, barCompress, ticks, bars,
                rollups, premake, quarantine);
    }

    private static CleanerConfig cleaner(Section s, CleanerConfig d) {
        Duration future = s.seconds("max_future_seconds", d.maxFuture(), false);
        Duration age = s.seconds("max_age_seconds", d.maxAge(), false);
        double maxPrice = s.number("max_price", d.maxPrice(), 1, 1e12);
        long maxSize = (long) s.number("max_trade_size", d.maxSize(), 1, 1e15);
        int dedupe = s.integer("dedupe_window", d.dedupeWindow(), 16, 1_048_576, false);
        int window = s.integer("outlier_window", d.outlierWindow(), 8, 4_096, false);
        double k = s.number("outlier_mad_k", d.outlierMadK(), 1, 1_000);
        double fraction = s.number("outlier_min_fraction", d.outlierMinFraction(), 0, 10);
        Duration late = s.seconds("late_after_seconds", d.lateAfter(), false);
        List<String> tests = s.list("test_symbols", d.testSymbols(), t -> t.matches("[A-Z][A-Z0-9./]{0,19}\\*?") ? null
                : "must be a ticker, optionally ending in * for a prefix, got " + Section.quote(t));
        int quarantine = s.integer("quarantine_capacity", d.quarantineCapacity(), 1, 10_000_000, false);
        return new CleanerConfig(d.validate(), d.clean(), future, age, maxPrice, maxSize, dedupe, window, k, fraction,
                late, tests, quarantine);
    }

    private static BarConfig bars(Section s, BarConfig d) {
        String mode = s.oneOf("mode", d.mode().name().toLowerCase(), List.of("auto", "always", "off"));
        Duration secondEmit = s.seconds("second_emit_delay_seconds", d.secondEmitDelay(), true);
        Duration secondLate = s.seconds("second_late_window_seconds", d.secondLateWindow(), true);
        order(s, "second_emit_delay_seconds", secondEmit, "second_late_window_seconds", secondLate, true);
        Duration minuteEmit = s.seconds("minute_emit_delay_seconds", d.minuteEmitDelay(), true);
        Duration minuteLate = s.seconds("minute_late_window_seconds", d.minuteLateWindow(), true);
        order(s, "minute_emit_delay_seconds", minuteEmit, "minute_late_window_seconds", minuteLate, true);
        if (secondLate.compareTo(secondEmit) < 0 || minuteLate.compareTo(minuteEmit) < 0) return d;
        return new BarConfig(BarConfig.Mode.valueOf(mode.toUpperCase()), secondEmit, secondLate, minuteEmit, minuteLate,
                d.minuteLength());
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
