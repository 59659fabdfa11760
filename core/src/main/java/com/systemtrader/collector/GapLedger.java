package com.systemtrader.collector;

import com.systemtrader.schema.DataSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Every interval in which a feed was not streaming (disconnect, stall, backoff), and Polygon per-ticker sequence
 * gaps. Bounded: the newest {@value #MAX_GAPS} outages and {@value #MAX_SEQUENCE_GAPS} sequence gaps are kept;
 * totals are counted without bound. Written by the collector's pipeline thread, read by any thread.
 */
public final class GapLedger {
    static final int MAX_GAPS = 10_000;
    static final int MAX_SEQUENCE_GAPS = 1_000;
    private final Deque<Gap> gaps = new ArrayDeque<>();
    private final Deque<SequenceGap> sequenceGaps = new ArrayDeque<>();
    private Gap open;
    private long outages;
    private long sequenceGapCount;
    private long sequenceMissing;

    synchronized void open(DataSource source, String feed, List<String> channels, List<String> symbols, long startNs,
                           String cause) {
        if (open != null) return;
        open = new Gap(source, feed, channels, symbols, startNs, 0, cause);
        outages++;
    }

    synchronized void close(long endNs) {
        if (open == null) return;
        add(open.closedAt(endNs));
        open = null;
    }

    synchronized void sequenceGap(String symbol, long previous, long next, long nowNs) {
        sequenceGapCount++;
        sequenceMissing += next - previous - 1;
        if (sequenceGaps.size() == MAX_SEQUENCE_GAPS) sequenceGaps.removeFirst();
        sequenceGaps.addLast(new SequenceGap(symbol, previous, next, nowNs));
    }

    private void add(Gap g) {
        if (gaps.size() == MAX_GAPS) gaps.removeFirst();
        gaps.addLast(g);
    }

    /** Closed outages, oldest first, plus the open one (if any) last. */
    public synchronized List<Gap> gaps() {
        List<Gap> out = new ArrayList<>(gaps);
        if (open != null) out.add(open);
        return out;
    }

    public synchronized List<SequenceGap> sequenceGaps() { return new ArrayList<>(sequenceGaps); }

    public synchronized long outageCount() { return outages; }

    public synchronized long sequenceGapCount() { return sequenceGapCount; }

    /** Sequence numbers skipped in all recorded sequence gaps. */
    public synchronized long sequenceNumbersMissing() { return sequenceMissing; }
}
