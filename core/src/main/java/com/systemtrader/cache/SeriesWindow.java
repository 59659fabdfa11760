package com.systemtrader.cache;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

/**
 * One series in memory: a circular array kept sorted by event time (ties in arrival order), bounded by count and by
 * age. Out-of-order events (SIP late reports) are inserted in place: a binary search, then the newer ones are shifted
 * with {@code System.arraycopy}. The latest event
 * is a volatile field, read without a lock; range queries take a read lock, find their bounds by binary search and
 * copy only what they return. One writer.
 */
final class SeriesWindow {
    private final int capacity;
    private final long windowNs;
    private final boolean bars;
    private final StampedLock lock = new StampedLock();
    private long[] times = new long[16];
    private MarketEvent[] events = new MarketEvent[16];
    private int head;
    private int size;
    private volatile MarketEvent latest;
    long evicted;

    SeriesWindow(int capacity, long windowNs, boolean bars) {
        this.capacity = capacity;
        this.windowNs = windowNs;
        this.bars = bars;
    }

    MarketEvent latest() { return latest; }

    void add(MarketEvent e) {
        long t = e.eventTimeNs();
        long stamp = lock.writeLock();
        try {
            if (bars && replaceBar(e, t)) return;
            if (size == times.length && size < capacity) grow();
            if (size == capacity) {
                if (t < times[head]) {
                    evicted++;   // older than everything kept in a full window: it would be evicted at once
                    return;
                }
                dropOldest();
            }
            // logical position: after every event with time <= t (in order: the end, without a search)
            int pos = size == 0 || times[index(size - 1)] <= t ? size : upperBound(t);
            shiftRight(pos);
            times[index(pos)] = t;
            events[index(pos)] = e;
            size++;
            trimBefore(times[index(size - 1)] - windowNs);
            MarketEvent cur = latest;
            if (cur == null || t >= cur.eventTimeNs()) latest = e;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Events with from <= time <= to, at most limit, in the order asked. */
    List<MarketEvent> range(long from, long to, int limit, boolean newestFirst) {
        long stamp = lock.readLock();
        try {
            int lo = lowerBound(from);
            int hi = upperBound(to);   // exclusive
            int n = Math.min(limit, Math.max(0, hi - lo));
            List<MarketEvent> out = new ArrayList<>(n);
            if (newestFirst) for (int i = hi - 1; i >= hi - n; i--) out.add(events[index(i)]);
            else for (int i = lo; i < lo + n; i++) out.add(events[index(i)]);
            return out;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Drops events older than {@code cutoffNs}; returns how many are left. */
    int expire(long cutoffNs) {
        long stamp = lock.writeLock();
        try {
            trimBefore(cutoffNs);
            if (size == 0) latest = null;
            return size;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Moves logical positions {@code [pos, size)} one to the right, in runs that are contiguous in the ring, with
     * {@code System.arraycopy}: a late event lands up to {@code capacity} positions back, and moving element by
     * element through {@link #index} was a third of the service's CPU at 50,000 msg/s (profiled, docs/PERFORMANCE.md).
     */
    private void shiftRight(int pos) {
        for (int i = size; i > pos; ) {
            int dst = index(i), src = index(i - 1);
            int k = Math.min(i - pos, Math.min(src + 1, dst + 1));
            System.arraycopy(times, src - k + 1, times, dst - k + 1, k);
            System.arraycopy(events, src - k + 1, events, dst - k + 1, k);
            i -= k;
        }
    }

    private boolean replaceBar(MarketEvent e, long t) {
        int i = lowerBound(t);
        for (; i < size && times[index(i)] == t; i++) {
            Bar old = (Bar) events[index(i)];
            if (old.source() == e.source()) {
                events[index(i)] = e;
                if (latest == old) latest = e;
                return true;
            }
        }
        return false;
    }

    private void trimBefore(long cutoffNs) {
        while (size > 0 && times[head] < cutoffNs) dropOldest();
    }

    private void dropOldest() {
        events[head] = null;
        head = (head + 1) % times.length;
        size--;
        evicted++;
    }

    private int lowerBound(long t) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[index(mid)] < t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private int upperBound(long t) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[index(mid)] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private int index(int logical) {
        int i = head + logical;
        return i >= times.length ? i - times.length : i;
    }

    private void grow() {
        int n = Math.min(capacity, times.length * 2);
        long[] t = new long[n];
        MarketEvent[] ev = new MarketEvent[n];
        for (int i = 0; i < size; i++) {
            t[i] = times[index(i)];
            ev[i] = events[index(i)];
        }
        times = t;
        events = ev;
        head = 0;
    }
}
