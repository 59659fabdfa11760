package com.systemtrader.schema;

/**
 * A normalized market-data event. The family is sealed so that consumers can {@code switch} over it
 * exhaustively.
 */
public sealed interface MarketEvent
        permits Trade, Quote, Bar, TradingStatus, LuldBand, TradeCorrection, TradeCancel, Imbalance {
    DataSource source();
    String symbol();
    /** Event time in epoch nanoseconds (for bars: the window start). */
    long eventTimeNs();
    /** When this process received it, epoch nanoseconds; 0 for records that were never received (e.g. generated). */
    long receiveTimeNs();
    RecordType type();
}
