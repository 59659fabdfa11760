package com.systemtrader.backfill;

/** How a backfill ended. */
public enum BackfillOutcome {
    /** Every symbol's window was fetched from REST and handed to storage. */
    FILLED("filled"),
    /** Some symbols or part of the window (or only minute bars instead of trades) could be filled. */
    PARTIALLY_FILLED("partially_filled"),
    /** Nothing could be filled; the reason says why. */
    FAILED("failed");

    private final String label;

    BackfillOutcome(String label) { this.label = label; }

    /** The metric tag and {@code gap_ledger.backfill_note} prefix. */
    public String label() { return label; }

    /** The outcome of several parts: filled when all filled, failed when all failed, else partially filled. */
    static BackfillOutcome combine(Iterable<BackfillOutcome> parts) {
        boolean any = false;
        boolean allFilled = true;
        boolean allFailed = true;
        for (BackfillOutcome o : parts) {
            any = true;
            if (o != FILLED) allFilled = false;
            if (o != FAILED) allFailed = false;
        }
        if (!any) return FAILED;
        return allFilled ? FILLED : allFailed ? FAILED : PARTIALLY_FILLED;
    }
}
