package com.systemtrader.simulator.market;

import com.systemtrader.schema.Trade;

/** Mutable per-symbol state of the synthetic market. Touched only by the market thread. */
final class SymbolState {
    final String symbol;
    final char tape;
    double mid;
    final double sigmaPerSqrtSecond;
    long sequence;
    long nextTradeId;
    Trade lastTrade;
    long haltedUntilNs;
    long lastWalkNs;
    long nextLuldNs;
    double luldReference;

    /** Stream bar windows, indexed by window number modulo 3. */
    final BarAccumulator[] barWindows = {new BarAccumulator(), new BarAccumulator(), new BarAccumulator()};
    boolean lastEmittedDirty;
    final BarAccumulator[] secondWindows = {new BarAccumulator(), new BarAccumulator()};
    final BarAccumulator day = new BarAccumulator();

    SymbolState(String symbol, char tape, double price, double sigmaPerSqrtSecond, long firstSequence,
                long firstTradeId) {
        this.symbol = symbol;
        this.tape = tape;
        this.mid = price;
        this.sigmaPerSqrtSecond = sigmaPerSqrtSecond;
        this.sequence = firstSequence;
        this.nextTradeId = firstTradeId;
        this.luldReference = price;
    }

    boolean halted(long nowNs) {
        return nowNs < haltedUntilNs;
    }

    /** The accumulator for window {@code index} of length {@code lengthNs}, reset if it held an older window. */
    static BarAccumulator window(BarAccumulator[] ring, long index, long lengthNs) {
        BarAccumulator a = ring[(int) Math.floorMod(index, (long) ring.length)];
        long start = index * lengthNs;
        if (a.start != start) a.reset(start);
        return a;
    }
}
