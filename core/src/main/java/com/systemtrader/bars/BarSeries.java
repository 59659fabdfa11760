package com.systemtrader.bars;

/**
 * The live windows of one (symbol, interval): a ring of buckets indexed by window number, sized so that every
 * window that may still change (from {@code lateWindow} in the past to the cleaner's future-time limit ahead) has
 * its own slot.
 */
final class BarSeries {
    final String symbol;
    final BarBuilder.Spec spec;
    final BarBucket[] slots;
    int live;
    boolean active;

    BarSeries(String symbol, BarBuilder.Spec spec) {
        this.symbol = symbol;
        this.spec = spec;
        this.slots = new BarBucket[spec.slots()];
        for (int i = 0; i < slots.length; i++) slots[i] = new BarBucket();
    }

    /** The bucket for {@code window} (number of lengths since the epoch); null when its slot holds a live window. */
    BarBucket bucket(long window, boolean create) {
        BarBucket b = slots[(int) Math.floorMod(window, (long) slots.length)];
        long start = window * spec.lengthNs();
        if (b.live() && b.start == start) return b;
        if (!create || b.live()) return null;
        b.reset(start);
        live++;
        return b;
    }
}
