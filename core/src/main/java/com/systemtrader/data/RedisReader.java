package com.systemtrader.data;

import com.systemtrader.cache.RedisCodec;
import com.systemtrader.cache.RedisClients;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisKeys;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

/**
 * The provider's reads from the Redis cache's public layout (docs/REDIS_SCHEMA.md): latest hashes of many series
 * in one pipeline, and the newest minute bars of a series. Unlike {@link com.systemtrader.cache.RedisDataCache},
 * which answers empty when Redis is away, every failure here throws, so the provider can tell "down" from
 * "nothing held" and say so. It has its own pooled client, built as the cache builds its ({@code RedisClients}).
 */
final class RedisReader implements AutoCloseable {
    private final RedisConfig config;
    private final RedisKeys keys;
    private volatile RedisClient client;

    RedisReader(RedisConfig config) {
        this.config = config;
        this.keys = new RedisKeys(config.keyPrefix());
    }


    /** The latest event per series (absent when not held), read with one pipeline. */
    Map<SeriesKey, MarketEvent> latest(List<SeriesKey> series) {
        Map<SeriesKey, MarketEvent> out = new HashMap<>(series.size() * 2);
        if (series.isEmpty()) return out;
        List<Response<String>> responses = new ArrayList<>(series.size());
        try (AbstractPipeline p = client().pipelined()) {
            for (SeriesKey k : series) responses.add(p.hget(keys.latest(k), "v"));
            p.sync();
        }
        for (int i = 0; i < series.size(); i++) {
            String v = responses.get(i).get();
            if (v != null) out.put(series.get(i), RedisCodec.decode(series.get(i), v));
        }
        return out;
    }

    /** The latest event of one series, or null (one round trip). */
    MarketEvent latest(SeriesKey series) {
        String v = client().hget(keys.latest(series), "v");
        return v == null ? null : RedisCodec.decode(series, v);
    }

    /** Up to {@code limit} newest minute bars of {@code source} (provider bars; built ones of that origin otherwise), oldest first. */
    /** The bars of series {@code k} whose window starts in {@code [fromNs, toNs)}, oldest first (scores are ms). */
    List<Bar> minuteBars(SeriesKey k, long fromNs, long toNs) {
        String lo = Long.toString(Math.floorDiv(fromNs, 1_000_000L) + (Math.floorMod(fromNs, 1_000_000L) == 0 ? 0 : 1));
        String hi = "(" + Math.ceilDiv(toNs, 1_000_000L);
        List<String> members = client().zrangeByScore(keys.series(k), lo, hi);
        List<Bar> out = new ArrayList<>(members.size());
        for (String m : members) out.add((Bar) RedisCodec.decode(k, m));
        return out;
    }

    /** The score (epoch ms) of the series' oldest member, or empty when it has none. */
    OptionalLong oldestScoreMs(SeriesKey k) {
        List<redis.clients.jedis.resps.Tuple> first = client().zrangeWithScores(keys.series(k), 0, 0);
        return first.isEmpty() ? OptionalLong.empty() : OptionalLong.of((long) first.getFirst().getScore());
    }

    /** The events of series {@code k} with event time in {@code [fromNs, toNs)}, oldest first. */
    List<MarketEvent> events(SeriesKey k, long fromNs, long toNs) {
        List<String> members = client().zrangeByScore(keys.series(k), Long.toString(Math.floorDiv(fromNs, 1_000_000L)),
                Long.toString(Math.floorDiv(toNs - 1, 1_000_000L)));
        List<MarketEvent> out = new ArrayList<>(members.size());
        for (String m : members) {
            MarketEvent e = RedisCodec.decode(k, m);
            if (e.eventTimeNs() >= fromNs && e.eventTimeNs() < toNs) out.add(e);
        }
        return out;
    }

    static boolean kept(RecordType type) {
        return RedisKeys.kept(type);
    }

    private RedisClient client() {
        RedisClient c = client;
        if (c != null) return c;
        synchronized (this) {
            if (client == null) client = build(config);
            return client;
        }
    }

    private static RedisClient build(RedisConfig c) {
        return RedisClients.pooled(c, "systemtrader-provider");
    }

    /** {@code text} with the Redis passwords masked. */
    String mask(String text) {
        return RedisClients.mask(config, text);
    }

    @Override public void close() {
        RedisClient c = client;
        if (c != null) c.close();
    }
}
