package com.systemtrader.provider.polygon;

import com.systemtrader.provider.polygon.PolygonRestClient;
import com.systemtrader.rest.Snapshot;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.vendor.VendorRest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Polygon's REST API for the core: {@code /v3/trades}, {@code /v3/quotes} and aggregates paged by {@code next_url};
 * the latest trade and quote by {@code /v2/last/...} for one symbol, a snapshot call for several symbols' trades.
 * Polygon's stream stamps trades, TRF times and quotes in milliseconds and its REST API in nanoseconds, so every
 * history event is cut to the millisecond here: a trade then has the same storage key however it arrived.
 */
public final class PolygonVendorRest implements VendorRest {
    private static final long MS = 1_000_000L;
    /** Polygon's largest aggregates page. */
    private static final int MAX_LIMIT = 50_000;
    private static final Set<String> TRADES = Set.of("T");
    private static final Set<String> QUOTES = Set.of("Q");
    private static final Set<String> MINUTE_BARS = Set.of("AM");

    private final PolygonRestClient rest;

    public PolygonVendorRest(PolygonRestClient rest) {
        this.rest = java.util.Objects.requireNonNull(rest, "rest");
    }

    @Override public DataSource source() { return DataSource.POLYGON; }

    @Override public boolean streamsTrades(List<String> channels) {
        return channels.isEmpty() || VendorRest.subscribesAny(channels, TRADES);
    }

    @Override public boolean streamsMinuteBars(List<String> channels) {
        return VendorRest.subscribesAny(channels, MINUTE_BARS);
    }

    @Override public boolean backfillsQuotes(List<String> channels) {
        return VendorRest.subscribesAny(channels, QUOTES);
    }

    @Override public boolean quoteHistory() { return true; }

    /**
     * The range is in the stream's times, which are the SIP's cut to the millisecond: the SIP times asked are those
     * whose millisecond lies in it ({@link #sipFrom}, {@link #sipTo}). Asking {@code [fromNs, toNs)} in SIP time
     * lost a trade at 10:00:00.619400 for a range ending at 10:00:00.619001, though the stream stamps it .619.
     */
    @Override public void trades(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Trade>> page) {
        rest.trades(symbol, sipFrom(fromNs), sipTo(toNs), pageLimit,
                p -> page.accept(p.stream().map(PolygonVendorRest::alignToStream).toList()));
    }

    @Override public void quotes(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Quote>> page) {
        rest.quotes(symbol, sipFrom(fromNs), sipTo(toNs), pageLimit,
                p -> page.accept(p.stream().map(PolygonVendorRest::alignToStream).toList()));
    }

    /** The first SIP time whose millisecond is at or after {@code fromNs}. */
    static long sipFrom(long fromNs) {
        return Math.floorDiv(fromNs + MS - 1, MS) * MS;
    }

    /** The SIP time from which the millisecond is at or after {@code toNs} (exclusive end). */
    static long sipTo(long toNs) {
        return Math.floorDiv(toNs - 1, MS) * MS + MS;
    }

    @Override public void bars(String symbol, int minutes, long fromNs, long toNs, int pageLimit,
                               Consumer<List<Bar>> page) {
        PolygonRestClient.Timespan span = minutes % 1_440 == 0 ? PolygonRestClient.Timespan.DAY
                : minutes % 60 == 0 ? PolygonRestClient.Timespan.HOUR : PolygonRestClient.Timespan.MINUTE;
        int multiplier = span == PolygonRestClient.Timespan.DAY ? minutes / 1_440
                : span == PolygonRestClient.Timespan.HOUR ? minutes / 60 : minutes;
        rest.aggregates(symbol, multiplier, span, instant(fromNs), instant(toNs - 1), Math.min(pageLimit, MAX_LIMIT),
                page);
    }

    @Override public Map<String, Trade> latestTrades(List<String> symbols) {
        Map<String, Trade> out = new HashMap<>(symbols.size() * 2);
        if (symbols.size() == 1) {
            rest.lastTrade(symbols.getFirst()).ifPresent(t -> out.put(symbols.getFirst(), t));
        } else {
            for (Snapshot snap : rest.snapshots(symbols).values()) {
                if (snap.latestTrade() != null) out.put(snap.symbol(), snap.latestTrade());
            }
        }
        return out;
    }

    @Override public Map<String, Quote> latestQuotes(List<String> symbols) {
        Map<String, Quote> out = new HashMap<>(symbols.size() * 2);
        for (String s : symbols) rest.lastQuote(s).ifPresent(q -> out.put(s, q));
        return out;
    }

    /** The trade as the stream stamps it: event and TRF times cut to the millisecond. */
    static Trade alignToStream(Trade t) {
        long e = Math.floorDiv(t.eventTimeNs(), MS) * MS;
        long trf = Absent.isAbsent(t.trfTimeNs()) ? t.trfTimeNs() : Math.floorDiv(t.trfTimeNs(), MS) * MS;
        if (e == t.eventTimeNs() && trf == t.trfTimeNs()) return t;
        return new Trade(t.source(), t.symbol(), e, t.receiveTimeNs(), t.price(), t.size(), t.exchange(), t.tradeId(),
                t.tape(), t.sequence(), t.trfId(), trf, t.conditions());
    }

    /** The quote as the stream stamps it: its time cut to the millisecond. */
    static Quote alignToStream(Quote q) {
        long e = Math.floorDiv(q.eventTimeNs(), MS) * MS;
        if (e == q.eventTimeNs()) return q;
        return new Quote(q.source(), q.symbol(), e, q.receiveTimeNs(), q.bidExchange(), q.bidPrice(), q.bidSize(),
                q.askExchange(), q.askPrice(), q.askSize(), q.conditions(), q.indicators(), q.tape(), q.sequence());
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
