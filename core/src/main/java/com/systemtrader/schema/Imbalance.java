package com.systemtrader.schema;

/**
 * An order imbalance. Alpaca {@code i} carries symbol, price and tape only; Polygon {@code NOI} also carries the
 * auction time (hhmm ET), auction type, exchange, imbalance and paired quantities. Missing values are
 * {@link Absent} / NaN / {@link Absent#CHAR}.
 *
 * @param price  Alpaca {@code p}; Polygon {@code b} (book clearing price)
 */
public record Imbalance(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs, double price,
                        long imbalanceQuantity, long pairedQuantity, int auctionTime, char auctionType,
                        int exchange, char tape) implements MarketEvent {
    @Override public RecordType type() { return RecordType.IMBALANCE; }
}
