package com.systemtrader.schema;

/** Marker values for fields a provider did not send. */
public final class Absent {
    /** An integer field (sequence, TRF id, trade count...) that was not present. */
    public static final long LONG = Long.MIN_VALUE;
    /** An int code (exchange id, TRF id) that was not present. */
    public static final int INT = Integer.MIN_VALUE;
    /** A character code (tape) that was not present. */
    public static final char CHAR = '\0';

    private Absent() {}

    public static boolean isAbsent(long v) { return v == LONG; }
    public static boolean isAbsent(int v) { return v == INT; }
    public static boolean isAbsent(double v) { return Double.isNaN(v); }
}
