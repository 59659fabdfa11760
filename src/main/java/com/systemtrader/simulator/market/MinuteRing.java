package com.systemtrader.simulator.market;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import java.util.Arrays;

/**
 * One symbol's minute bars in primitive arrays, indexed by absolute minute number (epoch minutes) modulo the
 * capacity. Written by the market thread, read by REST threads; callers synchronize on the instance.
 */
final class MinuteRing {
    private static final long MINUTE_NS = 60_000_000_000L;
    private final int capacity;
    private final long[] key;
    private final double[] open;
    private final double[] high;
    private final double[] low;
    private final double[] close;
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
        volume = new long[capacity];
        notional = new double[capacity];
        count = new long[capacity];
    }

    void put(long minute, double o, double h, double l, double c, long v, double vwap, long n) {
        int i = (int) Math.floorMod(minute, (long) capacity);
        key[i] = minute;
        open[i] = o;
        high[i] = h;
        low[i] = l;
        close[i] = c;
        volume[i] = v;
        notional[i] = vwap * v;
        count[i] = n;
    }

    /** Merges a late trade into an already stored minute (open/close only when it is the first/last by time). */
    void mergeLate(long minute, double price, long size, boolean volumeOk, boolean highLowOk) {
        int i = (int) Math.floorMod(minute, (long) capacity);
        if (key[i] != minute) return;
        if (volumeOk) {
            volume[i] += size;
            notional[i] += price * size;
            count[i]++;
        }
        if (highLowOk) {
            high[i] = Math.max(high[i], price);
            low[i] = Math.min(low[i], price);
        }
    }

    boolean has(long minute) {
        return key[(int) Math.floorMod(minute, (long) capacity)] == minute;
    }

    /**
     * Aggregates minutes {@code [fromMinute, toMinute)} into one bar starting at {@code startNs}, or null when
     * no minute in the range has a bar.
     */
    Bar aggregate(String symbol, BarInterval interval, long fromMinute, long toMinute, long startNs, long endNs) {
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
            if (Double.isNaN(o)) o = open[i];
            h = Double.isNaN(h) ? high[i] : Math.max(h, high[i]);
            l = Double.isNaN(l) ? low[i] : Math.min(l, low[i]);
            c = close[i];
            v += volume[i];
            notion += notional[i];
            n += count[i];
        }
        if (Double.isNaN(o)) return null;
        double vw = v > 0 ? Math.round(notion / v * 10_000.0) / 10_000.0 : c;
        return new Bar(DataSource.SIMULATOR, symbol, interval, startNs, endNs, 0L, o, h, l, c, v, vw, n,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    static long minuteOf(long ns) {
        return Math.floorDiv(ns, MINUTE_NS);
    }

    static long startOf(long minute) {
        return minute * MINUTE_NS;
    }
}
