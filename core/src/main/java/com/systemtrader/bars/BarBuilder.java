package com.systemtrader.bars;

import com.systemtrader.clean.Flags;
import com.systemtrader.clean.TradeIdentity;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.sip.Eligibility;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.vendor.VendorModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Builds one-second and one-minute bars from a feed's cleaned trades under the SIP eligibility rules, bucketed by
 * event time. A window's bar is published {@code emitDelay} after the window ends; trades that arrive later, up to
 * {@code lateWindow} after the end, and cancels and corrections of trades in the window, revise it (the revised bar
 * is published at the next {@link #tick}, like Alpaca's updated bars); trades later than that are counted as too
 * late for bars. Suspicious, rejected and filtered trades never enter a bar. Windows without a trade that may set
 * the price publish no bar (as the providers do).
 *
 * <p>A window the feed did not watch from its start to its end (it began before the feed first streamed, or an
 * outage overlaps it: {@link #unwatchedFrom}, {@link #watchedFrom}) publishes nothing: a bar of part of a window is
 * not that window's bar (docs/DATA_MODEL.md). Such windows are counted ({@link #incomplete()}); the database gets
 * their trades from the backfill of the outage, and the tiers after the caches answer them.
 *
 * <p>Single-threaded (the feed's pipeline thread); counters may be read from any thread.
 */
public final class BarBuilder {
    /** One bar length and its timing. */
    record Spec(BarInterval interval, long lengthNs, long emitDelayNs, long lateWindowNs, int slots) {
        static Spec of(BarInterval interval, long lengthNs, long emitDelayNs, long lateWindowNs, long futureNs) {
            int slots = (int) ((lateWindowNs + futureNs + lengthNs - 1) / lengthNs) + 2;
            return new Spec(interval, lengthNs, emitDelayNs, lateWindowNs, slots);
        }

        /** How long after a time no window that started before it can still be live. */
        long forgetAfterNs() { return 2 * lengthNs + lateWindowNs; }
    }

    /** Counter indexes. */
    static final int PUBLISHED = 0, REVISIONS = 1, TOO_LATE = 2, CANCELS_APPLIED = 3, CORRECTIONS_APPLIED = 4,
            WINDOW_CONFLICTS = 5, WITHDRAWN = 6, INCOMPLETE = 7;

    private final DataSource origin;
    private final TradeEligibility eligibility;
    private final BarSink sink;
    private final Spec[] specs;
    private final Map<String, BarSeries[]> bySymbol = new HashMap<>();
    private final List<BarSeries> active = new ArrayList<>();
    private final AtomicLongArray counters = new AtomicLongArray(8);
    /** Spans of time the feed did not watch, [from, to) pairs, oldest first; the last may be open (to = MAX). */
    private final List<long[]> unwatched = new ArrayList<>();
    private FinalBars finals;

    public BarBuilder(BarConfig config, DataSource origin, TradeEligibility eligibility, long futureToleranceNs,
                      BarSink sink) {
        this.origin = origin;
        this.eligibility = eligibility;
        this.sink = sink;
        this.specs = new Spec[] {
                Spec.of(BarInterval.SECOND, 1_000_000_000L, config.secondEmitDelay().toNanos(),
                        config.secondLateWindow().toNanos(), futureToleranceNs),
                Spec.of(BarInterval.MINUTE, config.minuteLength().toNanos(), config.minuteEmitDelay().toNanos(),
                        config.minuteLateWindow().toNanos(), futureToleranceNs)};
    }

    /**
     * The feed stops watching at {@code fromNs} (an outage began; {@link Long#MIN_VALUE}: it has not streamed yet):
     * windows from there on publish nothing until {@link #watchedFrom}.
     */
    public void unwatchedFrom(long fromNs) {
        if (!unwatched.isEmpty() && unwatched.getLast()[1] == Long.MAX_VALUE) return;
        unwatched.add(new long[] {fromNs, Long.MAX_VALUE});
    }

    /** The feed streams again from {@code nowNs}: the open unwatched span ends there. */
    public void watchedFrom(long nowNs) {
        if (!unwatched.isEmpty() && unwatched.getLast()[1] == Long.MAX_VALUE) unwatched.getLast()[1] = nowNs;
    }

    /** A cleaned trade with its verdict; only kept, non-suspicious trades with some eligibility count. */
    public void onTrade(Trade t, int verdict, long nowNs) {
        onTrade(t, verdict, TradeIdentity.idKey(t), TradeIdentity.venueKey(t.exchange(), t.trfId()), nowNs);
    }

    /** As {@link #onTrade(Trade, int, long)}, with the trade's identity already worked out by the cleaner. */
    public void onTrade(Trade t, int verdict, long id, long venue, long nowNs) {
        if (!Flags.kept(verdict) || (verdict & Flags.SUSPICIOUS) != 0) return;
        int bits = verdict & (Eligibility.VOLUME | Eligibility.BAR_HIGH_LOW | Eligibility.BAR_OPEN_CLOSE);
        if (bits == 0) return;
        BarSeries[] series = series(t.symbol());
        for (BarSeries s : series) {
            long len = s.spec.lengthNs();
            long window = Math.floorDiv(t.eventTimeNs(), len);
            if (nowNs >= (window + 1) * len + s.spec.lateWindowNs()) {
                increment(TOO_LATE);
                continue;
            }
            BarBucket b = s.bucket(window, true);
            if (b == null) {
                increment(WINDOW_CONFLICTS);
                continue;
            }
            activate(s);
            if (b.add(t.eventTimeNs(), t.sequence(), t.price(), t.size(), bits, id, venue) && b.emitted) b.dirty = true;
        }
    }

    /** A cancel or error of an earlier trade: removed from its window if that window is still live. */
    public void onCancel(TradeCancel x, long nowNs) {
        long id = TradeIdentity.idKey(x.tradeId());
        long venue = TradeIdentity.venueKey(x.exchange(), Absent.INT);
        amend(x.symbol(), CANCELS_APPLIED, b -> b.remove(id, venue));
    }

    /** A correction of an earlier trade: its values replaced in its window if that window is still live. */
    public void onCorrection(TradeCorrection c, long nowNs) {
        long id = TradeIdentity.idKey(c.originalId());
        long venue = TradeIdentity.venueKey(c.exchange(), Absent.INT);
        long newId = TradeIdentity.idKey(c.correctedId());
        amend(c.symbol(), CORRECTIONS_APPLIED, b -> b.correct(id, venue, newId, c.correctedPrice(),
                c.correctedSize(), VendorModule.conditions(c.source())
                        .eligibility(eligibility, c.correctedConditions(), c.tape(), b.start)
                        & (Eligibility.VOLUME | Eligibility.BAR_HIGH_LOW | Eligibility.BAR_OPEN_CLOSE)));
    }

    /** Applies {@code change} to the live window of each interval that holds the trade; marks it for a revision. */
    private void amend(String symbol, int counter, java.util.function.Predicate<BarBucket> change) {
        BarSeries[] series = bySymbol.get(symbol);
        if (series == null) return;
        for (BarSeries s : series) {
            for (BarBucket b : s.slots) {
                if (b.live() && change.test(b)) {
                    b.amended = true;
                    if (b.emitted) b.dirty = true;
                    increment(counter);
                    break;
                }
            }
        }
    }

    /** Publishes due bars and revisions and retires windows past their late window. Cheap when nothing is due. */
    public void tick(long nowNs) {
        for (int i = active.size() - 1; i >= 0; i--) {
            BarSeries s = active.get(i);
            long len = s.spec.lengthNs();
            for (BarBucket b : s.slots) {
                if (!b.live()) continue;
                long end = b.start + len;
                if (!b.emitted && nowNs >= end + s.spec.emitDelayNs() || b.dirty) publish(s, b, nowNs);
                if (nowNs >= end + s.spec.lateWindowNs()) {
                    if (finals != null && s.spec.interval() == BarInterval.MINUTE && b.hasBar()
                            && watched(b.start, len)) {
                        finals.onFinal(b.toBar(s.symbol, origin, BarInterval.MINUTE, len, nowNs), b.amended, nowNs);
                    }
                    b.expire();
                    s.live--;
                }
            }
            if (s.live == 0) {
                s.active = false;
                active.set(i, active.get(active.size() - 1));
                active.remove(active.size() - 1);
            }
        }
        // spans that ended before any window still live (or any trade not too late for one) can be forgotten
        while (!unwatched.isEmpty() && unwatched.getFirst()[1] < nowNs - specs[specs.length - 1].forgetAfterNs()) {
            unwatched.removeFirst();
        }
    }

    /** Publishes every window not yet published, and pending revisions (at shutdown). */
    public void flush(long nowNs) {
        for (BarSeries s : active) {
            for (BarBucket b : s.slots) {
                if (!b.live()) continue;
                if (!b.emitted || b.dirty) publish(s, b, nowNs);
            }
        }
    }

    public long published() { return counters.get(PUBLISHED); }

    public long revisions() { return counters.get(REVISIONS); }

    /** Trades that arrived after their window's late window closed. */
    public long tooLate() { return counters.get(TOO_LATE); }

    public long cancelsApplied() { return counters.get(CANCELS_APPLIED); }

    public long correctionsApplied() { return counters.get(CORRECTIONS_APPLIED); }

    /** Trades whose window could not be held (a time far ahead of the configured future limit). */
    public long windowConflicts() { return counters.get(WINDOW_CONFLICTS); }

    /** Windows not published because the feed did not watch all of them (it started inside, or an outage). */
    public long incomplete() { return counters.get(INCOMPLETE); }

    /** Published bars whose window lost its last price-setting trade to a cancel (no revision can express that). */
    public long withdrawn() { return counters.get(WITHDRAWN); }

    public long lengthNs(BarInterval interval) {
        for (Spec s : specs) if (s.interval() == interval) return s.lengthNs();
        throw new IllegalArgumentException("no bars of " + interval);
    }

    /** Receives each final minute bar when its late window closes (the cross-check). */
    public interface FinalBars {
        void onFinal(Bar bar, boolean amendedByCorrections, long nowNs);
    }

    /** Sets the receiver of final minute bars (null for none). */
    public void finals(FinalBars f) { this.finals = f; }

    private void publish(BarSeries s, BarBucket b, long nowNs) {
        boolean first = !b.emitted;
        b.dirty = false;
        b.emitted = true;
        if (!watched(b.start, s.spec.lengthNs())) {
            if (first && b.hasBar()) increment(INCOMPLETE);
            return;
        }
        if (!b.hasBar()) {
            if (b.barPublished) increment(WITHDRAWN);
            return;
        }
        boolean revision = b.barPublished;
        b.barPublished = true;
        // a revised minute is published as such (like Alpaca's updated bars): the caches keep its state "revised"
        BarInterval interval = revision && s.spec.interval() == BarInterval.MINUTE ? BarInterval.UPDATED_MINUTE
                : s.spec.interval();
        Bar bar = b.toBar(s.symbol, origin, interval, s.spec.lengthNs(), nowNs);
        increment(revision ? REVISIONS : PUBLISHED);
        sink.onBar(bar, revision);
    }

    /** Whether the window {@code [start, start + len)} overlaps no unwatched span. */
    private boolean watched(long start, long len) {
        for (long[] u : unwatched) if (start < u[1] && u[0] < start + len) return false;
        return true;
    }

    private BarSeries[] series(String symbol) {
        BarSeries[] s = bySymbol.get(symbol);
        if (s == null) {
            s = new BarSeries[specs.length];
            for (int i = 0; i < specs.length; i++) s[i] = new BarSeries(symbol, specs[i]);
            bySymbol.put(symbol, s);
        }
        return s;
    }

    private void activate(BarSeries s) {
        if (s.active) return;
        s.active = true;
        active.add(s);
    }

    private void increment(int i) { counters.lazySet(i, counters.get(i) + 1); }
}
