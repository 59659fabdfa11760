package com.systemtrader.cache;

/**
 * A time range of one series: events with {@code fromNs <= eventTime <= toNs}, at most {@code limit}, oldest first
 * or newest first (newest first with a limit gives "the last N").
 */
public record RangeQuery(SeriesKey series, long fromNs, long toNs, int limit, boolean newestFirst) {
    public RangeQuery {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        if (toNs < fromNs) throw new IllegalArgumentException("range ends before it starts");
    }

    public static RangeQuery all(SeriesKey series, int limit, boolean newestFirst) {
        return new RangeQuery(series, Long.MIN_VALUE, Long.MAX_VALUE, limit, newestFirst);
    }
}
