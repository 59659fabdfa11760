package com.systemtrader.provider.polygon;

import com.systemtrader.backfill.MarketHistory;
import com.systemtrader.rest.PolygonRestClient;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Polygon's REST history for the backfill: {@code /v3/trades}, {@code /v3/quotes} and minute aggregates, paged by
 * {@code next_url}. Polygon's stream stamps trades, TRF times and quotes in milliseconds and its REST API in
 * nanoseconds, so every REST event is cut to the millisecond here: a trade then has the same storage key however it
 * arrived.
 */
public final class PolygonHistory implements MarketHistory {
    private static final long MS = 1_000_000L;
    private static final Set<String> TRADES = Set.of("T");
    private static final Set<String> QUOTES = Set.of("Q");
    private static final Set<String> MINUTE_BARS = Set.of("AM");

    private final PolygonRestClient rest;

    public PolygonHistory(PolygonRestClient rest) {
        this.rest = java.util.Objects.requireNonNull(rest, "rest");
    }

    @Override public DataSource source() { return DataSource.POLYGON; }

    @Override public boolean streamsTrades(List<String> channels) {
        return channels.isEmpty() || channels.stream().anyMatch(TRADES::contains);
    }

    @Override public boolean streamsMinuteBars(List<String> channels) {
        return channels.stream().anyMatch(MINUTE_BARS::contains);
    }

    @Override public boolean backfillsQuotes(List<String> channels) {
        return channels.stream().anyMatch(QUOTES::contains);
    }

    @Override public void trades(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Trade>> page) {
        rest.trades(symbol, fromNs, toNs, pageLimit,
                p -> page.accept(p.stream().map(PolygonHistory::alignToStream).toList()));
    }

    @Override public void quotes(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Quote>> page) {
        rest.quotes(symbol, fromNs, toNs, pageLimit,
                p -> page.accept(p.stream().map(PolygonHistory::alignToStream).toList()));
    }

    @Override public void minuteBars(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Bar>> page) {
        rest.aggregates(symbol, 1, PolygonRestClient.Timespan.MINUTE, instant(fromNs), instant(toNs), pageLimit, page);
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
