package com.systemtrader.collector;

/**
 * A jump in Polygon's per-ticker sequence number {@code q}: the numbers between {@code previous} and
 * {@code next} were not received. Polygon's sequence has gaps by design (not every number is a trade or quote),
 * so these are evidence for reconciliation, not proof of loss.
 */
public record SequenceGap(String symbol, long previous, long next, long receiveTimeNs) {
    public long missing() { return next - previous - 1; }
}
