package com.systemtrader.data;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RangeQuery;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.storage.Database;
import com.systemtrader.vendor.VendorModule;
import com.systemtrader.vendor.VendorRest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Latest prices and quotes, OHLCV series and multi-symbol prices from the freshest place that has them: memory,
 * then Redis, then the database, then the providers' REST APIs. Every answer says where it came from
 * ({@link Provenance}: tier, source, as-of time, staleness, and every tier and source looked at).
 *
 * <p><b>Resolution</b> (latest trade / quote, one symbol or many): tiers in the order above; within a tier the
 * sources in preference order ({@link Builder#sources}, or only the one asked for). A value is <i>fresh</i> when
 * {@code now - eventTime <= maxAge} (per call, or {@link Builder#maxAge} globally); the first fresh value
 * answers. A stale value is kept as a candidate and the next tier is asked. When no tier has a fresh value the
 * freshest stale one is returned with {@code fresh = false}; when no tier has any value,
 * {@link DataUnavailableException} lists every attempt.
 *
 * <p><b>Failures</b>: a tier (or a REST source) that throws is skipped for the call, counted
 * ({@code provider.tier.failures}), listed in the answer's attempts with the reason, and not asked again for
 * {@link Builder#retryAfter} (listed as skipped). A symbol a REST source answered with nothing (unknown, delisted)
 * is not asked of that source again for {@link #REST_MISS_TTL} (listed as empty: {@link RestMisses}), so that a
 * client asking for a wrong ticker does not spend the key's rate limit on every request.
 *
 * <p><b>OHLCV</b>: 1m/5m/15m/1h bars from the caches' minute bars (aggregated for the longer intervals), then the
 * {@code ohlcv_*} view when the cache has fewer bars than asked or its newest is stale, then REST aggregates
 * when still short or stale (the database had nothing, was down, or lags). Each bucket comes from one tier:
 * cache over database for the newest buckets, REST only where nobody else had the bucket.
 *
 * <p><b>Batching</b>: {@link #getMultiSymbolPrices} asks each tier once for all symbols still open: one memory
 * pass, one Redis pipeline, one SQL statement, one REST snapshot / latest call per provider (per 100 symbols).
 *
 * <p>Thread-safe. Owns (and closes) its Redis client and its database connections; the memory cache and the
 * REST clients are the caller's.
 */
public final class RealtimeDataProvider implements AutoCloseable {
    /** Default freshness limit. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);
    private static final long DAY_NS = 86_400_000_000_000L;

    private final MemoryDataCache memory;
    private final RedisReader redis;
    private final DatabaseReader database;
    private final RestReader rest;
    private final List<DataSource> sources;
    private final Duration maxAge;
    private final LongSupplier clock;
    private final TierGuard guard;
    private final List<AutoCloseable> owned;
    /** How long a symbol REST had nothing for is not asked again (per source and record type). */
    static final Duration REST_MISS_TTL = Duration.ofSeconds(60);
    private final RestMisses restMisses = new RestMisses(REST_MISS_TTL.toNanos(), System::nanoTime);
    /** The tiers asked for latest values, in order: memory, Redis, the database, each source's REST API. */
    private final List<LatestLookup> lookups;

    private RealtimeDataProvider(Builder b) {
        this.owned = List.copyOf(b.owned);
        this.memory = b.memory;
        this.redis = b.redis == null ? null : new RedisReader(b.redis);
        this.database = b.database == null ? null : new DatabaseReader(new ConnectionPool(b.database, b.poolSize,
                b.borrowTimeout, b.queryTimeout));
        this.rest = b.vendors.isEmpty() ? null : new RestReader(b.vendors, b.restPageLimit);
        this.sources = List.copyOf(b.sources);
        this.maxAge = b.maxAge;
        this.clock = b.clock;
        this.guard = new TierGuard(b.retryAfter, System::nanoTime, b.registry);
        if (redis != null) guard.scrubWith(redis::mask); // no Redis password in a failure reason
        List<LatestLookup> l = new ArrayList<>();
        if (memory != null) l.add(LatestLookup.memory(memory));
        if (redis != null) l.add(LatestLookup.redis(redis));
        if (database != null) l.add(LatestLookup.database(database));
        for (DataSource s : sources) {
            if (rest != null && rest.has(s)) l.add(LatestLookup.rest(rest, s, restMisses, REST_MISS_TTL.toSeconds()));
        }
        this.lookups = List.copyOf(l);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sources in preference order. */
    public List<DataSource> sources() { return sources; }

    /** The global freshness limit. */
    public Duration maxAge() { return maxAge; }

    /** The tiers configured, in resolution order. */
    public Set<Tier> tiers() {
        Set<Tier> t = EnumSet.noneOf(Tier.class);
        if (memory != null) t.add(Tier.MEMORY);
        if (redis != null) t.add(Tier.REDIS);
        if (database != null) t.add(Tier.DATABASE);
        if (rest != null) t.add(Tier.REST);
        return t;
    }

    // ---- latest price / quote ----

    public LatestPrice getLatestPrice(String symbol) {
        return getLatestPrice(symbol, null, maxAge);
    }

    public LatestPrice getLatestPrice(String symbol, DataSource source) {
        return getLatestPrice(symbol, source, maxAge);
    }

    /** @param source only this source; null for any, in preference order */
    public LatestPrice getLatestPrice(String symbol, DataSource source, Duration maxAge) {
        long now = clock.getAsLong();
        LatestPrice fast = memoryFastPath(symbol, source, maxAge, now);
        if (fast != null) return fast;
        Found f = resolve(List.of(symbol), RecordType.TRADE, source, maxAge, now, new ArrayList<>()).get(symbol);
        if (f.tick == null) throw new DataUnavailableException("the latest price of " + symbol + sourceText(source), f.attempts);
        return price(symbol, f, now, maxAge);
    }

    public LatestQuote getLatestQuote(String symbol) {
        return getLatestQuote(symbol, null, maxAge);
    }

    public LatestQuote getLatestQuote(String symbol, DataSource source) {
        return getLatestQuote(symbol, source, maxAge);
    }

    public LatestQuote getLatestQuote(String symbol, DataSource source, Duration maxAge) {
        long now = clock.getAsLong();
        Found f = resolve(List.of(symbol), RecordType.QUOTE, source, maxAge, now, new ArrayList<>()).get(symbol);
        if (f.tick == null) throw new DataUnavailableException("the latest quote of " + symbol + sourceText(source), f.attempts);
        Tick t = f.tick;
        return new LatestQuote(symbol, t.bid(), t.bidSize(), t.ask(), t.askSize(), t.eventNs(),
                provenance(f, now, maxAge));
    }

    // ---- multi-symbol prices ----

    public MultiPrices getMultiSymbolPrices(Collection<String> symbols) {
        return getMultiSymbolPrices(symbols, null, maxAge);
    }

    public MultiPrices getMultiSymbolPrices(Collection<String> symbols, DataSource source, Duration maxAge) {
        List<String> list = List.copyOf(new LinkedHashSet<>(symbols));
        long now = clock.getAsLong();
        List<Attempt> batch = new ArrayList<>();
        Map<String, Found> found = resolve(list, RecordType.TRADE, source, maxAge, now, batch);
        Map<String, LatestPrice> prices = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String s : list) {
            Found f = found.get(s);
            if (f.tick == null) missing.add(s);
            else prices.put(s, price(s, f, now, maxAge));
        }
        return new MultiPrices(prices, missing, batch);
    }

    // ---- OHLCV ----

    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval) {
        return getOhlcv(symbol, bars, interval, null, maxAge);
    }

    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval, DataSource source) {
        return getOhlcv(symbol, bars, interval, source, maxAge);
    }

    /**
     * The newest {@code bars} bars, oldest first. The series is fresh when its newest bar ended no more than one
     * interval plus {@code maxAge} ago (the last closed window is there).
     */
    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval, DataSource source, Duration maxAge) {
        if (bars < 1) throw new IllegalArgumentException("bars must be >= 1");
        long now = clock.getAsLong();
        long ivNs = interval.nanos();
        long freshNs = ivNs + maxAge.toNanos();
        List<Attempt> attempts = new ArrayList<>();
        List<List<Attempt>> lists = List.of(attempts);
        DataSource chosen = source;
        TreeMap<Long, OhlcvBar> merged = new TreeMap<>();

        // 1. the caches' minute bars (not for daily bars: the caches hold too few days)
        List<OhlcvBar> tail = List.of();
        if (interval != OhlcvInterval.D1) {
            int minutes = Math.min(bars * interval.minutes() + interval.minutes(), 20_000);
            if (memory != null) {
                for (DataSource s : candidates(chosen)) {
                    List<Bar> m = memoryMinuteBars(s, symbol, minutes);
                    if (m.isEmpty()) {
                        attempts.add(new Attempt(Tier.MEMORY, s, Attempt.Outcome.EMPTY, ""));
                        continue;
                    }
                    tail = aggregate(m, interval, Tier.MEMORY, s);
                    attempts.add(seriesAttempt(Tier.MEMORY, s, tail, now, ivNs, freshNs));
                    chosen = s;
                    break;
                }
            }
            if (redis != null && (tail.size() < bars || stale(tail, now, ivNs, freshNs))) {
                for (DataSource s : candidates(chosen)) {
                    var r = guard.call(Tier.REDIS, null, lists, () -> redis.minuteBars(s, symbol, minutes));
                    if (r.isEmpty()) break;
                    List<Bar> m = r.get();
                    if (m.isEmpty()) {
                        attempts.add(new Attempt(Tier.REDIS, s, Attempt.Outcome.EMPTY, ""));
                        continue;
                    }
                    List<OhlcvBar> fromRedis = aggregate(m, interval, Tier.REDIS, s);
                    attempts.add(seriesAttempt(Tier.REDIS, s, fromRedis, now, ivNs, freshNs));
                    if (fromRedis.size() > tail.size() || newest(fromRedis) > newest(tail)) {
                        tail = fromRedis;
                        chosen = s;
                    }
                    break;
                }
            }
        }
        // 2. the database view
        long lookback = interval == OhlcvInterval.D1 ? (long) (bars * 1.5 + 10) * DAY_NS : bars * ivNs + 4 * DAY_NS;
        if (database != null && (tail.size() < bars || stale(tail, now, ivNs, freshNs))) {
            for (DataSource s : candidates(chosen)) {
                var r = guard.call(Tier.DATABASE, s, lists, () -> database.bars(symbol, s, interval, bars, now - lookback));
                if (r.isEmpty()) break;
                List<OhlcvBar> rows = r.get();
                if (rows.isEmpty()) {
                    attempts.add(new Attempt(Tier.DATABASE, s, Attempt.Outcome.EMPTY, ""));
                    continue;
                }
                attempts.add(seriesAttempt(Tier.DATABASE, s, rows, now, ivNs, freshNs));
                for (OhlcvBar b : rows) merged.put(b.startNs(), b);
                chosen = s;
                break;
            }
        }
        // cache over database at the live edge (and wherever the database has no bucket)
        long dbNewest = merged.isEmpty() ? Long.MIN_VALUE : merged.lastKey();
        for (OhlcvBar b : tail) {
            if (b.source() != chosen && !merged.isEmpty()) continue;
            OhlcvBar db = merged.get(b.startNs());
            if (db == null || (b.startNs() >= dbNewest && b.volume() >= db.volume())) merged.put(b.startNs(), b);
        }
        // 3. REST when still short or stale
        if (rest != null && (merged.size() < bars || staleNewest(merged, now, ivNs, freshNs))) {
            long from = now - lookback;
            for (DataSource s : candidates(chosen)) {
                if (!rest.has(s)) continue;
                var r = guard.call(Tier.REST, s, lists, () -> rest.bars(s, symbol, interval, from, now));
                if (r.isEmpty()) continue;
                List<OhlcvBar> rows = r.get();
                if (rows.isEmpty()) {
                    attempts.add(new Attempt(Tier.REST, s, Attempt.Outcome.EMPTY, ""));
                    continue;
                }
                attempts.add(seriesAttempt(Tier.REST, s, rows, now, ivNs, freshNs));
                if (!merged.isEmpty() && merged.firstEntry().getValue().source() != s) {
                    // another source's bars: use them only for buckets past what we have, never interleaved
                    long last = merged.lastKey();
                    for (OhlcvBar b : rows) if (b.startNs() > last) merged.put(b.startNs(), b);
                } else {
                    for (OhlcvBar b : rows) merged.putIfAbsent(b.startNs(), b);
                }
                break;
            }
        }
        if (merged.isEmpty()) {
            throw new DataUnavailableException(bars + " " + interval.label() + " bars of " + symbol + sourceText(source),
                    attempts);
        }
        List<OhlcvBar> out = new ArrayList<>(merged.tailMap(nthNewestKey(merged, bars), true).values());
        OhlcvBar last = out.getLast();
        long age = Math.max(0, now - (last.startNs() + ivNs));
        boolean fresh = now - (last.startNs() + ivNs) <= maxAge.toNanos() + ivNs;
        guard.count("provider.answers", last.tier(), last.source(), fresh ? "fresh" : "stale");
        return new OhlcvSeries(symbol, interval, bars, out, OhlcvSeries.partsOf(out), out.size() >= bars,
                Duration.ofNanos(age), fresh, attempts);
    }

    // ---- resolution of latest values ----

    /** Per symbol: the answer (tick null when nobody had one) with its attempts. */
    private static final class Found {
        final List<Attempt> attempts = new ArrayList<>(4);
        Tick tick;
        Tier tier;
        boolean fresh;
    }

    private Map<String, Found> resolve(List<String> symbols, RecordType type, DataSource only, Duration maxAge,
                                       long now, List<Attempt> batch) {
        List<DataSource> srcs = candidates(only);
        long limit = maxAge.toNanos();
        Map<String, Found> all = new LinkedHashMap<>(symbols.size() * 2);
        for (String s : symbols) all.put(s, new Found());
        List<String> open = new ArrayList<>(symbols);
        for (LatestLookup look : lookups) {
            if (open.isEmpty()) break;
            if (!look.keeps(type) || (look.source() != null && !srcs.contains(look.source()))) continue;
            List<String> ask = look.askable(open, type, (s, why) -> all.get(s).attempts.add(why));
            if (ask.isEmpty()) continue;
            List<DataSource> from = look.source() == null ? srcs : List.of(look.source());
            Optional<Map<String, Map<DataSource, Tick>>> r = look.remote()
                    ? guard.call(look.tier(), look.source(), listsOf(ask, all, batch), () -> look.latest(ask, from, type))
                    : Optional.of(look.latest(ask, from, type));
            if (r.isEmpty()) continue; // failed or cooling down: its attempt is recorded, the next tier is asked
            Map<String, Map<DataSource, Tick>> got = r.get();
            int fresh = 0;
            for (String s : ask) {
                Found f = all.get(s);
                Map<DataSource, Tick> bySource = got.getOrDefault(s, Map.of());
                for (DataSource src : from) {
                    if (judge(f, look.tier(), src, bySource.get(src), now, limit)) {
                        fresh++;
                        break;
                    }
                }
            }
            look.answered(ask, got, type);
            batch.add(summary(look.tier(), look.source(), fresh, ask.size()));
            open = stillOpen(open, all);
        }
        for (Found f : all.values()) {
            guard.count("provider.answers", f.tier == null ? Tier.REST : f.tier, f.tick == null ? null : f.tick.source(),
                    f.tick == null ? "missing" : f.fresh ? "fresh" : "stale");
        }
        return all;
    }

    /** Records the look; true when it gave a fresh value (which then answers). Keeps the freshest stale one. */
    private static boolean judge(Found f, Tier tier, DataSource src, Tick t, long now, long limit) {
        if (t == null) {
            f.attempts.add(new Attempt(tier, src, Attempt.Outcome.EMPTY, ""));
            return false;
        }
        long age = now - t.eventNs();
        if (age <= limit) {
            f.attempts.add(new Attempt(tier, src, Attempt.Outcome.FRESH, ""));
            f.tick = t;
            f.tier = tier;
            f.fresh = true;
            return true;
        }
        f.attempts.add(new Attempt(tier, src, Attempt.Outcome.STALE, "age " + seconds(age) + " > limit " + seconds(limit)));
        if (f.tick == null || t.eventNs() > f.tick.eventNs()) {
            f.tick = t;
            f.tier = tier;
        }
        return false;
    }

    private static List<String> stillOpen(List<String> open, Map<String, Found> all) {
        List<String> out = new ArrayList<>(open.size());
        for (String s : open) if (!all.get(s).fresh) out.add(s);
        return out;
    }

    private static List<List<Attempt>> listsOf(List<String> open, Map<String, Found> all, List<Attempt> batch) {
        List<List<Attempt>> l = new ArrayList<>(open.size() + 1);
        l.add(batch);
        for (String s : open) l.add(all.get(s).attempts);
        return l;
    }

    private static Attempt summary(Tier tier, DataSource src, int fresh, int asked) {
        return new Attempt(tier, src, fresh > 0 ? Attempt.Outcome.FRESH : Attempt.Outcome.EMPTY,
                fresh + " of " + asked + " symbols fresh");
    }

    /** Memory, first preferred source, fresh: answered without the general machinery (the hot path). */
    private LatestPrice memoryFastPath(String symbol, DataSource only, Duration maxAge, long now) {
        if (memory == null) return null;
        DataSource src = only != null ? only : sources.getFirst();
        MarketEvent e = memory.latest(SeriesKey.of(src, symbol, RecordType.TRADE)).orElse(null);
        if (!(e instanceof com.systemtrader.schema.Trade t)) return null;
        long age = now - t.eventTimeNs();
        if (age > maxAge.toNanos()) return null;
        Provenance p = new Provenance(Tier.MEMORY, src, t.eventTimeNs(), Duration.ofNanos(Math.max(0, age)), true,
                List.of(new Attempt(Tier.MEMORY, src, Attempt.Outcome.FRESH, "")));
        return new LatestPrice(symbol, t.price(), Math.max(0, t.size()), t.eventTimeNs(), p);
    }

    private LatestPrice price(String symbol, Found f, long now, Duration maxAge) {
        return new LatestPrice(symbol, f.tick.price(), f.tick.size(), f.tick.eventNs(), provenance(f, now, maxAge));
    }

    private static Provenance provenance(Found f, long now, Duration maxAge) {
        long age = Math.max(0, now - f.tick.eventNs());
        return new Provenance(f.tier, f.tick.source(), f.tick.eventNs(), Duration.ofNanos(age), f.fresh, f.attempts);
    }

    // ---- OHLCV helpers ----

    private List<Bar> memoryMinuteBars(DataSource s, String symbol, int limit) {
        List<MarketEvent> own = memory.range(RangeQuery.all(SeriesKey.bars(s, symbol, BarInterval.MINUTE), limit, true));
        List<Bar> out = new ArrayList<>(own.size());
        if (own.isEmpty()) {
            for (MarketEvent e : memory.range(RangeQuery.all(SeriesKey.bars(DataSource.DERIVED, symbol, BarInterval.MINUTE), limit, true))) {
                if (e instanceof Bar b && b.origin() == s) out.add(b);
            }
        } else {
            for (MarketEvent e : own) out.add((Bar) e);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Minute bars (oldest first) into bars of {@code interval}, buckets aligned to the epoch like the database's
     * {@code time_bucket}. The oldest bucket is dropped when the minutes before it are not held (it would be partial).
     */
    static List<OhlcvBar> aggregate(List<Bar> minutes, OhlcvInterval interval, Tier tier, DataSource source) {
        long w = interval.nanos();
        List<OhlcvBar> out = new ArrayList<>(minutes.size() / interval.minutes() + 1);
        int i = 0;
        while (i < minutes.size()) {
            Bar first = minutes.get(i);
            long bucket = Math.floorDiv(first.eventTimeNs(), w) * w;
            double high = first.high(), low = first.low(), close = first.close(), notional = 0;
            long volume = 0, count = 0;
            boolean countKnown = true;
            int j = i;
            for (; j < minutes.size() && Math.floorDiv(minutes.get(j).eventTimeNs(), w) * w == bucket; j++) {
                Bar b = minutes.get(j);
                high = Math.max(high, b.high());
                low = Math.min(low, b.low());
                close = b.close();
                volume += Math.max(0, b.volume());
                notional += Double.isNaN(b.vwap()) ? b.close() * Math.max(0, b.volume()) : b.vwap() * Math.max(0, b.volume());
                if (com.systemtrader.schema.Absent.isAbsent(b.tradeCount())) countKnown = false;
                else count += b.tradeCount();
            }
            boolean partial = i == 0 && interval != OhlcvInterval.M1 && first.eventTimeNs() > bucket;
            if (!partial) {
                out.add(new OhlcvBar(bucket, first.open(), high, low, close, volume,
                        volume > 0 ? notional / volume : Double.NaN, countKnown ? count : -1, tier, source));
            }
            i = j;
        }
        return out;
    }

    private static Attempt seriesAttempt(Tier tier, DataSource s, List<OhlcvBar> bars, long now, long ivNs, long freshNs) {
        if (bars.isEmpty()) return new Attempt(tier, s, Attempt.Outcome.EMPTY, "");
        boolean stale = stale(bars, now, ivNs, freshNs);
        return new Attempt(tier, s, stale ? Attempt.Outcome.STALE : Attempt.Outcome.FRESH, bars.size() + " bars"
                + (stale ? ", newest ended " + seconds(now - (bars.getLast().startNs() + ivNs)) + " ago" : ""));
    }

    private static boolean stale(List<OhlcvBar> bars, long now, long ivNs, long freshNs) {
        return bars.isEmpty() || now - (bars.getLast().startNs() + ivNs) > freshNs - ivNs;
    }

    private static boolean staleNewest(TreeMap<Long, OhlcvBar> m, long now, long ivNs, long freshNs) {
        return m.isEmpty() || now - (m.lastKey() + ivNs) > freshNs - ivNs;
    }

    private static long newest(List<OhlcvBar> bars) {
        return bars.isEmpty() ? Long.MIN_VALUE : bars.getLast().startNs();
    }

    private static long nthNewestKey(TreeMap<Long, OhlcvBar> m, int n) {
        if (m.size() <= n) return m.firstKey();
        Long k = m.lastKey();
        for (int i = 1; i < n; i++) k = m.lowerKey(k);
        return k;
    }

    // ---- misc ----

    private List<DataSource> candidates(DataSource only) {
        return only == null ? sources : List.of(only);
    }

    private static String sourceText(DataSource s) {
        return s == null ? "" : " from " + s.name().toLowerCase(Locale.ROOT);
    }

    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }

    @Override public void close() {
        if (redis != null) redis.close();
        if (database != null) database.close();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }

    /** Configuration of a {@link RealtimeDataProvider}; every tier is optional. */
    public static final class Builder {
        private MemoryDataCache memory;
        private RedisConfig redis;
        private Database database;
        private int poolSize = 4;
        private Duration borrowTimeout = Duration.ofSeconds(5);
        private Duration queryTimeout = Duration.ofSeconds(10);
        private final List<VendorRest> vendors = new ArrayList<>();
        /** Null until {@link #sources} is called: the installed vendors' sources, in their order. */
        private List<DataSource> sources;
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Duration retryAfter = Duration.ofSeconds(2);
        private int restPageLimit = 50_000;
        private LongSupplier clock = Timestamps::nowNs;
        private MeterRegistry registry;
        private final List<AutoCloseable> owned = new ArrayList<>();

        private Builder() {}

        /** Something the provider closes when it is closed (e.g. the REST transport it was built with). */
        public Builder owning(AutoCloseable c) { owned.add(c); return this; }

        /** This process's memory cache (the collectors' {@code getLatestData} view). */
        public Builder memory(MemoryDataCache m) { this.memory = m; return this; }

        /** The shared Redis cache, read through the provider's own client. */
        public Builder redis(RedisConfig c) { this.redis = c; return this; }

        /** The database, through a pool of at most {@link #databasePool} connections. */
        public Builder database(Database db) { this.database = db; return this; }

        /** Pool size (default 4), wait for a free connection (5 s), network timeout per statement (10 s). */
        public Builder databasePool(int size, Duration borrowTimeout, Duration queryTimeout) {
            this.poolSize = size;
            this.borrowTimeout = borrowTimeout;
            this.queryTimeout = queryTimeout;
            return this;
        }

        /** A vendor's REST API for the REST tier (its adapter's {@link VendorRest}); one per source, first wins. */
        public Builder rest(VendorRest vendor) { this.vendors.add(java.util.Objects.requireNonNull(vendor)); return this; }

        /** Sources in order of preference (default: the installed vendor adapters', in {@code Provider} order). */
        public Builder sources(DataSource... s) {
            if (s.length == 0) throw new IllegalArgumentException("at least one source");
            this.sources = List.of(s);
            return this;
        }

        /** Global freshness limit (default 30 s); each call may give its own. */
        public Builder maxAge(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("maxAge must not be negative");
            this.maxAge = d;
            return this;
        }

        /** How long a failed tier is skipped before it is asked again (default 2 s; zero: always ask). */
        public Builder retryAfter(Duration d) { this.retryAfter = d; return this; }

        /** Bars per REST page (default 50 000; Alpaca takes at most 10 000). */
        public Builder restPageLimit(int n) {
            if (n < 1) throw new IllegalArgumentException("restPageLimit must be >= 1");
            this.restPageLimit = n;
            return this;
        }

        /** Wall clock in epoch ns (tests). */
        public Builder clock(LongSupplier nowNs) { this.clock = nowNs; return this; }

        /** Where to count answers, failures and skips (optional). */
        public Builder meterRegistry(MeterRegistry r) { this.registry = r; return this; }

        public RealtimeDataProvider build() {
            if (sources == null) {
                sources = VendorModule.installed().stream().map(VendorModule::source).toList();
                if (sources.isEmpty()) {
                    throw new IllegalStateException("no vendor adapter is on the class path: name the sources "
                            + "with sources(...)");
                }
            }
            return new RealtimeDataProvider(this);
        }
    }
}
