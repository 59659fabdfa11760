package com.systemtrader.data;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RangeQuery;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One tier's bars, as {@link RealtimeDataProvider#getOhlcv} asks the tiers in order (memory, Redis, the database,
 * each vendor's REST API): the bars of one origin, source and interval whose bucket starts in a range. The provider
 * loops over its list of look-ups with the same merge and labelling for every tier; what differs between tiers is
 * here. Every look-up answers bars in their final values and state ({@link BarState}) at {@code nowNs}, oldest
 * first, never another origin than asked.
 */
interface BarLookup {
    /** The tier it reads. */
    Tier tier();

    /** The one source it reads (a vendor's REST API); null when it reads any source asked. */
    DataSource source();

    /** Whether a failure of it cools the tier down ({@link TierGuard}); false for this process's memory. */
    boolean remote();

    /** Whether it can hold bars of this origin and interval (the caches hold minutes, not days). */
    boolean holds(BarOrigin origin, OhlcvInterval interval);

    /** The newest {@code limit} bars starting in {@code [fromNs, toNs)}, oldest first. */
    List<OhlcvBar> bars(String symbol, DataSource source, BarOrigin origin, OhlcvInterval interval, long fromNs,
                        long toNs, int limit, long nowNs);

    /** Where each origin's minute bars of {@code source} live in the caches (built: the derived series, one per origin). */
    static SeriesKey minuteSeries(DataSource source, String symbol, BarOrigin origin) {
        return SeriesKey.bars(origin == BarOrigin.BUILT ? DataSource.DERIVED : source, symbol, BarInterval.MINUTE);
    }

    /** Whether {@code b}, read from {@link #minuteSeries}, is of {@code source} (the derived series holds every origin). */
    static boolean of(Bar b, DataSource source) {
        return b.origin() == source;
    }

    static BarLookup memory(MemoryDataCache memory) {
        return new CacheLookup(Tier.MEMORY, false) {
            @Override List<Bar> minutes(String symbol, DataSource source, BarOrigin origin, long fromNs, long toNs) {
                List<MarketEvent> events = memory.range(new RangeQuery(minuteSeries(source, symbol, origin), fromNs,
                        toNs - 1, Integer.MAX_VALUE, false));
                List<Bar> out = new ArrayList<>(events.size());
                for (MarketEvent e : events) if (e instanceof Bar b && of(b, source)) out.add(b);
                return out;
            }
        };
    }

    static BarLookup redis(RedisReader redis) {
        return new CacheLookup(Tier.REDIS, true) {
            @Override List<Bar> minutes(String symbol, DataSource source, BarOrigin origin, long fromNs, long toNs) {
                List<Bar> out = new ArrayList<>();
                for (Bar b : redis.minuteBars(minuteSeries(source, symbol, origin), fromNs, toNs)) {
                    if (of(b, source)) out.add(b);
                }
                return out;
            }
        };
    }

    static BarLookup database(DatabaseReader database) {
        return new BarLookup() {
            @Override public Tier tier() { return Tier.DATABASE; }
            @Override public DataSource source() { return null; }
            @Override public boolean remote() { return true; }
            @Override public boolean holds(BarOrigin origin, OhlcvInterval interval) { return true; }
            @Override public List<OhlcvBar> bars(String symbol, DataSource source, BarOrigin origin,
                                                 OhlcvInterval interval, long fromNs, long toNs, int limit, long nowNs) {
                if (origin == BarOrigin.BUILT) return database.rollups(symbol, source, interval, fromNs, toNs, limit, nowNs);
                if (interval == OhlcvInterval.D1) return database.providerBars(symbol, source, "1d", fromNs, toNs, limit, nowNs);
                long from = MinuteAggregation.readFrom(fromNs, interval);
                List<OhlcvBar> minutes = database.providerBars(symbol, source, "1m", from, toNs, Integer.MAX_VALUE, nowNs);
                return MinuteAggregation.newest(MinuteAggregation.of(minutes, interval, fromNs, nowNs), limit);
            }
        };
    }

    /**
     * The vendor's REST API: its aggregates for provider bars; for built bars its trades, through the live rules,
     * over at most {@link #REST_TRADES_SPAN_NS} before the range's end (and for a last-N request the N buckets
     * before it), never daily bars: every trade of the span is fetched.
     */
    static BarLookup rest(RestReader rest, DataSource source) {
        return new BarLookup() {
            @Override public Tier tier() { return Tier.REST; }
            @Override public DataSource source() { return source; }
            @Override public boolean remote() { return true; }
            @Override public boolean holds(BarOrigin origin, OhlcvInterval interval) {
                return origin == BarOrigin.PROVIDER || interval != OhlcvInterval.D1;
            }
            @Override public List<OhlcvBar> bars(String symbol, DataSource src, BarOrigin origin,
                                                 OhlcvInterval interval, long fromNs, long toNs, int limit, long nowNs) {
                if (origin == BarOrigin.PROVIDER) {
                    return MinuteAggregation.newest(rest.bars(src, symbol, interval, fromNs, toNs, nowNs), limit);
                }
                long span = limit == Integer.MAX_VALUE ? REST_TRADES_SPAN_NS
                        : Math.min(REST_TRADES_SPAN_NS, (limit + 1L) * interval.nanos());
                long from = Math.max(fromNs, toNs - span);
                return MinuteAggregation.newest(rest.builtBars(src, symbol, interval, from, toNs, nowNs), limit);
            }
        };
    }

    /** The longest span of REST trades fetched to build bars: 6 hours. */
    long REST_TRADES_SPAN_NS = 6 * 3_600_000_000_000L;

    /** Memory and Redis: minute bars, aggregated to the interval asked; no daily bars (they hold too few days). */
    abstract class CacheLookup implements BarLookup {
        private final Tier tier;
        private final boolean remote;

        CacheLookup(Tier tier, boolean remote) {
            this.tier = tier;
            this.remote = remote;
        }

        /** The minute bars of {@code source} and {@code origin} starting in {@code [fromNs, toNs)}, oldest first. */
        abstract List<Bar> minutes(String symbol, DataSource source, BarOrigin origin, long fromNs, long toNs);

        @Override public Tier tier() { return tier; }
        @Override public DataSource source() { return null; }
        @Override public boolean remote() { return remote; }
        @Override public boolean holds(BarOrigin origin, OhlcvInterval interval) { return interval != OhlcvInterval.D1; }

        @Override public List<OhlcvBar> bars(String symbol, DataSource source, BarOrigin origin,
                                             OhlcvInterval interval, long fromNs, long toNs, int limit, long nowNs) {
            List<Bar> held = minutes(symbol, source, origin, MinuteAggregation.readFrom(fromNs, interval), toNs);
            List<OhlcvBar> minutes = new ArrayList<>(held.size());
            for (Bar b : held) {
                BarState closed = b.interval() == BarInterval.UPDATED_MINUTE ? BarState.REVISED : BarState.FINAL;
                minutes.add(new OhlcvBar(b.eventTimeNs(), b.open(), b.high(), b.low(), b.close(), Math.max(0, b.volume()),
                        b.vwap(), com.systemtrader.schema.Absent.isAbsent(b.tradeCount()) ? -1 : b.tradeCount(),
                        BarState.at(b.eventTimeNs(), OhlcvInterval.M1.nanos(), nowNs, closed), origin, tier, source));
            }
            return MinuteAggregation.newest(MinuteAggregation.of(minutes, interval, fromNs, nowNs), limit);
        }
    }
}
