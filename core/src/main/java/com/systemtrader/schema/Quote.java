package com.systemtrader.schema;

/**
 * A top-of-book quote (NBBO on SIP feeds, the IEX book on Alpaca's iex feed). Sizes are in the provider's
 * unit, which both providers document as round lots.
 *
 * @param conditions Polygon: the single quote condition {@code c}; Alpaca: the letters of {@code c}
 * @param indicators Polygon {@code i} indicator ids; empty for Alpaca
 * @param sequence   Polygon {@code q}; {@link Absent#LONG} for Alpaca
 */
public record Quote(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs,
                    int bidExchange, double bidPrice, long bidSize,
                    int askExchange, double askPrice, long askSize,
                    Conditions conditions, Conditions indicators, char tape, long sequence) implements MarketEvent {
    @Override public RecordType type() { return RecordType.QUOTE; }
}
