package com.systemtrader.collector;

import com.systemtrader.schema.Absent;
import java.util.HashMap;
import java.util.Map;

/** Per-ticker sequence numbers (Polygon {@code q}); jumps go to the gap ledger. Pipeline thread only. */
final class SequenceTracker {
    private final GapLedger ledger;
    private final Map<String, long[]> last = new HashMap<>();

    SequenceTracker(GapLedger ledger) {
        this.ledger = ledger;
    }

    void observe(String symbol, long sequence, long receiveNs) {
        if (sequence == Absent.LONG) return;
        long[] l = last.get(symbol);
        if (l == null) {
            last.put(symbol, new long[] {sequence});
            return;
        }
        if (sequence > l[0] + 1) ledger.sequenceGap(symbol, l[0], sequence, receiveNs);
        if (sequence > l[0]) l[0] = sequence;
    }
}
