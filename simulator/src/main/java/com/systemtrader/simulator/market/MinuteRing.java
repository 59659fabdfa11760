package com.systemtrader.simulator.market;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.sip.Eligibility;
import java.util.Arrays;

/**
 * One symbol's minute bars in primitive arrays, indexed by absolute minute number (epoch minutes) modulo the
 * capacity. Each minute holds two sets of prices: the intraday bar (SIP {@code BAR_*} rules, which let Form T
 * trades set prices in extended hours) for minute-based aggregates, and the same minute under the daily rules
 * (NaN when no trade of the minute may set daily prices) for daily aggregates. Volume is the same under both.
 * Written by the market thread, read by REST threads; callers synchronize on the instance.
 */
final class MinuteRing {
    private static final long MINUTE_NS = 60_000_000_000L;
    private final int capacity;
    private final long[] key;
    private final double[] open;
    private final double[] high;
    private final double[] low;
    private final double[] close;
    private final double[] dailyOpen;
    private final double[] dailyHigh;
    private final double[] dailyLow;
    private final double[] dailyClose;
    private final long[] volume;
    private final double[] notional;
    private final long[] count;

    MinuteRing(int capacity) {
        this.capacity = capacity;
        key = new long[capacity];
        Arrays.fill(key, Long.MIN_VALUE);
        open = new double[capacity];
        high = new double[capacity];
        low = new double[capacity];
        close = new double[capacity];
        dailyOpen = new double[capacity];
        dailyHigh = new double[capacity];
        dailyLow = new double[capacity];
        dailyClose = new double[capacity];
        volume = new long[capacity];
        notional = new double[capacity];
        count = new long[capacity];
    }

    /** Stores a synthesized minute whose prices are the same under both rule sets. */
    void put(long minute, double o, double h, double l, double c, long v, double vwap, long n) {
        int i = (int) Math.floorMod(minute, (long) capacity);
        key[i] = minute;
        open[i] = dailyOpen[i] = o;
        high[i] = dailyHigh[i] = h;
        low[i] = dailyLow[i] = l;
        close[i] = dailyClose[i] = c;
        volume[i] = v;
        notional[i] = vwap * v;
        count[i] = n;
    }

    /** Stores a traded minute: {@code bar} under the intraday rules, {@code daily} the same trades under the daily. */
    void put(long minute, BarAccumulator bar, BarAccumulator daily) {
        int i = (int) Math.floorMod(minute, (long) capacity);
        key[i] = minute;
        open[i] = bar.open;
        high[i] = bar.high;
        low[i] = bar.low;
        close[i] = bar.close;
        dailyOpen[i] = daily.open;
        dailyHigh[i] = daily.high;
        dailyLow[i] = daily.low;
        dailyClose[i] = daily.close;
        volume[i] = bar.volume;
        notional[i] = bar.notional;
        count[i] = bar.trades;
    }

    /**
     * Merges a late trade into an already stored minute: volume, and high/low under each rule set (open and close
     * stay, as the stored minute does not know the times of its first and last trade).
     */
    void mergeLate(long minute, double price, long size, int eligibility) {
        int i = (int) Math.floorMod(minute, (long) capacity);
        if (key[i] != minute) return;
        if (Eligibility.updatesVolume(eligibility)) {
            volume[i] += size;
            notional[i] += price * size;
            count[i]++;
        }
        if (Eligibility.updatesBarHighLow(eligibility)) {
            high[i] = max(high[i], price);
            low[i] = min(low[i], price);
        }
        if (Eligibility.updatesHighLow(eligibility)) {
            dailyHigh[i] = max(dailyHigh[i], price);
            dailyLow[i] = min(dailyLow[i], price);
        }
    }

    boolean has(long minute) {
        return key[(int) Math.floorMod(minute, (long) capacity)] == minute;
    }

    /**
     * Aggregates minutes {@code [fromMinute, toMinute)} into one bar starting at {@code startNs}, or null when
     * no minute in the range has a price. {@link BarInterval#DAILY} aggregates the minutes' daily-rule prices,
     * every other interval their intraday prices.
     */
    Bar aggregate(String symbol, BarInterval interval, long fromMinute, long toMinute, long startNs, long endNs) {
        boolean daily = interval == BarInterval.DAILY;
        double[] opens = daily ? dailyOpen : open;
        double[] highs = daily ? dailyHigh : high;
        double[] lows = daily ? dailyLow : low;
        double[] closes = daily ? dailyClose : close;
        double o = Double.NaN;
        double h = Double.NaN;
        double l = Double.NaN;
        double c = Double.NaN;
        long v = 0;
        double notion = 0;
        long n = 0;
        for (long m = fromMinute; m < toMinute; m++) {
            int i = (int) Math.floorMod(m, (long) capacity);
            if (key[i] != m) continue;
            if (Double.isNaN(o)) o = opens[i];
            h = max(h, highs[i]);
            l = min(l, lows[i]);
            if (!Double.isNaN(closes[i])) c = closes[i];
            v += volume[i];
            notion += notional[i];
            n += count[i];
        }
        if (Double.isNaN(o) || Double.isNaN(h)) return null;
        double vw = v > 0 ? Math.round(notion / v * 10_000.0) / 10_000.0 : c;
        return new Bar(DataSource.SIMULATOR, symbol, interval, startNs, endNs, 0L, o, h, l, c, v, vw, n,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    /** The larger of two prices, either of which may be NaN (absent). */
    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static double min(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    static long minuteOf(long ns) {
        return Math.floorDiv(ns, MINUTE_NS);
    }

    static long startOf(long minute) {
        return minute * MINUTE_NS;
    }
}
