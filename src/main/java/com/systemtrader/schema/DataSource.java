package com.systemtrader.schema;

/** Where a record came from. */
public enum DataSource {
    POLYGON,
    ALPACA,
    /** Built inside System Trader (for example bars built from trades). */
    DERIVED,
    /** Loaded from storage. */
    DATABASE,
    SIMULATOR
}
