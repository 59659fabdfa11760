package com.systemtrader.clean;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where rejected messages go: never dropped silently. This is the bounded in-memory quarantine; a
 * {@code storage.QuarantineWriter} copies its records to the database table {@code quarantine}. Overflow policy: the
 * oldest record is evicted and counted in {@link #evicted()} (exported as {@code cleaner.quarantine.evicted}); the
 * per-rule counters of the cleaner still count every rejection. Thread-safe: the pipeline thread adds, any thread
 * reads.
 *
 * <p>Every record added gets a sequence number: 1 for the first, then one more for each (so the {@code n}th record
 * ever added has seq {@code n}, and {@link #lastSeq()} equals {@link #added()}). The records held always have
 * consecutive seqs, {@code lastSeq() - size() + 1} for the oldest. A reader keeps the seq of the last record it took
 * and asks {@link #slice(long, int)} for the ones after it: it gets each record still held exactly once, and learns
 * how many were evicted before it read them. {@link #add} allocates nothing beyond the ring growing towards its
 * capacity (the seq is implicit in the position).
 */
public final class Quarantine {
    private final int capacity;
    /** Ring buffer: grows by doubling up to {@code capacity}, so a large capacity costs nothing until used. */
    private QuarantineRecord[] ring;
    private int head;   // index of the oldest record
    private int size;
    private final AtomicLong added = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

    public Quarantine(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("quarantine capacity must be at least 1");
        this.capacity = capacity;
        this.ring = new QuarantineRecord[Math.min(capacity, 1_024)];
    }

    public synchronized void add(QuarantineRecord r) {
        if (size == capacity) {
            ring[head] = r;                       // overwrite the oldest
            head = (head + 1) % ring.length;
            evicted.incrementAndGet();
        } else {
            if (size == ring.length) grow();
            ring[(head + size) % ring.length] = r;
            size++;
        }
        added.incrementAndGet();
    }

    private void grow() {
        int n = (int) Math.min(capacity, (long) ring.length * 2);
        QuarantineRecord[] next = new QuarantineRecord[n];
        for (int i = 0; i < size; i++) next[i] = ring[(head + i) % ring.length];
        ring = next;
        head = 0;
    }

    private QuarantineRecord at(int i) {
        return ring[(head + i) % ring.length];
    }

    /** The most recent records, oldest first, at most {@code max}. */
    public synchronized List<QuarantineRecord> recent(int max) {
        int n = Math.max(0, Math.min(max, size));
        List<QuarantineRecord> out = new ArrayList<>(n);
        for (int i = size - n; i < size; i++) out.add(at(i));
        return List.copyOf(out);
    }

    /**
     * What a reader that has taken every record up to seq {@code afterSeq} takes next.
     *
     * @param afterSeq the seq the reader had taken up to
     * @param firstSeq seq of {@code records.get(0)} (when {@code records} is empty: one past {@link #next()})
     * @param records  the records after {@code afterSeq} still held, oldest first, at most the {@code max} asked for
     * @param missed   records after {@code afterSeq} that were evicted before this read
     */
    public record Slice(long afterSeq, long firstSeq, List<QuarantineRecord> records, long missed) {
        /** The seq the reader has consumed up to once it has taken this slice (the last record's seq). */
        public long next() {
            return records.isEmpty() ? afterSeq + missed : firstSeq + records.size() - 1;
        }

        /** Seq of {@code records.get(i)}. */
        public long seq(int i) {
            return firstSeq + i;
        }
    }

    /**
     * The records with a seq above {@code afterSeq} still held, oldest first, at most {@code max}, with the seq of
     * the first and the count of those evicted before this read. Pass {@code 0} to read from the start.
     */
    public synchronized Slice slice(long afterSeq, int max) {
        if (afterSeq < 0) throw new IllegalArgumentException("afterSeq must be at least 0");
        long last = added.get();
        if (afterSeq > last) throw new IllegalArgumentException("afterSeq " + afterSeq + " is past the last seq " + last);
        long oldest = last - size + 1;                       // seq of at(0) (last + 1 when empty)
        long from = Math.max(afterSeq + 1, oldest);
        long missed = from - (afterSeq + 1);
        int n = (int) Math.max(0, Math.min(max, last - from + 1));
        List<QuarantineRecord> out = new ArrayList<>(n);
        int start = (int) (from - oldest);
        for (int i = 0; i < n; i++) out.add(at(start + i));
        return new Slice(afterSeq, from, List.copyOf(out), missed);
    }

    /**
     * The records with a seq above {@code afterSeq} still held, oldest first, at most {@code max}; the same as
     * {@code slice(afterSeq, max).records()}. Use {@link #slice(long, int)} to get their seqs (and the count
     * evicted unread) read atomically with them.
     */
    public List<QuarantineRecord> since(long afterSeq, int max) {
        return slice(afterSeq, max).records();
    }

    /** Seq of the newest record ever added; 0 before the first. */
    public long lastSeq() { return added.get(); }

    public synchronized int size() { return size; }

    public int capacity() { return capacity; }

    /** Records ever added. */
    public long added() { return added.get(); }

    /** Records evicted to stay within the capacity. */
    public long evicted() { return evicted.get(); }
}
