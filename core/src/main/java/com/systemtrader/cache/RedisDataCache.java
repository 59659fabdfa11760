package com.systemtrader.cache;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.support.LogLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import com.systemtrader.sink.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Function;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The shared {@link DataCache}: writes go through a {@link RedisCacheWriter} (its own thread and connection,
 * {@link #addAll} never blocks on I/O); reads use a pooled client and need nothing but Redis, so a process that
 * starts late reads what others wrote. Key layout and member encoding: {@link RedisKeys}, {@link RedisCodec},
 * docs/REDIS_SCHEMA.md. A read that fails (Redis away) answers empty and is counted
 * ({@code cache.redis.read.errors}); {@link TieredDataCache} serves from memory then.
 */
public final class RedisDataCache implements DataCache {
    private static final Logger log = LoggerFactory.getLogger(RedisDataCache.class);
    /** Members fetched per ZRANGE page when the ms score bounds must be refined by the ns in the member. */
    private static final int PAGE = 512;

    private final RedisConfig config;
    private final RedisKeys keys;
    private final RedisCacheWriter writer;
    /** The pooled read client, made at the first read (its pool's evictor is a thread); null until then. */
    private RedisClient reader;
    private final AtomicLong readErrors = new AtomicLong();
    private final LogLimiter readFailureLog = LogLimiter.perMinute();

    /** {@code recent} (may be null) is what the writer rewrites after Redis was away. Starts nothing: {@link #start()}. */
    public RedisDataCache(RedisConfig config, MemoryDataCache recent) {
        this.config = config;
        this.keys = new RedisKeys(config.keyPrefix());
        this.writer = new RedisCacheWriter(config, recent);
        log.info("Redis cache {} (prefix {})", config.safeUrl(), config.keyPrefix());
    }

    /** Starts the writer's thread; reads work without it. */
    public RedisDataCache start() {
        writer.start();
        return this;
    }

    public RedisCacheWriter writer() { return writer; }
    public RedisKeys keys() { return keys; }
    public long readErrors() { return readErrors.get(); }

    public void bindTo(MeterRegistry registry) {
        writer.bindTo(registry);
        FunctionCounter.builder("cache.redis.read.errors", readErrors, AtomicLong::get)
                .description("Redis reads that failed (answered from memory or empty)").register(registry);
    }

    @Override public void addAll(List<? extends MarketEvent> events) {
        writer.offer(events);
    }

    /**
     * One {@code CONFLATE} sink named {@code redis}: {@link #addAll} never waits, a full queue drops its oldest batch
     * and the writer rewrites the recent window from the memory cache once it has caught up
     * ({@link RedisCacheWriter}); depth in batches.
     */
    @Override public List<EventSink> sinks() {
        return List.of(new CacheSink("redis", com.systemtrader.sink.Overflow.CONFLATE, this, writer::queueDepth,
                writer::dropped));
    }

    @Override public Optional<MarketEvent> latest(SeriesKey series) {
        if (!RedisKeys.kept(series.type())) return Optional.empty();
        try {
            Map<String, String> h = read(r -> r.hgetAll(keys.latest(series)));
            String v = h == null ? null : h.get("v");
            return v == null ? Optional.empty() : Optional.of(RedisCodec.decode(series, v));
        } catch (RuntimeException e) {
            readFailed(e);
            return Optional.empty();
        }
    }

    /**
     * Scores are whole milliseconds, so the ms bounds are widened to cover the ns range and members outside it
     * (same ms, other ns) are filtered out by the ns at the head of each member; pages continue until
     * {@code limit} events are found or the range is exhausted.
     */
    @Override public List<MarketEvent> range(RangeQuery q) {
        if (!RedisKeys.kept(q.series().type())) return List.of();
        String key = keys.series(q.series());
        String lo = q.fromNs() == Long.MIN_VALUE ? "-inf" : Long.toString((long) RedisKeys.score(q.fromNs()));
        String hi = q.toNs() == Long.MAX_VALUE ? "+inf" : Long.toString((long) RedisKeys.score(q.toNs()));
        List<MarketEvent> out = new ArrayList<>(Math.min(q.limit(), 1024));
        try {
            int offset = 0;
            while (out.size() < q.limit()) {
                int want = Math.min(PAGE, q.limit() - out.size() + 2);
                int off = offset;
                List<String> page = read(r -> q.newestFirst() ? r.zrevrangeByScore(key, hi, lo, off, want)
                        : r.zrangeByScore(key, lo, hi, off, want));
                for (String m : page) {
                    long t = RedisCodec.eventTimeNs(m);
                    if (t < q.fromNs() || t > q.toNs()) continue;
                    out.add(RedisCodec.decode(q.series(), m));
                    if (out.size() == q.limit()) break;
                }
                if (page.size() < want) break;
                offset += page.size();
            }
        } catch (RuntimeException e) {
            readFailed(e);
            return List.of();
        }
        // Within one ms the set orders by member text, which starts with the 19-digit ns, so this is a no-op
        // unless event times of different digit counts share a key; kept as a guard.
        out.sort(q.newestFirst() ? (a, b) -> Long.compare(b.eventTimeNs(), a.eventTimeNs())
                : (a, b) -> Long.compare(a.eventTimeNs(), b.eventTimeNs()));
        return out;
    }

    @Override public Set<String> symbols(RecordType type) {
        if (!RedisKeys.kept(type)) return Set.of();
        try {
            return Set.copyOf(read(r -> r.smembers(keys.index(type))));
        } catch (RuntimeException e) {
            readFailed(e);
            return Set.of();
        }
    }

    /** Trims every series this process wrote to its retention relative to {@code nowNs} (via the writer). */
    @Override public void expire(long nowNs) {
        writer.expire(nowNs);
    }

    @Override public void close() {
        writer.close();
        RedisClient r;
        synchronized (this) {
            r = reader;
            reader = null;
        }
        if (r != null) r.close();
    }

    private synchronized RedisClient reader() {
        if (reader == null) reader = RedisClients.pooled(config, "systemtrader-cache-reader");
        return reader;
    }

    /**
     * Runs a read, once more if the connection broke: after a server restart the pool still holds connections to
     * the old server, and the first use of each fails (the pool then discards it).
     */
    private <T> T read(Function<RedisClient, T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.apply(reader());
            } catch (JedisConnectionException e) {
                if (attempt == 3) throw e;
            }
        }
    }

    private void readFailed(RuntimeException e) {
        long n = readErrors.incrementAndGet();
        long skipped = readFailureLog.admit();
        if (skipped >= 0) {
            log.warn("Redis cache read failed ({} so far): {}{}", n,
                    RedisClients.mask(config, e.getClass().getSimpleName() + ": " + e.getMessage()),
                    LogLimiter.skippedNote(skipped));
        }
    }
}
