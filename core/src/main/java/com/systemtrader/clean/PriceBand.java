package com.systemtrader.clean;

import java.util.Arrays;

/**
 * The recent traded range of one symbol as a robust statistic: the median and the median absolute deviation (MAD)
 * of the last {@code window} eligible, non-suspicious trade prices. A price is an outlier when it is further from the
 * median than both {@code k} scaled MADs ({@code 1.4826 * MAD}, the normal-consistent scale) and
 * {@code minFraction} of the median. The statistic is recomputed every {@code window / 4} prices, so the cost per
 * trade is a small constant and nothing is allocated.
 *
 * <p>A genuine jump (news, a halt's reopening) must not be flagged forever: after {@value #SHIFT_RUN} outliers in a
 * row that agree with each other, the band restarts from them ({@link #levelShifts()} counts these).
 */
final class PriceBand {
    static final int SHIFT_RUN = 5;
    private static final int MIN_SAMPLES = 8;
    private static final double MAD_SCALE = 1.4826;

    private final double[] prices;
    private final double[] scratch;
    private final double k;
    private final double minFraction;
    private final int recomputeEvery;
    private int count;
    private int next;
    private int sinceRecompute;
    private double median = Double.NaN;
    private double tolerance;
    private final double[] run = new double[SHIFT_RUN];
    private int runLength;
    private long levelShifts;

    PriceBand(int window, double k, double minFraction) {
        this.prices = new double[window];
        this.scratch = new double[window];
        this.k = k;
        this.minFraction = minFraction;
        this.recomputeEvery = Math.max(1, window / 4);
    }

    /**
     * Judges {@code price}; a normal price joins the window, an outlier does not (but may start a level shift).
     *
     * @return true when the price is an outlier
     */
    boolean outlier(double price) {
        if (count >= MIN_SAMPLES && Math.abs(price - median) > tolerance) {
            if (runLength > 0 && Math.abs(price - run[0]) > tolerance) runLength = 0;
            run[runLength++] = price;
            if (runLength == SHIFT_RUN) restartFrom(run);
            return true;
        }
        runLength = 0;
        add(price);
        return false;
    }

    /** Forgets the range (after a halt the price is discovered anew). */
    void reset() {
        count = 0;
        next = 0;
        sinceRecompute = 0;
        runLength = 0;
        median = Double.NaN;
    }

    long levelShifts() { return levelShifts; }

    double median() { return median; }

    double tolerance() { return tolerance; }

    private void restartFrom(double[] recent) {
        levelShifts++;
        reset();
        for (double p : recent) add(p);
    }

    private void add(double price) {
        prices[next] = price;
        next = (next + 1) % prices.length;
        if (count < prices.length) count++;
        if (count < MIN_SAMPLES) return;
        if (count == MIN_SAMPLES || ++sinceRecompute >= recomputeEvery || count < prices.length) recompute();
    }

    private void recompute() {
        sinceRecompute = 0;
        System.arraycopy(prices, 0, scratch, 0, count);
        Arrays.sort(scratch, 0, count);
        double m = mid(scratch, count);
        for (int i = 0; i < count; i++) scratch[i] = Math.abs(scratch[i] - m);
        Arrays.sort(scratch, 0, count);
        double mad = mid(scratch, count);
        median = m;
        tolerance = Math.max(k * MAD_SCALE * mad, minFraction * m);
    }

    private static double mid(double[] sorted, int n) {
        return (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
