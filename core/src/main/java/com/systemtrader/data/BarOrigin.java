package com.systemtrader.data;

import java.util.Locale;

/**
 * Whose aggregation a bar is (docs/DATA_MODEL.md). The two are separate series: a tier asked for one never answers
 * with the other.
 */
public enum BarOrigin {
    /**
     * Built by System Trader from the provider's eligible trades under the SIP rules (the bar builder in memory and
     * Redis, the {@code ohlcv_*} roll-ups in the database). The default of every OHLCV answer.
     */
    BUILT,
    /** The provider's own bars (Polygon {@code AM}/{@code A}, Alpaca {@code b}/{@code u}/{@code d}, their REST aggregates). */
    PROVIDER;

    /** {@code built} or {@code provider}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code built} or {@code provider} (any case). */
    public static BarOrigin parse(String s) {
        for (BarOrigin o : values()) if (o.label().equalsIgnoreCase(s.strip())) return o;
        throw new IllegalArgumentException("unknown bar origin '" + s + "' (use built or provider)");
    }
}
