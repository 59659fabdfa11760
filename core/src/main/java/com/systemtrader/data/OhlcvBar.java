package com.systemtrader.data;

import com.systemtrader.schema.DataSource;

/**
 * One bar of an {@link OhlcvSeries}, with the tier and source it was read from.
 *
 * @param startNs    window start, epoch ns
 * @param vwap       NaN when unknown
 * @param tradeCount -1 when unknown
 */
public record OhlcvBar(long startNs, double open, double high, double low, double close, long volume, double vwap,
                       long tradeCount, Tier tier, DataSource source) {}
