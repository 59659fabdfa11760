package com.systemtrader.data;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.clean.CleanerConfig;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.storage.Database;
import com.systemtrader.vendor.VendorModule;
import com.systemtrader.vendor.VendorRest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
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
 * <p><b>OHLCV</b> (docs/DATA_MODEL.md): bars of one origin, {@link BarOrigin#BUILT} by default, never mixed with
 * the other. Tiers in the same order ({@link BarLookup}): the caches' minute bars (aggregated for the longer
 * intervals), the database ({@code ohlcv_*} roll-ups for built bars, {@code market_data} for the provider's),
 * then the providers' REST APIs (their aggregates, or bars built from their trades by the live rules), each asked while the bars held are fewer than asked or
 * the newest is stale. Each bucket comes from the first tier that had it; each bar says its tier, and its state
 * ({@link BarState}: partial while its bucket is open).
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
    /** The tiers asked for bars, in the same order. */
    private final List<BarLookup> barLookups;
    /** The tiers a time range of trades or quotes is split between, freshest first. */
    private final List<TickLookup> tickLookups;

    private RealtimeDataProvider(Builder b) {
        this.owned = List.copyOf(b.owned);
        this.memory = b.memory;
        this.redis = b.redis == null ? null : new RedisReader(b.redis);
        this.database = b.database == null ? null : new DatabaseReader(new ConnectionPool(b.database, b.poolSize,
                b.borrowTimeout, b.queryTimeout));
        this.rest = b.vendors.isEmpty() ? null : new RestReader(b.vendors, b.restPageLimit, b.cleaner);
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
        List<BarLookup> bl = new ArrayList<>();
        if (memory != null) bl.add(BarLookup.memory(memory));
        if (redis != null) bl.add(BarLookup.redis(redis));
        if (database != null) bl.add(BarLookup.database(database));
        for (DataSource s : sources) if (rest != null && rest.has(s)) bl.add(BarLookup.rest(rest, s));
        this.barLookups = List.copyOf(bl);
        List<TickLookup> tl = new ArrayList<>();
        if (memory != null) tl.add(TickLookup.memory(memory));
        if (redis != null) tl.add(TickLookup.redis(redis));
        if (database != null) tl.add(TickLookup.database(database));
        if (rest != null) tl.add(TickLookup.rest(rest));
        this.tickLookups = List.copyOf(tl);
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

    /** The newest {@code bars} closed built bars of any source (in preference order). */
    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval) {
        return getOhlcv(symbol, bars, interval, null, BarOrigin.BUILT, maxAge);
    }

    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval, DataSource source) {
        return getOhlcv(symbol, bars, interval, source, BarOrigin.BUILT, maxAge);
    }

    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval, DataSource source, Duration maxAge) {
        return getOhlcv(symbol, bars, interval, source, BarOrigin.BUILT, maxAge);
    }

    /**
     * The newest {@code bars} bars of {@code origin} whose bucket has ended, oldest first (the bucket still open is
     * in a time range that reaches now: {@link #getOhlcv(String, OhlcvInterval, Instant, Instant, DataSource,
     * BarOrigin)}). The series is fresh when its newest bar ended no more than one interval plus {@code maxAge} ago
     * (the last closed bucket is there).
     *
     * @param source only this source; null for the first in preference order that has bars
     */
    public OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval, DataSource source, BarOrigin origin,
                                Duration maxAge) {
        if (bars < 1) throw new IllegalArgumentException("bars must be >= 1");
        long now = clock.getAsLong();
        long iv = interval.nanos();
        long to = Math.floorDiv(now, iv) * iv;   // closed buckets only
        long lookback = interval == OhlcvInterval.D1 ? (long) (bars * 1.5 + 10) * DAY_NS : bars * iv + 4 * DAY_NS;
        return series(symbol, interval, to - lookback, to, bars, source, origin, maxAge, now,
                bars + " " + interval.label() + " bars of " + symbol);
    }

    /** The built bars of any source starting in {@code [from, to)}, oldest first, the open bucket labelled partial. */
    public OhlcvSeries getOhlcv(String symbol, OhlcvInterval interval, Instant from, Instant to) {
        return getOhlcv(symbol, interval, from, to, null, BarOrigin.BUILT);
    }

    /**
     * The bars of {@code origin} starting in {@code [from, to)}, oldest first; a bar whose bucket has not ended is
     * labelled {@link BarState#PARTIAL}. Complete when the bars reach from the range's first bucket to its last
     * (or to the open one).
     */
    public OhlcvSeries getOhlcv(String symbol, OhlcvInterval interval, Instant from, Instant to, DataSource source,
                                BarOrigin origin) {
        long fromNs = nanos(from), toNs = nanos(to);
        if (toNs <= fromNs) throw new IllegalArgumentException("the range ends before it starts");
        long now = clock.getAsLong();
        return series(symbol, interval, fromNs, toNs, Integer.MAX_VALUE, source, origin, maxAge, now,
                interval.label() + " bars of " + symbol + " from " + from + " to " + to);
    }

    /**
     * Asks the tiers in order for the bars in {@code [fromNs, toNs)} until those held make an answer: {@code limit}
     * bars (or the whole range) with the newest fresh. A bucket comes from the first tier that had it; once a tier
     * answered for a source, later tiers are asked for that source only (a series is one source).
     */
    private OhlcvSeries series(String symbol, OhlcvInterval interval, long fromNs, long toNs, int limit,
                               DataSource source, BarOrigin origin, Duration maxAge, long now, String what) {
        long iv = interval.nanos();
        List<Attempt> attempts = new ArrayList<>();
        List<List<Attempt>> lists = List.of(attempts);
        TreeMap<Long, OhlcvBar> merged = new TreeMap<>();
        DataSource chosen = source;
        for (BarLookup look : barLookups) {
            if (enough(merged, fromNs, toNs, limit, iv, now, maxAge)) break;
            List<DataSource> asked = chosen != null ? List.of(chosen) : sources;
            if (look.source() != null && !asked.contains(look.source())) continue;
            if (!look.holds(origin, interval)) continue;
            for (DataSource s : look.source() != null ? List.of(look.source()) : asked) {
                Optional<List<OhlcvBar>> r = look.remote()
                        ? guard.call(look.tier(), s, lists, () -> look.bars(symbol, s, origin, interval, fromNs, toNs, limit, now))
                        : Optional.of(look.bars(symbol, s, origin, interval, fromNs, toNs, limit, now));
                if (r.isEmpty()) break; // failed or cooling down: its attempt is recorded, the next tier is asked
                List<OhlcvBar> got = r.get();
                if (got.isEmpty()) {
                    attempts.add(new Attempt(look.tier(), s, Attempt.Outcome.EMPTY, ""));
                    continue;
                }
                attempts.add(seriesAttempt(look.tier(), s, got, now, iv, maxAge));
                for (OhlcvBar b : got) merged.putIfAbsent(b.startNs(), b);
                chosen = s;
                break;
            }
        }
        if (merged.isEmpty()) throw new DataUnavailableException(what + sourceText(source) + " (" + origin.label() + ")", attempts);
        List<OhlcvBar> out = new ArrayList<>(MinuteAggregation.newest(List.copyOf(merged.values()), limit));
        OhlcvBar last = out.getLast();
        long age = Math.max(0, now - (last.startNs() + iv));
        boolean fresh = freshNewest(last, now, iv, maxAge);
        String gaps = gaps(out, fromNs, toNs, limit, iv, now);
        guard.count("provider.answers", last.tier(), last.source(), fresh ? "fresh" : "stale");
        return new OhlcvSeries(symbol, interval, origin, limit == Integer.MAX_VALUE ? out.size() : limit, out,
                OhlcvSeries.partsOf(out), gaps.isEmpty(), gaps, Duration.ofNanos(age), fresh, attempts);
    }

    /** Enough bars held: {@code limit} of them (for a range: from its first bucket), the newest fresh. */
    private static boolean enough(TreeMap<Long, OhlcvBar> m, long fromNs, long toNs, int limit, long iv, long now,
                                  Duration maxAge) {
        if (m.isEmpty()) return false;
        boolean many = limit == Integer.MAX_VALUE ? m.firstKey() < fromNs + iv : m.size() >= limit;
        return many && (toNs < now - maxAge.toNanos() || freshNewest(m.lastEntry().getValue(), now, iv, maxAge));
    }

    /** The newest bar's bucket is open or ended no more than {@code maxAge} before the last closed one. */
    private static boolean freshNewest(OhlcvBar last, long now, long iv, Duration maxAge) {
        return now - (last.startNs() + iv) <= maxAge.toNanos() + iv;
    }

    /** Why the series is not complete, or "" when it is. */
    private static String gaps(List<OhlcvBar> out, long fromNs, long toNs, int limit, long iv, long now) {
        if (limit != Integer.MAX_VALUE) {
            return out.size() >= limit ? "" : out.size() + " of " + limit + " bars held by the tiers asked";
        }
        List<String> why = new ArrayList<>(2);
        long firstBucket = Math.floorDiv(fromNs, iv) * iv;
        if (out.getFirst().startNs() > firstBucket) {
            why.add("no bar from " + Instant.ofEpochSecond(0, firstBucket) + " to " + Instant.ofEpochSecond(0, out.getFirst().startNs()));
        }
        long lastBucket = Math.floorDiv(Math.min(toNs - 1, now), iv) * iv;
        if (out.getLast().startNs() < lastBucket) {
            why.add("no bar after " + Instant.ofEpochSecond(0, out.getLast().startNs()));
        }
        return String.join("; ", why);
    }

    // ---- trades and quotes of a time range ----

    /** Most events of one page. */
    public static final int MAX_PAGE = 10_000;

    /**
     * The trades of {@code symbol} from {@code source} (null: the first in preference order) with event time in
     * {@code [from, to)}, a page of at most {@code limit} at a time, in (event time, identity) order; pass the page's
     * {@code nextCursor} for the next one (null for the first). Each part of the range is read from the freshest tier
     * that holds all of it ({@link TickLookup}): this process's memory for the newest events, then Redis, the
     * database, and the vendor's REST history for what none of them holds; each event is on exactly one page.
     */
    public TickPage getTrades(String symbol, Instant from, Instant to, DataSource source, int limit, String cursor) {
        return ticks(symbol, RecordType.TRADE, from, to, source, limit, cursor);
    }

    /** The quotes of a time range, as {@link #getTrades}. */
    public TickPage getQuotes(String symbol, Instant from, Instant to, DataSource source, int limit, String cursor) {
        return ticks(symbol, RecordType.QUOTE, from, to, source, limit, cursor);
    }

    private TickPage ticks(String symbol, RecordType type, Instant from, Instant to, DataSource only, int limit,
                           String cursor) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        long fromNs = nanos(from), toNs = nanos(to);
        if (toNs <= fromNs) throw new IllegalArgumentException("the range ends before it starts");
        DataSource source = only != null ? only : sources.getFirst();
        TickCursor after = cursor == null ? null : TickCursor.parse(cursor);
        long start = after == null ? fromNs : Math.max(fromNs, after.ns());
        List<Attempt> attempts = new ArrayList<>();
        List<List<Attempt>> lists = List.of(attempts);
        // each tier's part: from when it holds everything up to where a fresher tier takes over
        List<TickLookup> tiers = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        long upper = toNs;
        for (TickLookup look : tickLookups) {
            if (upper <= start) break;
            Optional<java.util.OptionalLong> held = look.remote()
                    ? guard.call(look.tier(), source, lists, () -> look.heldFrom(symbol, source, type))
                    : Optional.of(look.heldFrom(symbol, source, type));
            if (held.isEmpty()) continue;
            if (held.get().isEmpty()) {
                attempts.add(new Attempt(look.tier(), source, Attempt.Outcome.EMPTY, ""));
                continue;
            }
            long lo = Math.max(held.get().getAsLong(), start);
            if (lo >= upper) continue;
            tiers.add(look);
            spans.add(new long[] {lo, upper});
            upper = lo;
        }
        // oldest part first, until the page is full
        List<MarketEvent> events = new ArrayList<>();
        List<TickPage.Part> parts = new ArrayList<>();
        boolean full = false;
        for (int i = tiers.size() - 1; i >= 0 && !full; i--) {
            TickLookup look = tiers.get(i);
            long lo = spans.get(i)[0], hi = spans.get(i)[1];
            int want = limit - events.size() + 1 + (after == null ? 0 : MAX_PAGE);  // + those of the cursor's instant
            Optional<List<MarketEvent>> r = look.remote()
                    ? guard.call(look.tier(), source, lists, () -> look.range(symbol, source, type, lo, hi, want))
                    : Optional.of(look.range(symbol, source, type, lo, hi, want));
            if (r.isEmpty()) {
                throw new DataUnavailableException(type.name().toLowerCase(Locale.ROOT) + "s of " + symbol
                        + " from " + Instant.ofEpochSecond(0, lo) + " to " + Instant.ofEpochSecond(0, hi)
                        + " (the tier that holds them failed)", attempts);
            }
            int n = 0;
            for (MarketEvent e : r.get()) {
                if (after != null && !after.before(e)) continue;
                events.add(e);
                n++;
                if (events.size() == limit) break;
            }
            full = events.size() == limit;
            attempts.add(new Attempt(look.tier(), source, n > 0 ? Attempt.Outcome.FRESH : Attempt.Outcome.EMPTY,
                    n + " events"));
            parts.add(new TickPage.Part(look.tier(), lo, hi, n));
        }
        String next = full ? TickCursor.of(events.getLast()).text() : null;
        return new TickPage(symbol, type, source, events, next, parts, attempts);
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

    private static Attempt seriesAttempt(Tier tier, DataSource s, List<OhlcvBar> bars, long now, long iv, Duration maxAge) {
        boolean stale = !freshNewest(bars.getLast(), now, iv, maxAge);
        return new Attempt(tier, s, stale ? Attempt.Outcome.STALE : Attempt.Outcome.FRESH, bars.size() + " bars"
                + (stale ? ", newest ended " + seconds(now - (bars.getLast().startNs() + iv)) + " ago" : ""));
    }

    // ---- misc ----

    private List<DataSource> candidates(DataSource only) {
        return only == null ? sources : List.of(only);
    }

    private static String sourceText(DataSource s) {
        return s == null ? "" : " from " + s.name().toLowerCase(Locale.ROOT);
    }

    private static long nanos(Instant t) {
        return Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L) + t.getNano();
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
        private CleanerConfig cleaner = CleanerConfig.defaults();
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

        /** The live cleaner's settings, for built bars from REST trades (default: the defaults). */
        public Builder cleaner(CleanerConfig c) { this.cleaner = java.util.Objects.requireNonNull(c); return this; }

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
