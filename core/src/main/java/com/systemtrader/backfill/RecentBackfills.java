package com.systemtrader.backfill;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The newest backfill outcomes, oldest first, for the HTTP API. Bounded; thread-safe. */
public final class RecentBackfills {
    private final int capacity;
    private final Deque<BackfillResult> results = new ArrayDeque<>();

    public RecentBackfills(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1");
        this.capacity = capacity;
    }

    synchronized void add(BackfillResult r) {
        if (results.size() == capacity) results.removeFirst();
        results.addLast(r);
    }

    /** The kept outcomes, oldest first. */
    public synchronized List<BackfillResult> snapshot() { return new ArrayList<>(results); }
}
