package com.systemtrader.schema;

/**
 * An OHLCV bar. {@code eventTimeNs} is the window start; {@code endTimeNs} the window end (exclusive).
 *
 * @param tradeCount          Alpaca {@code n}; {@link Absent#LONG} when not sent (Polygon WS)
 * @param accumulatedVolume   Polygon {@code av} (today's volume so far); {@link Absent#LONG} otherwise
 * @param officialOpen        Polygon {@code op}; NaN otherwise
 * @param dayVwap             Polygon {@code a}; NaN otherwise
 * @param averageTradeSize    Polygon {@code z}; {@link Absent#LONG} otherwise
 * @param otc                 Polygon {@code otc} (sent only when true)
 * @param origin              whose data the bar comes from: the provider itself for provider bars (equal to
 *                            {@code source}); for bars System Trader built ({@code source} {@link DataSource#DERIVED})
 *                            the provider whose trades they were built from
 */
public record Bar(DataSource source, String symbol, BarInterval interval, long eventTimeNs, long endTimeNs,
                  long receiveTimeNs, double open, double high, double low, double close, long volume,
                  double vwap, long tradeCount, long accumulatedVolume, double officialOpen, double dayVwap,
                  long averageTradeSize, boolean otc, DataSource origin) implements MarketEvent {

    /** A provider's own bar ({@code origin} = {@code source}). */
    public Bar(DataSource source, String symbol, BarInterval interval, long eventTimeNs, long endTimeNs,
               long receiveTimeNs, double open, double high, double low, double close, long volume,
               double vwap, long tradeCount, long accumulatedVolume, double officialOpen, double dayVwap,
               long averageTradeSize, boolean otc) {
        this(source, symbol, interval, eventTimeNs, endTimeNs, receiveTimeNs, open, high, low, close, volume, vwap,
                tradeCount, accumulatedVolume, officialOpen, dayVwap, averageTradeSize, otc, source);
    }

    @Override public RecordType type() { return RecordType.BAR; }

    /** True for bars System Trader built from trades. */
    public boolean derived() { return source == DataSource.DERIVED; }
}
