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
 */
public record Bar(DataSource source, String symbol, BarInterval interval, long eventTimeNs, long endTimeNs,
                  long receiveTimeNs, double open, double high, double low, double close, long volume,
                  double vwap, long tradeCount, long accumulatedVolume, double officialOpen, double dayVwap,
                  long averageTradeSize, boolean otc) implements MarketEvent {
    @Override public RecordType type() { return RecordType.BAR; }
}
