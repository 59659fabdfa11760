package com.systemtrader.data;

import java.util.Locale;

/** Where a bar is in its life (docs/DATA_MODEL.md). */
public enum BarState {
    /** Its bucket has not ended: more trades will change it. */
    PARTIAL,
    /** Its bucket has ended and the tier holds it as first published (or, in the database, as now computed). */
    FINAL,
    /** Its bucket has ended and the bar was republished with other values (late trades, a cancel or correction, the
     * provider's updated bar). */
    REVISED;

    /** {@code partial}, {@code final}, {@code revised}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** PARTIAL while {@code [startNs, startNs + lengthNs)} has not ended at {@code nowNs}, else {@code closed}. */
    static BarState at(long startNs, long lengthNs, long nowNs, BarState closed) {
        return nowNs < startNs + lengthNs ? PARTIAL : closed;
    }
}
