package com.systemtrader.simulator.market;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.sip.Eligibility;

/**
 * Mutable OHLCV of one window, fed with trades under the SIP rules: only trades whose conditions all allow it
 * set open/close, high/low, or add volume ({@link Eligibility} bits from
 * {@link com.systemtrader.sip.TradeEligibility}). Intraday windows (seconds, minutes) take the {@code BAR_*} bits,
 * daily windows the consolidated ones. A window that received no price-eligible trade has no bar.
 */
final class BarAccumulator {
    long start = Long.MIN_VALUE;
    double open = Double.NaN;
    double high = Double.NaN;
    double low = Double.NaN;
    double close = Double.NaN;
    long volume;
    double notional;
    long trades;
    long firstEligibleTime = Long.MAX_VALUE;
    long lastEligibleTime = Long.MIN_VALUE;

    void reset(long windowStart) {
        start = windowStart;
        open = high = low = close = Double.NaN;
        volume = 0;
        notional = 0;
        trades = 0;
        firstEligibleTime = Long.MAX_VALUE;
        lastEligibleTime = Long.MIN_VALUE;
    }

    /** Adds a trade to an intraday (second or minute) window. @return true when it changed the window */
    boolean addIntraday(long timeNs, double price, long size, int eligibility) {
        return add(timeNs, price, size, Eligibility.updatesVolume(eligibility),
                Eligibility.updatesBarHighLow(eligibility), Eligibility.updatesBarOpenClose(eligibility));
    }

    /** Adds a trade to a daily window. @return true when it changed the window */
    boolean addDaily(long timeNs, double price, long size, int eligibility) {
        return add(timeNs, price, size, Eligibility.updatesVolume(eligibility),
                Eligibility.updatesHighLow(eligibility), Eligibility.updatesOpenClose(eligibility));
    }

    /** Adds a trade whose SIP eligibility was already worked out. @return true when the trade changed the window */
    boolean add(long timeNs, double price, long size, boolean volumeOk, boolean highLowOk, boolean openCloseOk) {
        boolean changed = false;
        if (volumeOk) {
            volume += size;
            notional += price * size;
            trades++;
            changed = true;
        }
        if (highLowOk) {
            if (Double.isNaN(high) || price > high) high = price;
            if (Double.isNaN(low) || price < low) low = price;
            changed = true;
        }
        if (openCloseOk) {
            if (timeNs < firstEligibleTime) {
                firstEligibleTime = timeNs;
                open = price;
            }
            if (timeNs >= lastEligibleTime) {
                lastEligibleTime = timeNs;
                close = price;
            }
            changed = true;
        }
        return changed;
    }

    boolean hasBar() {
        return !Double.isNaN(open) && !Double.isNaN(high);
    }

    Bar toBar(String symbol, BarInterval interval, long lengthNs) {
        double vwap = volume > 0 ? Math.round(notional / volume * 10_000.0) / 10_000.0 : close;
        return new Bar(DataSource.SIMULATOR, symbol, interval, start, start + lengthNs, 0L, open, high, low, close,
                volume, vwap, trades, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }
}
