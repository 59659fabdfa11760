package com.systemtrader.simulator.market;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.sip.PolygonConditionRules;

/**
 * Mutable OHLCV of one window, fed with trades under the SIP rules: only trades whose conditions all allow it
 * set open/close, high/low, or add volume. A window that received no price-eligible trade has no bar.
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

    /** @return true when the trade changed open/high/low/close or volume */
    boolean add(long timeNs, double price, long size, Conditions conditions) {
        return add(timeNs, price, size, PolygonConditionRules.updatesVolume(conditions),
                PolygonConditionRules.updatesHighLow(conditions), PolygonConditionRules.updatesOpenClose(conditions));
    }

    /** Adds a trade whose SIP eligibility was already worked out. */
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
