package com.systemtrader.data;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tier's look-up of latest trades or quotes, as {@link RealtimeDataProvider} asks the tiers in order: what it
 * holds for the asked symbols, per symbol and source. The provider loops over its list of look-ups (memory, Redis,
 * the database, then each vendor's REST API) with the same judgement of every answer; what differs between tiers
 * is here.
 */
interface LatestLookup {
    /** The tier it reads. */
    Tier tier();

    /** The one source it reads (a vendor's REST API); null when it reads every source in one go. */
    DataSource source();

    /** Whether a failure of it cools the tier down ({@link TierGuard}); false for this process's memory. */
    boolean remote();

    /** Whether it holds values of {@code type}. */
    default boolean keeps(RecordType type) { return true; }

    /** Of {@code open}, the symbols worth asking it; {@code skipped} records why one is not asked. */
    default List<String> askable(List<String> open, RecordType type, Skipped skipped) { return open; }

    /** The values it holds, by symbol then source (missing: it has none). */
    Map<String, Map<DataSource, Tick>> latest(List<String> symbols, List<DataSource> sources, RecordType type);

    /** What it answered for {@code asked} (a look-up that remembers misses learns here). */
    default void answered(List<String> asked, Map<String, Map<DataSource, Tick>> got, RecordType type) {}

    /** Receives the reason a symbol was not asked. */
    @FunctionalInterface
    interface Skipped {
        void skip(String symbol, Attempt attempt);
    }

    static LatestLookup memory(MemoryDataCache memory) {
        return new LatestLookup() {
            @Override public Tier tier() { return Tier.MEMORY; }
            @Override public DataSource source() { return null; }
            @Override public boolean remote() { return false; }
            @Override public Map<String, Map<DataSource, Tick>> latest(List<String> symbols, List<DataSource> sources,
                                                                        RecordType type) {
                Map<String, Map<DataSource, Tick>> out = new HashMap<>(symbols.size() * 2);
                for (String s : symbols) {
                    for (DataSource src : sources) {
                        MarketEvent e = memory.latest(SeriesKey.of(src, s, type)).orElse(null);
                        if (e != null) out.computeIfAbsent(s, k -> new HashMap<>(4)).put(src, Tick.of(e));
                    }
                }
                return out;
            }
        };
    }

    static LatestLookup redis(RedisReader redis) {
        return new LatestLookup() {
            @Override public Tier tier() { return Tier.REDIS; }
            @Override public DataSource source() { return null; }
            @Override public boolean remote() { return true; }
            @Override public boolean keeps(RecordType type) { return RedisReader.kept(type); }
            @Override public Map<String, Map<DataSource, Tick>> latest(List<String> symbols, List<DataSource> sources,
                                                                        RecordType type) {
                List<SeriesKey> keys = new ArrayList<>(symbols.size() * sources.size());
                for (String s : symbols) for (DataSource src : sources) keys.add(SeriesKey.of(src, s, type));
                Map<String, Map<DataSource, Tick>> out = new HashMap<>(symbols.size() * 2);
                if (keys.size() == 1) { // one round trip without a pipeline
                    MarketEvent e = redis.latest(keys.getFirst());
                    if (e != null) out.put(e.symbol(), Map.of(e.source(), Tick.of(e)));
                    return out;
                }
                for (Map.Entry<SeriesKey, MarketEvent> e : redis.latest(keys).entrySet()) {
                    out.computeIfAbsent(e.getKey().symbol(), k -> new HashMap<>(4))
                            .put(e.getKey().source(), Tick.of(e.getValue()));
                }
                return out;
            }
        };
    }

    static LatestLookup database(DatabaseReader database) {
        return new LatestLookup() {
            @Override public Tier tier() { return Tier.DATABASE; }
            @Override public DataSource source() { return null; }
            @Override public boolean remote() { return true; }
            @Override public Map<String, Map<DataSource, Tick>> latest(List<String> symbols, List<DataSource> sources,
                                                                        RecordType type) {
                return database.latest(symbols, sources, type);
            }
        };
    }

    /** One vendor's REST API; a symbol it had nothing for is not asked again for {@code RestMisses}' time. */
    static LatestLookup rest(RestReader rest, DataSource source, RestMisses misses, long missTtlSeconds) {
        return new LatestLookup() {
            @Override public Tier tier() { return Tier.REST; }
            @Override public DataSource source() { return source; }
            @Override public boolean remote() { return true; }
            @Override public List<String> askable(List<String> open, RecordType type, Skipped skipped) {
                List<String> ask = new ArrayList<>(open.size());
                for (String s : open) {
                    if (misses.known(source, type, s)) {
                        skipped.skip(s, new Attempt(Tier.REST, source, Attempt.Outcome.EMPTY,
                                "nothing at the last ask, less than " + missTtlSeconds + " s ago"));
                    } else {
                        ask.add(s);
                    }
                }
                return ask;
            }
            @Override public Map<String, Map<DataSource, Tick>> latest(List<String> symbols, List<DataSource> sources,
                                                                        RecordType type) {
                Map<String, Map<DataSource, Tick>> out = new HashMap<>(symbols.size() * 2);
                rest.latest(source, symbols, type).forEach((s, t) -> out.put(s, Map.of(source, t)));
                return out;
            }
            @Override public void answered(List<String> asked, Map<String, Map<DataSource, Tick>> got, RecordType type) {
                for (String s : asked) {
                    if (got.containsKey(s)) misses.forget(source, type, s); else misses.record(source, type, s);
                }
            }
        };
    }
}
