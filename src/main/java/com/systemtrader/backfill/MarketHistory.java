package com.systemtrader.backfill;

import com.systemtrader.rest.RestException;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.util.List;
import java.util.function.Consumer;

/**
 * One vendor's market history as the {@link GapBackfiller} uses it, in the terms of that vendor's live stream: what
 * the vendor's adapter supplies (Polygon's and Alpaca's live in their provider packages). The backfiller never
 * branches on the vendor; channel names, page limits, the live stream's time precision and whether a request's end is
 * inclusive are the adapter's business.
 *
 * <p>Called on the backfilling thread; the page callbacks run on it too, one page at a time, in time order.
 */
public interface MarketHistory {
    /** Whose history this is. */
    DataSource source();

    /** Whether a live feed subscribed to these channels streams trades; an empty list means trades. */
    boolean streamsTrades(List<String> channels);

    /** Whether a live feed subscribed to these channels streams minute bars. */
    boolean streamsMinuteBars(List<String> channels);

    /** Whether the quotes of a feed subscribed to these channels are backfilled (false: this history has none). */
    boolean backfillsQuotes(List<String> channels);

    /**
     * The trades in {@code [fromNs, toNs)}, page by page, with the times the live stream would have given them (so a
     * trade has the same storage key however it arrived).
     *
     * @throws RestException when a page cannot be fetched; status 403 or 404 means the plan has no trades
     */
    void trades(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Trade>> page);

    /** The quotes in {@code [fromNs, toNs)}, page by page, as {@link #trades}; only asked when {@link #backfillsQuotes}. */
    void quotes(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Quote>> page);

    /** The minute bars starting in {@code [fromNs, toNs)}, page by page. */
    void minuteBars(String symbol, long fromNs, long toNs, int pageLimit, Consumer<List<Bar>> page);
}
