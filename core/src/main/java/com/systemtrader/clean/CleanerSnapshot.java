package com.systemtrader.clean;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cleaner's counters at a moment: per outcome and per rule, overall and per symbol.
 *
 * @param eligibilityVersion the version of the SIP condition table the trades were judged by
 */
public record CleanerSnapshot(String source, String feed, Figures total, Map<String, Figures> bySymbol,
                              long quarantined, long quarantineEvicted, String eligibilityVersion) {

    /**
     * Counters of one scope (all symbols, or one).
     *
     * @param outcomes  received messages by outcome (their sum is {@link #received()})
     * @param rules     firings per rule label, only rules that fired (an event may fire several flag rules)
     */
    public record Figures(Map<Outcome, Long> outcomes, Map<String, Long> rules, long trades, long quotes,
                          long levelShifts, long correctionsApplied, long cancelsApplied, long correctionsUnmatched,
                          long cancelsUnmatched) {
        public long received() {
            long n = 0;
            for (long v : outcomes.values()) n += v;
            return n;
        }

        public long outcome(Outcome o) { return outcomes.getOrDefault(o, 0L); }

        public long rule(Rule r) { return rules.getOrDefault(r.label(), 0L); }

        static Figures of(Counts c) {
            Map<Outcome, Long> o = new EnumMap<>(Outcome.class);
            for (Outcome x : Outcome.values()) o.put(x, c.outcome(x));
            Map<String, Long> r = new LinkedHashMap<>();
            for (Rule x : Rule.ALL) if (c.rule(x) > 0) r.put(x.label(), c.rule(x));
            return new Figures(o, r, c.get(Counts.TRADES), c.get(Counts.QUOTES), c.get(Counts.LEVEL_SHIFTS),
                    c.get(Counts.CORRECTIONS_APPLIED), c.get(Counts.CANCELS_APPLIED),
                    c.get(Counts.CORRECTIONS_UNMATCHED), c.get(Counts.CANCELS_UNMATCHED));
        }
    }

    static CleanerSnapshot of(String source, String feed, Counts totals, Map<String, SymbolState> symbols,
                              Quarantine q, String version) {
        Map<String, Figures> per = new TreeMap<>();
        symbols.forEach((sym, st) -> {
            if (st.counts.received() > 0) per.put(sym, Figures.of(st.counts));
        });
        return new CleanerSnapshot(source, feed, Figures.of(totals), per, q.added(), q.evicted(), version);
    }
}
