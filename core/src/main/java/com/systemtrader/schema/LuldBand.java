package com.systemtrader.schema;

/**
 * Limit-up/limit-down price band. Polygon {@code LULD} (indicators are ids), Alpaca {@code l} (one indicator
 * letter).
 */
public record LuldBand(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs,
                       double limitUp, double limitDown, Conditions indicators, char tape, long sequence)
        implements MarketEvent {
    @Override public RecordType type() { return RecordType.LULD; }
}
