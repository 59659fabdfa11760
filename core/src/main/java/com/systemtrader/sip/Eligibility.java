package com.systemtrader.sip;

/**
 * What a trade may update under the SIP rules, as bits of an {@code int} (protocols.md section 4.1). Worked out by
 * {@link TradeEligibility}; a trade is eligible for a field only when every one of its conditions allows it.
 *
 * <p>Only bits 0..5 are used here; higher bits are reserved for the data cleaner's quality flags, so code that
 * combines the two must mask with {@link #MASK}.
 */
public final class Eligibility {
    /** May set open, close and last under the consolidated (daily) rules. */
    public static final int OPEN_CLOSE = 1;
    /** May set high and low under the consolidated (daily) rules. */
    public static final int HIGH_LOW = 2;
    /** Counts toward volume (and VWAP and trade count). Odd lots do. */
    public static final int VOLUME = 4;
    /**
     * May set open, close and last of intraday bars (second, minute) and the live last price. Equal to
     * {@link #OPEN_CLOSE} except that Form T trades in pre-market and after-hours also qualify.
     */
    public static final int BAR_OPEN_CLOSE = 8;
    /** May set high and low of intraday bars; {@link #HIGH_LOW} plus the same extended-hours Form T rule. */
    public static final int BAR_HIGH_LOW = 16;
    /** Some condition code is not in the table. Unknown codes allow everything; this bit only says so. */
    public static final int UNKNOWN_CONDITION = 32;

    /** Every update bit: a regular trade (no conditions). */
    public static final int ALL = OPEN_CLOSE | HIGH_LOW | VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW;
    /** The bits this class owns (0..5). */
    public static final int MASK = ALL | UNKNOWN_CONDITION;

    private Eligibility() {}

    public static boolean updatesOpenClose(int bits) { return (bits & OPEN_CLOSE) != 0; }

    public static boolean updatesHighLow(int bits) { return (bits & HIGH_LOW) != 0; }

    public static boolean updatesVolume(int bits) { return (bits & VOLUME) != 0; }

    public static boolean updatesBarOpenClose(int bits) { return (bits & BAR_OPEN_CLOSE) != 0; }

    public static boolean updatesBarHighLow(int bits) { return (bits & BAR_HIGH_LOW) != 0; }

    public static boolean hasUnknownCondition(int bits) { return (bits & UNKNOWN_CONDITION) != 0; }

    /** For logs and test messages, e.g. {@code "VOLUME|BAR_OPEN_CLOSE|BAR_HIGH_LOW"}; {@code "NONE"} for 0. */
    public static String toString(int bits) {
        StringBuilder b = new StringBuilder();
        String[] names = {"OPEN_CLOSE", "HIGH_LOW", "VOLUME", "BAR_OPEN_CLOSE", "BAR_HIGH_LOW", "UNKNOWN_CONDITION"};
        for (int i = 0; i < names.length; i++) {
            if ((bits & (1 << i)) == 0) continue;
            if (!b.isEmpty()) b.append('|');
            b.append(names[i]);
        }
        return b.isEmpty() ? "NONE" : b.toString();
    }
}
