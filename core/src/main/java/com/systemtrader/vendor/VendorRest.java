package com.systemtrader.vendor;

import com.systemtrader.rest.RestException;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One vendor's REST API as the core uses it: the backfill's history ({@code backfill.GapBackfiller}) and the query
 * layer's REST tier ({@code data.RealtimeDataProvider}). The vendor's adapter implements it (Polygon's and Alpaca's
 * live in their provider packages); the core never branches on the vendor. Channel names, endpoints, page limits,
 * the live stream's time precision, inclusive or exclusive ends and batch sizes are the adapter's business.
 * Retries, rate limits and paging are the adapter's REST client's; whatever it finally throws is a
 * {@link RestException} (status 403 or 404: the plan does not include it).
 *
 * <p>Thread-safe: the backfill and the query layer call it from their own threads; page callbacks run on the
 * calling thread, one page at a time, in time order.
 */
public interface VendorRest {
    /** Whose API this is. */
    DataSource source();

    /** Whether a live feed subscribed to these channels streams trades; an empty list means trades. */
    boolean streamsTrades(List<String> channels);

    /** Whether a live feed subscribed to these channels streams minute bars. */
    boolean streamsMinuteBars(List<String> channels);

    /** Whether the quotes of a feed subscribed to these channels are backfilled (false: this API has none). */
    boolean backfillsQuotes(List<String> channels);

    /**
     * The trades whose time as the live stream gives it lies in {@code [fromNs, toNs)}, page by page, with those times
     * (so a trade has the same storage key however it arrived, and a range split between tiers meets exactly).
     */
    void trades(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Trade>> page);

    /** Whether {@link #quotes} answers at all (false: this API keeps no quote history). */
    default boolean quoteHistory() { return false; }

    /** The quotes in {@code [fromNs, toNs)}, page by page, as {@link #trades}; only asked when {@link #backfillsQuotes}. */
    void quotes(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Quote>> page);

    /**
     * The bars of {@code minutes} minutes (1, 5, 15, 60 or 1440) starting in {@code [fromNs, toNs)}, page by page,
     * the vendor's own aggregation.
     */
    void bars(String symbol, int minutes, long fromNs, long toNs, int pageLimit, Consumer<List<Bar>> page);

    /** The latest trade of each symbol the vendor knows (as few calls as its API allows). */
    Map<String, Trade> latestTrades(List<String> symbols);

    /** The latest quote of each symbol the vendor knows. */
    Map<String, Quote> latestQuotes(List<String> symbols);

    /** Whether any of {@code channels} is one of {@code names} (the adapters' channel predicates). */
    static boolean subscribesAny(List<String> channels, java.util.Set<String> names) {
        for (String c : channels) if (names.contains(c)) return true;
        return false;
    }
}
