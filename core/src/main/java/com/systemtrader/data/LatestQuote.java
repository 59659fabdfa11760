package com.systemtrader.data;

/** The last top-of-book quote of a symbol (NBBO on SIP feeds). */
public record LatestQuote(String symbol, double bidPrice, long bidSize, double askPrice, long askSize,
                          long eventTimeNs, Provenance provenance) {
    public double mid() {
        return (bidPrice + askPrice) / 2;
    }
}
