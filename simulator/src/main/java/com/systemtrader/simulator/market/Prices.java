package com.systemtrader.simulator.market;

/** Price rounding used by the synthetic market. */
final class Prices {
    private Prices() {}

    static double cents(double p) {
        return Math.round(p * 100.0) / 100.0;
    }

    static double cents4(double p) {
        return Math.round(p * 10_000.0) / 10_000.0;
    }
}
