package com.systemtrader.schema;

import java.util.Arrays;

/**
 * An immutable list of condition or indicator codes in the provider's own code space: Polygon integer ids,
 * or Alpaca SIP letters stored as their character value ({@code 'I'} = 73, {@code ' '} = 32). Multi-character
 * Alpaca codes do not occur in stock trade conditions; {@link #ofLetters(String...)} rejects them.
 */
public final class Conditions {
    public static final Conditions NONE = new Conditions(new int[0]);

    private final int[] codes;

    private Conditions(int[] codes) {
        this.codes = codes;
    }

    /** Copies the codes. */
    public static Conditions of(int... codes) {
        return codes.length == 0 ? NONE : new Conditions(codes.clone());
    }

    /** Copies {@code len} codes starting at {@code off}. */
    public static Conditions of(int[] codes, int off, int len) {
        return len == 0 ? NONE : new Conditions(Arrays.copyOfRange(codes, off, off + len));
    }

    /** Alpaca-style single-letter codes. */
    public static Conditions ofLetters(String... letters) {
        if (letters.length == 0) return NONE;
        int[] c = new int[letters.length];
        for (int i = 0; i < letters.length; i++) {
            if (letters[i].length() != 1) {
                throw new IllegalArgumentException("condition code must be one character: '" + letters[i] + "'");
            }
            c[i] = letters[i].charAt(0);
        }
        return new Conditions(c);
    }

    public int size() { return codes.length; }
    public boolean isEmpty() { return codes.length == 0; }
    public int get(int i) { return codes[i]; }

    public boolean contains(int code) {
        for (int c : codes) if (c == code) return true;
        return false;
    }

    /** The code at {@code i} as a one-letter string (Alpaca form). */
    public String letter(int i) { return String.valueOf((char) codes[i]); }

    public int[] toArray() { return codes.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof Conditions other && Arrays.equals(codes, other.codes);
    }
    @Override public int hashCode() { return Arrays.hashCode(codes); }
    @Override public String toString() { return Arrays.toString(codes); }
}
