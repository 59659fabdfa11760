package com.systemtrader.cache;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of the Redis cache. Credentials come from the URL ({@code redis://user:pass@host:port/db}) or from
 * {@code username}/{@code password}; {@code rediss://} (or {@code tls}) turns TLS on, with an optional truststore.
 * {@link #toString()} masks the password and the truststore password, and {@link #safeUrl()} is the only form of
 * the address that may be logged.
 *
 * @param retention       per type token ({@code trade}, {@code quote}, {@code bar:1m}, ...): how far back from a
 *                        series' newest event time entries are kept (ZREMRANGEBYSCORE once per key per batch)
 * @param ttl             per type token: EXPIRE of the series keys, refreshed on every batch that writes them
 * @param maxEntries      per series cap (ZREMRANGEBYRANK); 0 = no cap
 * @param queueCapacity   batches the writer queue holds; when full, the oldest batch is dropped (and counted).
 *                        Default 8,192: the pipelines hand over one batch per drain of their ring (a few to a few
 *                        hundred events), and 1,024 of them, a tenth of a second at 100,000 msg/s, overflowed
 *                        whenever the writer thread lost the CPU for that long on a saturated 2-core machine
 * @param batchSize       events per pipelined write (at most)
 * @param flushInterval   how long the writer waits to fill a batch before it writes what it has: while events flow it
 *                        sends at most one pipeline per interval; an event after a quiet period goes out at once
 * @param livePublish     live publication for out-of-process consumers: Pub/Sub (default), a stream, or off
 * @param streamMaxLen    entries kept in each live stream {@code md:stream:<type>} (XADD MAXLEN ~), when
 *                        {@code livePublish} is {@link LivePublish#STREAM}
 */
public record RedisConfig(String host, int port, int database, String username, String password, boolean tls,
                          Path truststore, String truststorePassword, String keyPrefix,
                          Map<String, Duration> retention, Map<String, Duration> ttl, int maxEntries,
                          int queueCapacity, int batchSize, Duration flushInterval, LivePublish livePublish,
                          long streamMaxLen, Duration timeout, Duration backoffBase, Duration backoffCap) {

    /** Default retention window per type token, relative to the series' newest event. */
    public static final Map<String, Duration> DEFAULT_RETENTION = Map.of(
            "trade", Duration.ofHours(1), "quote", Duration.ofHours(1), "bar:1s", Duration.ofHours(1),
            "bar:1m", Duration.ofDays(1), "bar:1d", Duration.ofDays(30), "status", Duration.ofDays(1),
            "luld", Duration.ofDays(1), "imbalance", Duration.ofDays(1));
    /** Default key TTL per type token. */
    public static final Map<String, Duration> DEFAULT_TTL = Map.of(
            "trade", Duration.ofHours(24), "quote", Duration.ofHours(24), "bar:1s", Duration.ofHours(24),
            "bar:1m", Duration.ofDays(7), "bar:1d", Duration.ofDays(35), "status", Duration.ofDays(7),
            "luld", Duration.ofDays(7), "imbalance", Duration.ofDays(7));

    public RedisConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("redis host is required");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("redis port out of range: " + port);
        if (keyPrefix == null || keyPrefix.isBlank()) keyPrefix = "md";
        retention = merged(DEFAULT_RETENTION, retention);
        ttl = merged(DEFAULT_TTL, ttl);
        if (queueCapacity < 1 || batchSize < 1) throw new IllegalArgumentException("queue capacity and batch size must be positive");
        if (flushInterval == null) flushInterval = Duration.ofMillis(5);
        if (livePublish == null) livePublish = LivePublish.PUBSUB;
        if (livePublish == LivePublish.STREAM && streamMaxLen < 1) {
            throw new IllegalArgumentException("stream length must be at least 1 for a live stream");
        }
        if (timeout == null) timeout = Duration.ofSeconds(2);
        if (backoffBase == null) backoffBase = Duration.ofMillis(200);
        if (backoffCap == null) backoffCap = Duration.ofSeconds(10);
    }

    /** Defaults for a server at {@code host:port}. */
    public static RedisConfig local(String host, int port) {
        return new RedisConfig(host, port, 0, null, null, false, null, null, "md", Map.of(), Map.of(), 100_000,
                8_192, 16_384, Duration.ofMillis(5), LivePublish.PUBSUB, 100_000, null, null, null);
    }

    /**
     * Parses {@code redis://[user[:password]@]host[:port][/db]} or {@code rediss://...} (TLS). User and password
     * are URL-decoded. The other settings take their defaults; use the {@code with...} methods to change them.
     */
    public static RedisConfig fromUrl(String url) {
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a redis URL (value not shown: it may hold a password)");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("redis URL must start with redis:// or rediss://, got " + scheme + "://");
        }
        String user = null;
        String pass = null;
        String info = u.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                pass = decode(info); // redis://secret@host: the password alone, as redis-cli -u reads it
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                pass = decode(info.substring(colon + 1));
            }
        }
        int db = 0;
        String path = u.getPath();
        if (path != null && path.length() > 1) db = Integer.parseInt(path.substring(1));
        RedisConfig d = local(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort());
        return new RedisConfig(d.host, d.port, db, user, pass, scheme.equals("rediss"), null, null, d.keyPrefix,
                d.retention, d.ttl, d.maxEntries, d.queueCapacity, d.batchSize, d.flushInterval, d.livePublish,
                d.streamMaxLen, d.timeout, d.backoffBase, d.backoffCap);
    }

    public RedisConfig withCredentials(String user, String pass) {
        return new RedisConfig(host, port, database, user, pass, tls, truststore, truststorePassword, keyPrefix,
                retention, ttl, maxEntries, queueCapacity, batchSize, flushInterval, livePublish, streamMaxLen, timeout,
                backoffBase, backoffCap);
    }

    public RedisConfig withTls(Path truststore, String truststorePassword) {
        return new RedisConfig(host, port, database, username, password, true, truststore, truststorePassword,
                keyPrefix, retention, ttl, maxEntries, queueCapacity, batchSize, flushInterval, livePublish, streamMaxLen,
                timeout, backoffBase, backoffCap);
    }

    public RedisConfig withKeyPrefix(String prefix) {
        return new RedisConfig(host, port, database, username, password, tls, truststore, truststorePassword,
                prefix, retention, ttl, maxEntries, queueCapacity, batchSize, flushInterval, livePublish, streamMaxLen,
                timeout, backoffBase, backoffCap);
    }

    public RedisConfig withLimits(Map<String, Duration> retention, Map<String, Duration> ttl, int maxEntries) {
        return new RedisConfig(host, port, database, username, password, tls, truststore, truststorePassword,
                keyPrefix, retention, ttl, maxEntries, queueCapacity, batchSize, flushInterval, livePublish, streamMaxLen,
                timeout, backoffBase, backoffCap);
    }

    public RedisConfig withWriter(int queueCapacity, int batchSize, Duration flushInterval, LivePublish livePublish,
                                  long streamMaxLen) {
        return new RedisConfig(host, port, database, username, password, tls, truststore, truststorePassword,
                keyPrefix, retention, ttl, maxEntries, queueCapacity, batchSize, flushInterval, livePublish, streamMaxLen,
                timeout, backoffBase, backoffCap);
    }

    public RedisConfig withBackoff(Duration timeout, Duration base, Duration cap) {
        return new RedisConfig(host, port, database, username, password, tls, truststore, truststorePassword,
                keyPrefix, retention, ttl, maxEntries, queueCapacity, batchSize, flushInterval, livePublish, streamMaxLen,
                timeout, base, cap);
    }

    public Duration retentionOf(String typeToken) {
        return retention.getOrDefault(typeToken, Duration.ofHours(1));
    }

    public Duration ttlOf(String typeToken) {
        return ttl.getOrDefault(typeToken, Duration.ofHours(24));
    }

    /** The address without credentials: {@code redis[s]://[user:****@]host:port/db}. Safe to log. */
    public String safeUrl() {
        String auth = password == null ? (username == null ? "" : username + "@")
                : (username == null ? "" : username) + ":****@";
        return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
    }

    @Override public String toString() {
        return "RedisConfig[url=" + safeUrl() + ", truststore=" + truststore
                + (truststorePassword == null ? "" : ", truststorePassword=****") + ", keyPrefix=" + keyPrefix
                + ", maxEntries=" + maxEntries + ", queueCapacity=" + queueCapacity + ", batchSize=" + batchSize
                + ", flushInterval=" + flushInterval + ", livePublish=" + livePublish.token() + ", streamMaxLen=" + streamMaxLen + ", retention=" + retention
                + ", ttl=" + ttl + "]";
    }

    private static Map<String, Duration> merged(Map<String, Duration> defaults, Map<String, Duration> given) {
        TreeMap<String, Duration> m = new TreeMap<>(defaults);
        if (given != null) m.putAll(given);
        return java.util.Collections.unmodifiableSortedMap(m);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
