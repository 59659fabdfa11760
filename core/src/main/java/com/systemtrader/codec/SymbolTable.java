package com.systemtrader.codec;

/**
 * Interns ticker symbols from parser character buffers, so that decoding a known symbol allocates nothing.
 * Open addressing over a fixed power-of-two table; once {@code capacity} distinct symbols are held, further
 * new symbols are returned as fresh strings (correct, just not interned). Not thread-safe: one per decoder.
 */
public final class SymbolTable {
    private final String[] table;
    private final int mask;
    private final int capacity;
    private int size;

    public SymbolTable() {
        this(16_384);
    }

    /** @param capacity the most symbols held; the table is sized at twice that, rounded up to a power of two */
    public SymbolTable(int capacity) {
        int n = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        this.table = new String[n];
        this.mask = n - 1;
        this.capacity = capacity;
    }

    public String intern(char[] buf, int off, int len) {
        int h = 0;
        for (int i = 0; i < len; i++) h = 31 * h + buf[off + i];
        int idx = mix(h) & mask;
        while (true) {
            String s = table[idx];
            if (s == null) {
                String created = new String(buf, off, len);
                if (size < capacity) {
                    table[idx] = created;
                    size++;
                }
                return created;
            }
            if (s.hashCode() == h && equal(s, buf, off, len)) return s;
            idx = (idx + 1) & mask;
        }
    }

    public String intern(String s) {
        return intern(s.toCharArray(), 0, s.length());
    }

    public int size() { return size; }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean equal(String s, char[] buf, int off, int len) {
        if (s.length() != len) return false;
        for (int i = 0; i < len; i++) if (s.charAt(i) != buf[off + i]) return false;
        return true;
    }
}
