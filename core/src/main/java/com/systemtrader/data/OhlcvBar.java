package com.systemtrader.data;

import com.systemtrader.schema.DataSource;

/**
 * One bar of an {@link OhlcvSeries}: its bucket {@code [startNs, startNs + interval)}, values, state and origin, and
 * the tier and source it was read from.
 *
 * @param startNs    bucket start, epoch ns (UTC, inclusive)
 * @param vwap       NaN when unknown
 * @param tradeCount -1 when unknown
 * @param state      partial while the bucket is open, final or revised after
 * @param origin     built from trades by System Trader, or the provider's own
 */
public record OhlcvBar(long startNs, double open, double high, double low, double close, long volume, double vwap,
                       long tradeCount, BarState state, BarOrigin origin, Tier tier, DataSource source) {}
