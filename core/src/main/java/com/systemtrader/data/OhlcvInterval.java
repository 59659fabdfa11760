package com.systemtrader.data;

import java.util.Locale;

/**
 * The bar intervals of {@link RealtimeDataProvider#getOhlcv}: each has a database view ({@code ohlcv_1m} ...,
 * the same name in PostgreSQL and TimescaleDB mode); the vendors' REST APIs are asked by {@link #minutes()}.
 */
public enum OhlcvInterval {
    M1("1m", 60),
    M5("5m", 300),
    M15("15m", 900),
    H1("1h", 3600),
    D1("1d", 86_400);

    private final String label;
    private final long nanos;

    OhlcvInterval(String label, long seconds) {
        this.label = label;
        this.nanos = seconds * 1_000_000_000L;
    }

    /** {@code 1m}, {@code 5m}, {@code 15m}, {@code 1h}, {@code 1d}. */
    public String label() { return label; }

    public long nanos() { return nanos; }

    /** The database view. */
    public String view() { return "ohlcv_" + label; }

    /** Minute bars per bar of this interval. */
    public int minutes() { return (int) (nanos / 60_000_000_000L); }

    /** Parses {@code 1m}, {@code 5m}, {@code 15m}, {@code 1h}, {@code 1d} (also {@code 60m}, {@code 1min}, {@code 1day}). */
    public static OhlcvInterval parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        for (OhlcvInterval i : values()) if (i.label.equals(t)) return i;
        return switch (t) {
            case "1min", "minute" -> M1;
            case "5min" -> M5;
            case "15min" -> M15;
            case "60m", "60min", "1hour", "hour" -> H1;
            case "day", "1day", "daily" -> D1;
            default -> throw new IllegalArgumentException("unknown interval '" + s + "' (use 1m, 5m, 15m, 1h or 1d)");
        };
    }
}
