package com.systemtrader.data;

import java.util.Locale;

/** Where an answer was read, in the order {@link RealtimeDataProvider} tries them. */
public enum Tier {
    /** This process's {@link com.systemtrader.cache.MemoryDataCache}. */
    MEMORY,
    /** The shared Redis cache (docs/REDIS_SCHEMA.md). */
    REDIS,
    /** PostgreSQL / TimescaleDB ({@code websocket_data}, the {@code ohlcv_*} views). */
    DATABASE,
    /** The providers' REST APIs. */
    REST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
