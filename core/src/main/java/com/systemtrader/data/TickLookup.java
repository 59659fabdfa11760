package com.systemtrader.data;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RangeQuery;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.storage.EventIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * One tier's trades or quotes of a time range, as {@link RealtimeDataProvider#getTrades} splits a range between the
 * tiers: each tier says from when it holds every event ({@link #heldFrom}: a cache holds the newest events since its
 * oldest, the database everything since its first row, REST all history), and each part of the range is read from
 * the freshest tier that holds it, so that every event is read from exactly one tier.
 */
interface TickLookup {
    Tier tier();

    /** Whether a failure of it cools the tier down; false for this process's memory. */
    boolean remote();

    /**
     * The time from which it holds every event of the series (inclusive, epoch ns), or empty when it holds none.
     * The oldest time it has is excluded: the events of that instant may have been partly evicted.
     */
    OptionalLong heldFrom(String symbol, DataSource source, RecordType type);

    /** At most {@code limit} events in {@code [fromNs, toNs)}, in {@link #ORDER}. */
    List<MarketEvent> range(String symbol, DataSource source, RecordType type, long fromNs, long toNs, int limit);

    /** The order of a range: event time, then identity (the storage's event id). */
    Comparator<MarketEvent> ORDER = Comparator.comparingLong(MarketEvent::eventTimeNs).thenComparing(TickLookup::id);

    /** The storage's identity of a trade or quote ({@code websocket_data.event_id}). */
    static String id(MarketEvent e) {
        return switch (e) {
            case Trade t -> EventIds.trade(t);
            case Quote q -> EventIds.quote(q);
            default -> throw new IllegalArgumentException("not a trade or quote: " + e.type());
        };
    }

    static TickLookup memory(MemoryDataCache memory) {
        return new TickLookup() {
            @Override public Tier tier() { return Tier.MEMORY; }
            @Override public boolean remote() { return false; }
            @Override public OptionalLong heldFrom(String symbol, DataSource source, RecordType type) {
                List<MarketEvent> oldest = memory.range(RangeQuery.all(SeriesKey.of(source, symbol, type), 1, false));
                return oldest.isEmpty() ? OptionalLong.empty() : OptionalLong.of(oldest.getFirst().eventTimeNs() + 1);
            }
            @Override public List<MarketEvent> range(String symbol, DataSource source, RecordType type, long fromNs,
                                                     long toNs, int limit) {
                List<MarketEvent> out = new ArrayList<>(memory.range(new RangeQuery(SeriesKey.of(source, symbol, type),
                        fromNs, toNs - 1, Integer.MAX_VALUE, false)));
                out.sort(ORDER);
                return out.size() <= limit ? out : out.subList(0, limit);
            }
        };
    }

    static TickLookup redis(RedisReader redis) {
        return new TickLookup() {
            @Override public Tier tier() { return Tier.REDIS; }
            @Override public boolean remote() { return true; }
            @Override public OptionalLong heldFrom(String symbol, DataSource source, RecordType type) {
                if (!RedisReader.kept(type)) return OptionalLong.empty();
                // members are scored in milliseconds and trimmed by rank: the oldest millisecond may be partial
                OptionalLong oldest = redis.oldestScoreMs(SeriesKey.of(source, symbol, type));
                return oldest.isEmpty() ? oldest : OptionalLong.of((oldest.getAsLong() + 1) * 1_000_000L);
            }
            @Override public List<MarketEvent> range(String symbol, DataSource source, RecordType type, long fromNs,
                                                     long toNs, int limit) {
                List<MarketEvent> out = new ArrayList<>(redis.events(SeriesKey.of(source, symbol, type), fromNs, toNs));
                out.sort(ORDER);
                return out.size() <= limit ? out : out.subList(0, limit);
            }
        };
    }

    static TickLookup database(DatabaseReader database) {
        return new TickLookup() {
            @Override public Tier tier() { return Tier.DATABASE; }
            @Override public boolean remote() { return true; }
            @Override public OptionalLong heldFrom(String symbol, DataSource source, RecordType type) {
                // time keeps microseconds: the oldest microsecond may hold more events than were stored
                OptionalLong oldest = database.oldestMicros(symbol, source, type);
                return oldest.isEmpty() ? oldest : OptionalLong.of((oldest.getAsLong() + 1) * 1_000L);
            }
            @Override public List<MarketEvent> range(String symbol, DataSource source, RecordType type, long fromNs,
                                                     long toNs, int limit) {
                return database.ticks(symbol, source, type, fromNs, toNs, limit);
            }
        };
    }

    static TickLookup rest(RestReader rest) {
        return new TickLookup() {
            @Override public Tier tier() { return Tier.REST; }
            @Override public boolean remote() { return true; }
            @Override public OptionalLong heldFrom(String symbol, DataSource source, RecordType type) {
                return rest.has(source) && rest.hasHistory(source, type) ? OptionalLong.of(Long.MIN_VALUE)
                        : OptionalLong.empty();
            }
            @Override public List<MarketEvent> range(String symbol, DataSource source, RecordType type, long fromNs,
                                                     long toNs, int limit) {
                List<MarketEvent> out = new ArrayList<>(rest.history(source, symbol, type, fromNs, toNs, limit));
                out.removeIf(e -> e.eventTimeNs() < fromNs || e.eventTimeNs() >= toNs); // the contract, checked
                out.sort(ORDER);
                return out.size() <= limit ? out : out.subList(0, limit);
            }
        };
    }
}
