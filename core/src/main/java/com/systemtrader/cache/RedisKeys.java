package com.systemtrader.cache;

import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import java.util.Locale;

/**
 * The public Redis key layout (docs/REDIS_SCHEMA.md). With the default prefix {@code md}:
 * <pre>
 *   md:{AAPL}:trade:polygon           ZSET   score = event time in epoch ms, member = {@link RedisCodec} JSON
 *   md:{AAPL}:bar:1m:derived          ZSET   one member per window (score = window start ms)
 *   md:{AAPL}:latest:trade:polygon    HASH   ts (event time ns), v (the member)
 *   md:idx:trade                      SET    symbols with data of the type (any source)
 *   md:stream:trade                   STREAM live publication, one entry per series and batch: sym, src, type, n, v
 *   md:schema                         STRING layout version ("1")
 * </pre>
 * {@code {AAPL}} is a Redis Cluster hash tag: all of a symbol's keys share one slot.
 */
public record RedisKeys(String prefix) {
    /** Version of this layout, written to {@code <prefix>:schema}. */
    public static final String VERSION = "1";

    public RedisKeys {
        if (prefix == null || prefix.isBlank()) prefix = "md";
    }

    /** The type token: trade, quote, bar:1s, bar:1m, bar:1d, status, luld, imbalance; null for types not kept. */
    public static String typeToken(RecordType type, BarInterval interval) {
        return switch (type) {
            case TRADE -> "trade";
            case QUOTE -> "quote";
            case BAR -> switch (interval) {
                case SECOND -> "bar:1s";
                case MINUTE, UPDATED_MINUTE -> "bar:1m";
                case DAILY -> "bar:1d";
            };
            case TRADING_STATUS -> "status";
            case LULD -> "luld";
            case IMBALANCE -> "imbalance";
            case TRADE_CORRECTION, TRADE_CANCEL, CONNECTION_STATUS -> null;
        };
    }

    public static String typeToken(SeriesKey k) {
        return typeToken(k.type(), k.interval());
    }

    /** Whether the Redis cache keeps this series' type. */
    public static boolean kept(RecordType type) {
        return typeToken(type, BarInterval.MINUTE) != null;
    }

    public static String sourceToken(DataSource s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** The token of the index and stream keys and live channels: the record type without the bar interval. */
    public static String indexToken(RecordType type) {
        String t = typeToken(type, BarInterval.MINUTE);
        return t == null ? null : (type == RecordType.BAR ? "bar" : t);
    }

    public String series(SeriesKey k) {
        return prefix + ":{" + k.symbol() + "}:" + typeToken(k) + ":" + sourceToken(k.source());
    }

    public String latest(SeriesKey k) {
        return prefix + ":{" + k.symbol() + "}:latest:" + typeToken(k) + ":" + sourceToken(k.source());
    }

    public String index(RecordType type) {
        return prefix + ":idx:" + indexToken(type);
    }

    /** The Pub/Sub channel of live publication for a type. */
    public String live(RecordType type) {
        return prefix + ":live:" + indexToken(type);
    }

    public String stream(RecordType type) {
        return prefix + ":stream:" + indexToken(type);
    }

    public String schema() {
        return prefix + ":schema";
    }

    /** Score of an event time: epoch milliseconds (floor), exact as a double. */
    public static double score(long eventTimeNs) {
        return Math.floorDiv(eventTimeNs, 1_000_000L);
    }
}
