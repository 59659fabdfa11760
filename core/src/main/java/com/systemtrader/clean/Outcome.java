package com.systemtrader.clean;

/** What the cleaner did with one received message. received = accepted + flagged + rejected + filtered. */
public enum Outcome {
    /** Passed every rule. */
    ACCEPTED,
    /** Kept, with at least one quality flag (suspicious, out-of-order, crossed, late...). */
    FLAGGED,
    /** Refused by a validation or cleaning rule; kept in the quarantine with its element, the rule and the reason. */
    REJECTED,
    /** Deliberately dropped by configuration or policy (unsubscribed symbol, exchange test symbol, unknown type). */
    FILTERED;

    public String label() { return name().toLowerCase(); }
}
