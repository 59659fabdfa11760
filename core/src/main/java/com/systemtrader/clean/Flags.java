package com.systemtrader.clean;

import com.systemtrader.sip.Eligibility;

/**
 * The verdict the {@link DataCleaner} gives an event, as one {@code int}: the low bits are the trade's SIP
 * eligibility ({@link Eligibility}, bits 0-5), the middle bits are quality flags (the event is kept, but marked),
 * and the two top bits say that the event was rejected or filtered. Allocation-free by design: sinks receive the
 * event and this int side by side.
 */
public final class Flags {
    /** Bits reserved for {@link Eligibility}. */
    public static final int ELIGIBILITY_MASK = 0xFF;

    /** Price far from the recent traded range or outside the LULD band: kept out of last price and bars. */
    public static final int SUSPICIOUS = 1 << 8;
    /** Trade price outside the current LULD band (always with {@link #SUSPICIOUS}). */
    public static final int OUTSIDE_LULD = 1 << 9;
    /** Trade event time below the latest trade event time seen for the symbol. */
    public static final int OUT_OF_ORDER = 1 << 10;
    /** Late report: a late-report condition, or received / reported by the TRF long after its event time. */
    public static final int LATE = 1 << 11;
    /** Quote with bid above ask. */
    public static final int CROSSED = 1 << 12;
    /** Quote with bid equal to ask. */
    public static final int LOCKED = 1 << 13;
    /** Quote with exactly one side zero (no bid or no offer): not a price, no mid. */
    public static final int ONE_SIDED = 1 << 14;
    /** Quote with both sides zero. */
    public static final int EMPTY_QUOTE = 1 << 15;
    /** Event for a symbol that is halted or paused. */
    public static final int DURING_HALT = 1 << 16;
    /** A trade with a condition code the eligibility table does not know. */
    public static final int UNKNOWN_CONDITION = 1 << 17;
    /** A bar built by System Trader that replaces one emitted before for the same window (late trades, cancels). */
    public static final int REVISED = 1 << 18;

    /** All quality flags: an event with any of these set is "flagged". */
    public static final int QUALITY_MASK = 0x3FFF_FF00 & ~REVISED;

    /** Rejected with a reason; the event went to the quarantine. */
    public static final int REJECTED = 1 << 30;
    /** Deliberately filtered (unsubscribed symbol, test symbol, unknown type). */
    public static final int FILTERED = 1 << 29;

    /** Names of the quality flags, bit 8 upwards. */
    private static final String[] NAMES = {"suspicious", "outside-luld", "out-of-order", "late", "crossed", "locked",
            "one-sided", "empty-quote", "during-halt", "unknown-condition", "revised"};

    private Flags() {}

    public static boolean rejected(int flags) { return (flags & REJECTED) != 0; }

    public static boolean filtered(int flags) { return (flags & FILTERED) != 0; }

    /** True for events that continue to the sinks (accepted or flagged). */
    public static boolean kept(int flags) { return (flags & (REJECTED | FILTERED)) == 0; }

    public static boolean flagged(int flags) { return kept(flags) && (flags & QUALITY_MASK) != 0; }

    public static boolean has(int flags, int flag) { return (flags & flag) != 0; }

    public static Outcome outcome(int flags) {
        if (rejected(flags)) return Outcome.REJECTED;
        if (filtered(flags)) return Outcome.FILTERED;
        return (flags & QUALITY_MASK) != 0 ? Outcome.FLAGGED : Outcome.ACCEPTED;
    }

    /** Readable names of the quality flags set (for reports and JSON), e.g. {@code "out-of-order,late"}. */
    public static String describe(int flags) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << (8 + i))) != 0) b.append(b.isEmpty() ? "" : ",").append(NAMES[i]);
        }
        return b.toString();
    }
}
