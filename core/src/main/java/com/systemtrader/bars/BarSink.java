package com.systemtrader.bars;

import com.systemtrader.schema.Bar;

/** Receives the bars a {@link BarBuilder} publishes, on the builder's thread. */
@FunctionalInterface
public interface BarSink {
    /** @param revision true when the bar replaces one published before for the same window */
    void onBar(Bar bar, boolean revision);
}
