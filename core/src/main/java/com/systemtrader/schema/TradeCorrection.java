package com.systemtrader.schema;

/** A correction of an earlier trade (Alpaca {@code c}): the original identity and values, and the corrected ones. */
public record TradeCorrection(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs, int exchange,
                              String originalId, double originalPrice, long originalSize, Conditions originalConditions,
                              String correctedId, double correctedPrice, long correctedSize,
                              Conditions correctedConditions, char tape) implements MarketEvent {
    @Override public RecordType type() { return RecordType.TRADE_CORRECTION; }
}
