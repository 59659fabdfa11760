package com.systemtrader.clean;

import java.util.Arrays;

/**
 * The trade identities seen recently for one symbol, to catch the duplicates that reconnects and REST backfill
 * overlaps produce. Two generations of an open-addressing set: inserts go to the young one; when it holds
 * {@code capacity / 2} the old one is cleared and the two swap. So the most recent {@code capacity / 2}
 * identities are always remembered, never more than {@code capacity}, and nothing is ever deleted from a probe
 * chain. Tables start small and double up to their bound, so quiet symbols cost little. Single-threaded.
 */
final class TradeIdWindow {
    private final int generationSize;
    private Generation young = new Generation(16);
    private Generation old = new Generation(16);

    TradeIdWindow(int capacity) {
        this.generationSize = Math.max(8, capacity / 2);
    }

    /** Adds the identity; false when it was already present (a duplicate). */
    boolean add(long id, long venue) {
        if (young.contains(id, venue) || old.contains(id, venue)) return false;
        if (young.size >= generationSize) {
            Generation g = old;
            old = young;
            g.clear();
            young = g;
        }
        young.put(id, venue, generationSize);
        return true;
    }

    boolean contains(long id, long venue) {
        return young.contains(id, venue) || old.contains(id, venue);
    }

    private static final class Generation {
        long[] ids;
        long[] venues;
        int size;

        Generation(int slots) {
            ids = new long[slots];
            venues = new long[slots];
        }

        boolean contains(long id, long venue) {
            int mask = ids.length - 1;
            for (int i = slot(id, venue, mask); ; i = (i + 1) & mask) {
                long v = venues[i];
                if (v == 0) return false;
                if (v == venue && ids[i] == id) return true;
            }
        }

        void put(long id, long venue, int maxSize) {
            if ((size + 1) * 2 > ids.length && ids.length < Integer.highestOneBit(maxSize) * 4) grow();
            int mask = ids.length - 1;
            int i = slot(id, venue, mask);
            while (venues[i] != 0) i = (i + 1) & mask;
            ids[i] = id;
            venues[i] = venue;
            size++;
        }

        void clear() {
            Arrays.fill(venues, 0);
            size = 0;
        }

        private void grow() {
            long[] oi = ids;
            long[] ov = venues;
            ids = new long[oi.length * 2];
            venues = new long[ov.length * 2];
            int mask = ids.length - 1;
            for (int j = 0; j < oi.length; j++) {
                if (ov[j] == 0) continue;
                int i = slot(oi[j], ov[j], mask);
                while (venues[i] != 0) i = (i + 1) & mask;
                ids[i] = oi[j];
                venues[i] = ov[j];
            }
        }

        private static int slot(long id, long venue, int mask) {
            long h = (id ^ Long.rotateLeft(venue, 29)) * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }
}
