package com.systemtrader.bars;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the minute bars we built with the provider's own ({@code AM} on Polygon, {@code b} and its updates
 * {@code u} on Alpaca) for the same symbol and window: each of our final bars is compared {@code grace} after its
 * late window closed, against the provider's latest version of that window. Prices must be equal, volume equal,
 * VWAP within 0.0001 (the providers round it), the trade count equal when the provider sends one. Differences in
 * windows where we applied a cancel or correction are counted apart: the providers' bars do not apply them.
 * Thread-safe (the pipeline thread writes, reports read).
 */
public final class BarCrossCheck implements BarBuilder.FinalBars {
    private static final int EXAMPLES = 20;
    private static final double VWAP_TOLERANCE = 1e-4;

    /**
     * The cross-check so far.
     *
     * @param compared               windows where both bars existed
     * @param matched                of those, equal
     * @param explainedByCorrections different, in windows where we applied a cancel or correction
     * @param mismatched             different, unexplained
     * @param oursOnly               our bar had no provider bar
     * @param providerOnly           the provider's bar had no bar of ours
     * @param maxPriceDiffFraction   largest |ours - theirs| / theirs over open, high, low and close
     * @param volumeDiffTotal        sum of |volume difference|
     * @param examples               the first differences, readable
     */
    public record Figures(long compared, long matched, long explainedByCorrections, long mismatched, long oursOnly,
                          long providerOnly, double maxPriceDiffFraction, long volumeDiffTotal, List<String> examples) {}

    private record Key(String symbol, long start) {}

    private record Pending(Bar ours, boolean amended, long compareAtNs) {}

    private final long graceNs;
    private final long retainNs;
    private final LinkedHashMap<Key, Bar> provider = new LinkedHashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<String> examples = new ArrayList<>();
    private long compared, matched, explained, mismatched, oursOnly, providerOnly, volumeDiff;
    private double maxPriceDiff;

    /**
     * @param graceNs  how long after our bar is final to wait for the provider's last update
     * @param retainNs how long a provider bar waits for ours (from its window end) before it counts as provider-only
     */
    public BarCrossCheck(long graceNs, long retainNs) {
        this.graceNs = graceNs;
        this.retainNs = retainNs;
    }

    /** A provider minute bar or update; a later version of a window replaces an earlier one. */
    public synchronized void onProviderBar(Bar b) {
        if (b.derived() || (b.interval() != BarInterval.MINUTE && b.interval() != BarInterval.UPDATED_MINUTE)) return;
        provider.remove(new Key(b.symbol(), b.eventTimeNs()));
        provider.put(new Key(b.symbol(), b.eventTimeNs()), b);
    }

    @Override public synchronized void onFinal(Bar ours, boolean amended, long nowNs) {
        pending.addLast(new Pending(ours, amended, nowNs + graceNs));
    }

    /** Compares what is due; ages out provider bars nobody matched. */
    public synchronized void tick(long nowNs) {
        while (!pending.isEmpty() && pending.peekFirst().compareAtNs() <= nowNs) {
            Pending p = pending.pollFirst();
            Bar theirs = provider.remove(new Key(p.ours().symbol(), p.ours().eventTimeNs()));
            if (theirs == null) oursOnly++;
            else compare(p.ours(), theirs, p.amended());
        }
        for (Iterator<Map.Entry<Key, Bar>> it = provider.entrySet().iterator(); it.hasNext(); ) {
            Bar b = it.next().getValue();
            if (b.endTimeNs() + retainNs > nowNs) break;
            it.remove();
            providerOnly++;
        }
    }

    public synchronized Figures figures() {
        return new Figures(compared, matched, explained, mismatched, oursOnly, providerOnly, maxPriceDiff, volumeDiff,
                List.copyOf(examples));
    }

    private void compare(Bar ours, Bar theirs, boolean amended) {
        compared++;
        StringBuilder diff = new StringBuilder();
        price(diff, "open", ours.open(), theirs.open());
        price(diff, "high", ours.high(), theirs.high());
        price(diff, "low", ours.low(), theirs.low());
        price(diff, "close", ours.close(), theirs.close());
        if (ours.volume() != theirs.volume()) {
            volumeDiff += Math.abs(ours.volume() - theirs.volume());
            diff.append(" volume ").append(ours.volume()).append("/").append(theirs.volume());
        }
        if (!Double.isNaN(theirs.vwap()) && Math.abs(ours.vwap() - theirs.vwap()) > VWAP_TOLERANCE) {
            diff.append(" vwap ").append(ours.vwap()).append("/").append(theirs.vwap());
        }
        if (!Absent.isAbsent(theirs.tradeCount()) && ours.tradeCount() != theirs.tradeCount()) {
            diff.append(" trades ").append(ours.tradeCount()).append("/").append(theirs.tradeCount());
        }
        if (diff.isEmpty()) {
            matched++;
            return;
        }
        if (amended) explained++;
        else mismatched++;
        if (examples.size() < EXAMPLES) {
            examples.add(ours.symbol() + " " + ours.eventTimeNs() + (amended ? " (after a cancel/correction)" : "")
                    + " ours/theirs:" + diff);
        }
    }

    private void price(StringBuilder diff, String name, double ours, double theirs) {
        if (ours == theirs) return;
        maxPriceDiff = Math.max(maxPriceDiff, Math.abs(ours - theirs) / Math.abs(theirs));
        diff.append(' ').append(name).append(' ').append(ours).append('/').append(theirs);
    }
}
