package com.systemtrader.schema;

/** The kinds of normalized record, as used by caches, storage and {@code getLatestData(symbol, type)}. */
public enum RecordType {
    TRADE,
    QUOTE,
    BAR,
    TRADING_STATUS,
    LULD,
    TRADE_CORRECTION,
    TRADE_CANCEL,
    IMBALANCE,
    CONNECTION_STATUS
}
