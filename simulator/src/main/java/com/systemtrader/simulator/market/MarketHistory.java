package com.systemtrader.simulator.market;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.util.List;
import java.util.Optional;

/**
 * What the simulated market has produced, for the REST endpoints. Records are in the market's canonical
 * code space, which is Polygon's (integer exchange ids and condition ids, tape A/B/C); {@link SipCodes} maps
 * them to Alpaca letters. Bars are {@link com.systemtrader.schema.DataSource#SIMULATOR} records with
 * {@code tradeCount} filled. Times are epoch nanoseconds. Thread-safe.
 */
public interface MarketHistory {
    List<String> symbols();

    boolean knows(String symbol);

    /**
     * Bars of {@code intervalNs} (a multiple of one minute, or one day) whose start lies in
     * {@code [fromNs, toNs]}, ascending. Minute-based bars are aggregated from the minute history; daily bars
     * start at midnight America/New_York. Windows without eligible trades produce no bar.
     */
    List<Bar> bars(String symbol, long intervalNs, long fromNs, long toNs);

    /** Trades with event time in {@code [fromNs, toNs)}, ascending, at most {@code limit}. */
    List<Trade> trades(String symbol, long fromNs, long toNs, int limit);

    /**
     * Quotes with event time in {@code [fromNs, toNs)}, ascending (by time, then sequence), at most {@code limit}.
     * The default keeps no quote history.
     */
    default List<Quote> quotes(String symbol, long fromNs, long toNs, int limit) {
        return List.of();
    }

    Optional<Trade> lastTrade(String symbol);

    Optional<Quote> lastQuote(String symbol);

    /** The most recent completed minute bar. */
    Optional<Bar> lastMinuteBar(String symbol);

    /** The running daily bar of the current session (New York date of {@code nowNs}). */
    Optional<Bar> dailyBar(String symbol, long nowNs);

    /** The daily bar of the last session before the one containing {@code nowNs}. */
    Optional<Bar> previousDailyBar(String symbol, long nowNs);
}
