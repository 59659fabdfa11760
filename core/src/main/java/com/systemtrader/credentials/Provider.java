package com.systemtrader.credentials;

/** A market-data provider whose credentials {@link APIKeyManager} holds. */
public enum Provider {
    /** Polygon.io, now also branded Massive. */
    POLYGON("Polygon"),
    /** Alpaca Market Data v2. */
    ALPACA("Alpaca");

    private final String displayName;

    Provider(String displayName) {
        this.displayName = displayName;
    }

    /** The name for messages ({@code Polygon}, {@code Alpaca}). */
    public String displayName() {
        return displayName;
    }

    /** The lower-case name used in the credentials file and as a metric tag. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
