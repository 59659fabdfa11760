package com.systemtrader.schema;

/** The bar kinds the providers stream. */
public enum BarInterval {
    /** Polygon {@code A}. */
    SECOND(1_000_000_000L),
    /** Polygon {@code AM}, Alpaca {@code b}. */
    MINUTE(60_000_000_000L),
    /** Alpaca {@code u}: a minute bar recomputed after late trades arrived. */
    UPDATED_MINUTE(60_000_000_000L),
    /** Alpaca {@code d}: the running daily bar (starts at midnight New York time). */
    DAILY(86_400_000_000_000L);

    private final long nanos;

    BarInterval(long nanos) { this.nanos = nanos; }

    /** The nominal length of the window in nanoseconds (a calendar day for DAILY). */
    public long nanos() { return nanos; }
}
