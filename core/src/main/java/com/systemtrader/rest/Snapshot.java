package com.systemtrader.rest;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/**
 * One symbol's snapshot from either provider, in normalized records. Parts the provider did not send (or sent as
 * zeros out of hours) are null.
 *
 * @param latestTrade       Polygon {@code lastTrade} (no tape, sequence or TRF fields), Alpaca {@code latestTrade}
 * @param latestQuote       Polygon {@code lastQuote} (no exchanges), Alpaca {@code latestQuote}
 * @param minuteBar         Polygon {@code min} (with {@code av}), Alpaca {@code minuteBar}
 * @param dailyBar          today's bar so far (Polygon {@code day}, started at midnight New York time of
 *                          {@code updated}; Alpaca {@code dailyBar})
 * @param previousDailyBar  Alpaca {@code prevDailyBar}; null for Polygon, whose {@code prevDay} has no date (use
 *                          {@link PolygonRestClient#previousClose} for the bar)
 * @param previousClose     the previous session's close; NaN when unknown
 * @param updatedNs         Polygon {@code updated}; for Alpaca the newer of the latest trade and quote; 0 if neither
 */
public record Snapshot(DataSource source, String symbol, Trade latestTrade, Quote latestQuote, Bar minuteBar,
                       Bar dailyBar, Bar previousDailyBar, double previousClose, long updatedNs) {}
