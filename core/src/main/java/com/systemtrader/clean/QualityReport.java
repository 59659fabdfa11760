package com.systemtrader.clean;

import com.systemtrader.bars.BarCrossCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-quality report of one feed: what the cleaner did with every received message (overall and per symbol,
 * by outcome and by rule), duplicates, ordering, lateness, suspicious prints, quote shape, sequence gaps, latency,
 * the bars we built and how they compare with the provider's. Shown by {@code test-websocket --check-quality},
 * serialized as JSON with {@code --report-json}; plain data, safe to hand to any thread.
 *
 * @param received        messages the collector decoded (data events, malformed frames, unknown types), counted
 *                        by the collector independently of the cleaner
 * @param accountedFor    true when received = accepted + flagged + rejected + filtered
 */
public record QualityReport(String source, String feed, String eligibilityTable, long received, long accepted,
                            long flagged, long rejected, long filtered, boolean accountedFor, Map<String, Long> rules,
                            Totals totals, Latency latencyMs, Bars bars, Quarantined quarantine,
                            Map<String, SymbolQuality> bySymbol) {

    /** Totals of the figures the report is about. */
    public record Totals(long trades, long quotes, long duplicates, long outOfOrder, long late, long suspicious,
                         long outsideLuld, long crossedQuotes, long lockedQuotes, long oneSidedQuotes,
                         long emptyQuotes, double crossedShare, long levelShifts, long correctionsApplied,
                         long cancelsApplied, long sequenceGaps, long sequenceNumbersMissing) {}

    public record Latency(double p50, double p99, double max) {}

    /**
     * @param published  bars we built and published (first versions)
     * @param revisions  revised bars (late trades, cancels, corrections)
     * @param tooLate    trades later than their bar's late window
     * @param crossCheck our minute bars against the provider's (null when bars are off)
     */
    public record Bars(long published, long revisions, long tooLate, long cancelsApplied, long correctionsApplied,
                       BarCrossCheck.Figures crossCheck) {}

    /** @param recent the latest rejections, as "rule symbol: reason" */
    public record Quarantined(long total, long evicted, List<String> recent) {}

    public record SymbolQuality(long received, long accepted, long flagged, long rejected, long filtered, long trades,
                                long quotes, long duplicates, long outOfOrder, long late, long suspicious,
                                long crossedQuotes, long lockedQuotes, long oneSidedQuotes, long sequenceGaps) {}

    /** Builds the report from the cleaner's counters and the figures the collector keeps. */
    public static QualityReport of(CleanerSnapshot c, long received, Latency latency, Map<String, Long> gapsBySymbol,
                                   long sequenceGaps, long sequenceMissing, Bars bars, Quarantine q) {
        CleanerSnapshot.Figures t = c.total();
        long accepted = t.outcome(Outcome.ACCEPTED), flagged = t.outcome(Outcome.FLAGGED);
        long rejected = t.outcome(Outcome.REJECTED), filtered = t.outcome(Outcome.FILTERED);
        Totals totals = new Totals(t.trades(), t.quotes(), t.rule(Rule.DUPLICATE), t.rule(Rule.OUT_OF_ORDER),
                t.rule(Rule.LATE), t.rule(Rule.OUTLIER) + t.rule(Rule.OUTSIDE_LULD), t.rule(Rule.OUTSIDE_LULD),
                t.rule(Rule.CROSSED), t.rule(Rule.LOCKED), t.rule(Rule.ONE_SIDED), t.rule(Rule.EMPTY_QUOTE),
                t.quotes() == 0 ? 0 : round((double) t.rule(Rule.CROSSED) / t.quotes()), t.levelShifts(),
                t.correctionsApplied(), t.cancelsApplied(), sequenceGaps, sequenceMissing);
        Map<String, SymbolQuality> per = new TreeMap<>();
        c.bySymbol().forEach((sym, f) -> per.put(sym, new SymbolQuality(f.received(), f.outcome(Outcome.ACCEPTED),
                f.outcome(Outcome.FLAGGED), f.outcome(Outcome.REJECTED), f.outcome(Outcome.FILTERED), f.trades(),
                f.quotes(), f.rule(Rule.DUPLICATE), f.rule(Rule.OUT_OF_ORDER), f.rule(Rule.LATE),
                f.rule(Rule.OUTLIER) + f.rule(Rule.OUTSIDE_LULD), f.rule(Rule.CROSSED), f.rule(Rule.LOCKED),
                f.rule(Rule.ONE_SIDED), gapsBySymbol.getOrDefault(sym, 0L))));
        List<String> recent = new ArrayList<>();
        for (QuarantineRecord r : q.recent(10)) {
            recent.add(r.rule() + " " + (r.symbol() == null ? "-" : r.symbol()) + ": " + r.reason());
        }
        return new QualityReport(c.source(), c.feed(), c.eligibilityVersion(), received, accepted, flagged, rejected,
                filtered, received == accepted + flagged + rejected + filtered, new LinkedHashMap<>(t.rules()), totals,
                latency, bars, new Quarantined(c.quarantined(), c.quarantineEvicted(), recent), per);
    }

    /** The readable report, one line per figure group. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(f("  quality (%s %s, SIP table %s):", source, feed, eligibilityTable));
        out.add(f("    received %,d = accepted %,d + flagged %,d + rejected %,d + filtered %,d%s", received, accepted,
                flagged, rejected, filtered, accountedFor ? "" : "  ** DOES NOT ADD UP **"));
        if (!rules.isEmpty()) {
            StringBuilder b = new StringBuilder("    rules:");
            rules.forEach((k, v) -> b.append(f(" %s %,d;", k, v)));
            out.add(b.substring(0, b.length() - 1));
        }
        Totals t = totals;
        out.add(f("    trades %,d: duplicates %,d, out of order %,d, late %,d, suspicious %,d (outside LULD %,d), "
                + "level shifts %,d", t.trades(), t.duplicates(), t.outOfOrder(), t.late(), t.suspicious(),
                t.outsideLuld(), t.levelShifts()));
        out.add(f("    quotes %,d: crossed %,d (%.3f%%), locked %,d, one-sided %,d, empty %,d", t.quotes(),
                t.crossedQuotes(), t.crossedShare() * 100, t.lockedQuotes(), t.oneSidedQuotes(), t.emptyQuotes()));
        out.add(f("    corrections applied %,d, cancels applied %,d; sequence gaps %,d (%,d numbers skipped)",
                t.correctionsApplied(), t.cancelsApplied(), t.sequenceGaps(), t.sequenceNumbersMissing()));
        out.add(f("    latency (event to receive): p50 %.3f ms, p99 %.3f ms, max %.3f ms", latencyMs.p50(),
                latencyMs.p99(), latencyMs.max()));
        if (bars != null) {
            out.add(f("    bars built %,d, revised %,d, trades too late for a bar %,d", bars.published(),
                    bars.revisions(), bars.tooLate()));
            BarCrossCheck.Figures x = bars.crossCheck();
            if (x != null && x.compared() + x.oursOnly() + x.providerOnly() > 0) {
                out.add(f("    bars vs provider: compared %,d, equal %,d, differ %,d (+%,d after cancels/corrections), "
                        + "ours only %,d, provider only %,d, max price diff %.4f%%, volume diff %,d", x.compared(),
                        x.matched(), x.mismatched(), x.explainedByCorrections(), x.oursOnly(), x.providerOnly(),
                        x.maxPriceDiffFraction() * 100, x.volumeDiffTotal()));
                for (String e : x.examples().subList(0, Math.min(3, x.examples().size()))) out.add("      " + e);
            }
        }
        out.add(f("    quarantine: %,d rejected message(s) kept, %,d evicted", quarantine.total() - quarantine.evicted(),
                quarantine.evicted()));
        for (String r : quarantine.recent()) out.add("      " + r);
        if (!bySymbol.isEmpty()) {
            out.add("    per symbol (received/accepted/flagged/rejected/filtered; dup, ooo, late, susp, crossed):");
            bySymbol.forEach((sym, s) -> out.add(f("      %-8s %,d/%,d/%,d/%,d/%,d; %,d, %,d, %,d, %,d, %,d", sym,
                    s.received(), s.accepted(), s.flagged(), s.rejected(), s.filtered(), s.duplicates(),
                    s.outOfOrder(), s.late(), s.suspicious(), s.crossedQuotes())));
        }
        return out;
    }

    private static double round(double v) { return Math.round(v * 1e6) / 1e6; }

    private static String f(String format, Object... args) { return String.format(Locale.ROOT, format, args); }
}
