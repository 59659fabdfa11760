package com.systemtrader.data;

/**
 * The last trade of a symbol.
 *
 * @param size        shares; 0 when the tier does not know it
 * @param eventTimeNs the trade's event time, epoch ns
 */
public record LatestPrice(String symbol, double price, long size, long eventTimeNs, Provenance provenance) {}
