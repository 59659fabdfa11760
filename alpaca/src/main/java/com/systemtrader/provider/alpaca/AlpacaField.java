package com.systemtrader.provider.alpaca;

/**
 * The keys of Alpaca stream messages as small integer ids, with the kind of value each holds, so that both
 * decoders can map a key to a slot without allocating. Two keys are overloaded on the wire and get a second id
 * for their other meaning: {@code c} (conditions array; bar close number) and {@code i} (trade id number; LULD
 * indicator string).
 */
final class AlpacaField {
    static final int T = 0, S = 1, I = 2, X = 3, P = 4, SIZE = 5, C = 6, Z = 7, TIME = 8, BX = 9, BP = 10,
            BS = 11, AX = 12, AP = 13, AS = 14, O = 15, H = 16, L = 17, V = 18, N = 19, VW = 20, SC = 21, SM = 22,
            RC = 23, RM = 24, U = 25, D = 26, A = 27, OI = 28, OP = 29, OS = 30, OC = 31, CI = 32, CP = 33, CS = 34,
            CC = 35, MSG = 36, CODE = 37, CHANNEL0 = 38;
    /** {@code c} holding a number (bar close). */
    static final int C_NUM = CHANNEL0 + 10;
    /** {@code i} holding a string (LULD indicator). */
    static final int I_STR = C_NUM + 1;
    static final int COUNT = I_STR + 1;

    /** Value kinds. */
    static final byte TYPE = 0, SYMBOL = 1, LETTER = 2, INTEGER = 3, PRICE = 4, INSTANT = 5, TEXT = 6,
            LETTERS = 7, CHANNEL = 8;

    private static final String[] NAMES = new String[COUNT];
    private static final byte[] KINDS = new byte[COUNT];
    private static final String[] TABLE = new String[128];
    private static final int[] TABLE_IDS = new int[128];
    private static final AlpacaChannel[] CHANNELS = AlpacaChannel.values();

    static {
        def(T, "T", TYPE);
        def(S, "S", SYMBOL);
        def(I, "i", INTEGER);
        def(X, "x", LETTER);
        def(P, "p", PRICE);
        def(SIZE, "s", INTEGER);
        def(C, "c", LETTERS);
        def(Z, "z", LETTER);
        def(TIME, "t", INSTANT);
        def(BX, "bx", LETTER);
        def(BP, "bp", PRICE);
        def(BS, "bs", INTEGER);
        def(AX, "ax", LETTER);
        def(AP, "ap", PRICE);
        def(AS, "as", INTEGER);
        def(O, "o", PRICE);
        def(H, "h", PRICE);
        def(L, "l", PRICE);
        def(V, "v", INTEGER);
        def(N, "n", INTEGER);
        def(VW, "vw", PRICE);
        def(SC, "sc", TEXT);
        def(SM, "sm", TEXT);
        def(RC, "rc", TEXT);
        def(RM, "rm", TEXT);
        def(U, "u", PRICE);
        def(D, "d", PRICE);
        def(A, "a", LETTER);
        def(OI, "oi", INTEGER);
        def(OP, "op", PRICE);
        def(OS, "os", INTEGER);
        def(OC, "oc", LETTERS);
        def(CI, "ci", INTEGER);
        def(CP, "cp", PRICE);
        def(CS, "cs", INTEGER);
        def(CC, "cc", LETTERS);
        def(MSG, "msg", TEXT);
        def(CODE, "code", INTEGER);
        for (AlpacaChannel ch : AlpacaChannel.values()) def(CHANNEL0 + ch.ordinal(), ch.wireKey(), CHANNEL);
        NAMES[C_NUM] = "c";
        KINDS[C_NUM] = PRICE;
        NAMES[I_STR] = "i";
        KINDS[I_STR] = LETTER;
    }

    private AlpacaField() {}

    /** The id of a key, or -1 when the key is not one of ours. */
    static int id(String key) {
        int h = key.hashCode();
        for (int i = h & 127; ; i = (i + 1) & 127) {
            String s = TABLE[i];
            if (s == null) return -1;
            if (s.hashCode() == h && s.equals(key)) return TABLE_IDS[i];
        }
    }

    /** The id of a key held in a char buffer, or -1. */
    static int id(char[] buf, int off, int len) {
        int h = 0;
        for (int k = 0; k < len; k++) h = 31 * h + buf[off + k];
        for (int i = h & 127; ; i = (i + 1) & 127) {
            String s = TABLE[i];
            if (s == null) return -1;
            if (s.hashCode() == h && equal(s, buf, off, len)) return TABLE_IDS[i];
        }
    }

    /** The id of a key held as (ASCII) bytes, e.g. a msgpack str, or -1. */
    static int id(byte[] buf, int off, int len) {
        int h = 0;
        for (int k = 0; k < len; k++) h = 31 * h + buf[off + k];
        for (int i = h & 127; ; i = (i + 1) & 127) {
            String s = TABLE[i];
            if (s == null) return -1;
            if (s.hashCode() == h && equal(s, buf, off, len)) return TABLE_IDS[i];
        }
    }

    static String name(int id) { return NAMES[id]; }

    /** All keys by id (a copy). */
    static String[] names() { return NAMES.clone(); }

    static byte kind(int id) { return KINDS[id]; }

    static AlpacaChannel channel(int id) { return CHANNELS[id - CHANNEL0]; }

    private static void def(int id, String name, byte kind) {
        NAMES[id] = name;
        KINDS[id] = kind;
        int i = name.hashCode() & 127;
        while (TABLE[i] != null) i = (i + 1) & 127;
        TABLE[i] = name;
        TABLE_IDS[i] = id;
    }

    private static boolean equal(String s, byte[] buf, int off, int len) {
        if (s.length() != len) return false;
        for (int k = 0; k < len; k++) if (s.charAt(k) != buf[off + k]) return false;
        return true;
    }

    private static boolean equal(String s, char[] buf, int off, int len) {
        if (s.length() != len) return false;
        for (int k = 0; k < len; k++) if (s.charAt(k) != buf[off + k]) return false;
        return true;
    }
}
