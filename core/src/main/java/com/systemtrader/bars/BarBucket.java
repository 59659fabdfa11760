package com.systemtrader.bars;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.sip.Eligibility;

/**
 * One bar window being built: the trades that fell into it (kept as primitive columns, so that a cancel or a
 * correction can rebuild the bar) and the running OHLCV. Open is the eligible trade first in (event time, provider
 * sequence) order, close the last (docs/DATA_MODEL.md): trades of one time are ordered by their sequence number where
 * the provider sends one, else by arrival. The database's roll-ups use the same order
 * ({@code tscompat.first(price, event_ns, sequence)}). Reused for later windows: its columns keep their capacity.
 */
final class BarBucket {
    long start = Long.MIN_VALUE;
    boolean emitted;
    boolean dirty;
    boolean amended;
    /** A bar (not just an empty window) was published for this window. */
    boolean barPublished;
    private int n;
    private long[] times = new long[8];
    private long[] seqs = new long[8];
    private double[] prices = new double[8];
    private long[] sizes = new long[8];
    private int[] bits = new int[8];
    private long[] ids = new long[8];
    private long[] venues = new long[8];

    private double open, high, low, close, notional;
    private long volume, trades;
    private long openTime, closeTime, openSeq, closeSeq;

    void reset(long windowStart) {
        start = windowStart;
        emitted = dirty = amended = barPublished = false;
        n = 0;
        clearAggregates();
    }

    boolean live() { return start != Long.MIN_VALUE; }

    void expire() { start = Long.MIN_VALUE; }

    /** Adds a trade; returns true when the bar changed. */
    boolean add(long time, long seq, double price, long size, int eligibility, long id, long venue) {
        if (n == times.length) grow();
        times[n] = time;
        seqs[n] = seq;
        prices[n] = price;
        sizes[n] = size;
        bits[n] = eligibility;
        ids[n] = id;
        venues[n] = venue;
        n++;
        return apply(time, seq, price, size, eligibility);
    }

    /** Removes (cancel) the trade with this identity; false when it is not in this window. */
    boolean remove(long id, long venue) {
        int i = find(id, venue);
        if (i < 0) return false;
        bits[i] = 0;
        sizes[i] = 0;
        rebuild();
        return true;
    }

    /** Replaces the values of the trade with this identity (correction); false when it is not in this window. */
    boolean correct(long id, long venue, long newId, double price, long size, int eligibility) {
        int i = find(id, venue);
        if (i < 0) return false;
        ids[i] = newId;
        prices[i] = price;
        sizes[i] = size;
        bits[i] = eligibility;
        rebuild();
        return true;
    }

    boolean hasBar() { return !Double.isNaN(open) && !Double.isNaN(high); }

    Bar toBar(String symbol, DataSource origin, BarInterval interval, long lengthNs, long nowNs) {
        double vwap = volume > 0 ? notional / volume : Double.NaN;
        return new Bar(DataSource.DERIVED, symbol, interval, start, start + lengthNs, nowNs, open, high, low, close,
                volume, vwap, trades, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false, origin);
    }

    private int find(long id, long venue) {
        for (int i = n - 1; i >= 0; i--) if (ids[i] == id && venues[i] == venue) return i;
        return -1;
    }

    private void rebuild() {
        clearAggregates();
        for (int i = 0; i < n; i++) apply(times[i], seqs[i], prices[i], sizes[i], bits[i]);
    }

    private void clearAggregates() {
        open = high = low = close = Double.NaN;
        notional = 0;
        volume = trades = 0;
        openTime = Long.MAX_VALUE;
        closeTime = Long.MIN_VALUE;
        openSeq = closeSeq = Absent.LONG;
    }

    private boolean apply(long time, long seq, double price, long size, int eligibility) {
        boolean changed = false;
        if ((eligibility & Eligibility.VOLUME) != 0) {
            volume += size;
            notional += price * size;
            trades++;
            changed = true;
        }
        if ((eligibility & Eligibility.BAR_HIGH_LOW) != 0) {
            if (Double.isNaN(high) || price > high) high = price;
            if (Double.isNaN(low) || price < low) low = price;
            changed = true;
        }
        if ((eligibility & Eligibility.BAR_OPEN_CLOSE) != 0) {
            if (before(time, seq, openTime, openSeq)) {
                openTime = time;
                openSeq = seq;
                open = price;
            }
            if (!before(time, seq, closeTime, closeSeq)) {
                closeTime = time;
                closeSeq = seq;
                close = price;
            }
            changed = true;
        }
        return changed;
    }

    /** (time, seq) before (t, q); a missing sequence on either side compares equal (then arrival decides). */
    static boolean before(long time, long seq, long t, long q) {
        if (time != t) return time < t;
        return !Absent.isAbsent(seq) && !Absent.isAbsent(q) && seq < q;
    }

    private void grow() {
        int c = times.length * 2;
        times = java.util.Arrays.copyOf(times, c);
        seqs = java.util.Arrays.copyOf(seqs, c);
        prices = java.util.Arrays.copyOf(prices, c);
        sizes = java.util.Arrays.copyOf(sizes, c);
        bits = java.util.Arrays.copyOf(bits, c);
        ids = java.util.Arrays.copyOf(ids, c);
        venues = java.util.Arrays.copyOf(venues, c);
    }
}
