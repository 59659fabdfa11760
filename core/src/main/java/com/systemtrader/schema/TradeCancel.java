package com.systemtrader.schema;

/**
 * A cancel or error of an earlier trade (Alpaca {@code x}).
 *
 * @param action 'C' cancel or 'E' error
 */
public record TradeCancel(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs, int exchange,
                          String tradeId, double price, long size, char action, char tape) implements MarketEvent {
    @Override public RecordType type() { return RecordType.TRADE_CANCEL; }
}
