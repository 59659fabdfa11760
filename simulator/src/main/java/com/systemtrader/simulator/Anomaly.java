package com.systemtrader.simulator;

/**
 * The kinds of wire-level data anomaly the simulator injects ({@link Faults}) and counts
 * ({@link InjectedAnomalies}), each with the label used in counts, in the truth file and in reports.
 *
 * <p>Most kinds are <em>extra</em> elements: data the market never produced, inserted into the frame being sent
 * (the truth file tags their lines with {@code "anomaly":"<label>"}). {@link #LINGER_UNSUBSCRIBED} is a real
 * market event the client no longer asked for (also tagged {@code "anomaly"}); {@link #REORDERED} is a market
 * event sent before its predecessor (tagged {@code "reordered":true}, since it is part of the subscribed
 * stream); {@link #MALFORMED_FRAME} is a whole frame that does not decode (its own truth line, without an event).
 */
public enum Anomaly {
    /** A trade at 1.6 or 0.4 times the price of the trade before it (alternately), fresh trade id. */
    OUTLIER("outlier"),
    /** A trade with price 0. */
    BAD_PRICE_ZERO("bad-price-zero"),
    /** A trade with size 0. */
    BAD_SIZE_ZERO("bad-size-zero"),
    /** A trade with a negative price. */
    BAD_PRICE_NEGATIVE("bad-price-negative"),
    /** A quote with the bid above the ask. */
    CROSSED_QUOTE("crossed-quote"),
    /** A quote with the bid equal to the ask. */
    LOCKED_QUOTE("locked-quote"),
    /** A quote with bid 0 or ask 0 (alternately). */
    ONE_SIDED_QUOTE("one-sided-quote"),
    /** A distinct quote stamped with the exact event time of the quote it follows (bid and ask sizes raised). */
    SAME_TIME_QUOTE("same-time-quote"),
    /** A trade stamped one hour after the trade it follows. */
    FUTURE_TIMESTAMP("future-timestamp"),
    /** A trade of an exchange test symbol (ZVZZT, ZXZZT, NTEST), only to sessions subscribed to all trades. */
    TEST_SYMBOL("test-symbol"),
    /** Alpaca: a data message of a symbol sent after the client unsubscribed it. */
    LINGER_UNSUBSCRIBED("linger-unsubscribed"),
    /** A second copy of a trade, directly after it in the same frame (unless the frame ended there). */
    DUPLICATE_TRADE("duplicate-trade"),
    /** A second copy of a quote. */
    DUPLICATE_QUOTE("duplicate-quote"),
    /** A second copy of any other data message (bars, LULD bands, imbalances...). */
    DUPLICATE_OTHER("duplicate-other"),
    /** A frame that does not decode: invalid JSON or MessagePack, or a data frame cut short. */
    MALFORMED_FRAME("malformed-frame"),
    /** A market event swapped with the market event before it. */
    REORDERED("reordered");

    private final String label;

    Anomaly(String label) {
        this.label = label;
    }

    /** The kind's name in counts, truth lines and reports, e.g. {@code bad-price-zero}. */
    public String label() { return label; }

    /** True for elements the market never produced (injected trades and quotes, duplicates). */
    public boolean extra() {
        return this != LINGER_UNSUBSCRIBED && this != REORDERED && this != MALFORMED_FRAME;
    }

    /** The kind with this label. @throws IllegalArgumentException for an unknown label */
    public static Anomaly ofLabel(String label) {
        for (Anomaly a : values()) if (a.label.equals(label)) return a;
        throw new IllegalArgumentException("unknown anomaly kind: " + label);
    }
}
