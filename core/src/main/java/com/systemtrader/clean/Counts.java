package com.systemtrader.clean;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One set of cleaner counters (the totals, or one symbol's): outcomes, rule firings and a few extra figures, in one
 * {@link AtomicLongArray}. Single writer (the pipeline thread) increments with a release store, which costs about
 * what a plain store does; any thread reads.
 */
final class Counts {
    static final int OUTCOMES = Outcome.values().length;
    static final int RULES = Rule.ALL.length;
    static final int TRADES = OUTCOMES + RULES;
    static final int QUOTES = TRADES + 1;
    static final int LEVEL_SHIFTS = TRADES + 2;
    static final int CORRECTIONS_APPLIED = TRADES + 3;
    static final int CANCELS_APPLIED = TRADES + 4;
    static final int CORRECTIONS_UNMATCHED = TRADES + 5;
    static final int CANCELS_UNMATCHED = TRADES + 6;
    static final int SIZE = TRADES + 7;

    private final AtomicLongArray values = new AtomicLongArray(SIZE);

    void increment(int i) { values.lazySet(i, values.get(i) + 1); }

    void countOutcome(Outcome o) { increment(o.ordinal()); }

    void countRule(Rule r) { increment(OUTCOMES + r.ordinal()); }

    long get(int i) { return values.get(i); }

    long outcome(Outcome o) { return values.get(o.ordinal()); }

    long rule(Rule r) { return values.get(OUTCOMES + r.ordinal()); }

    long received() {
        long n = 0;
        for (int i = 0; i < OUTCOMES; i++) n += values.get(i);
        return n;
    }
}
