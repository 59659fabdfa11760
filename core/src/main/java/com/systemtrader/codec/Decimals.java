package com.systemtrader.codec;

/**
 * Number parsing from a parser's character buffer without allocating (Jackson builds a String for some number
 * paths and checks the number type on others). Both methods accept exactly the JSON number shapes the parser has
 * already validated; anything else is the caller's bug or a decline.
 */
public final class Decimals {
    /** Integer tokens of at most this many characters (sign included) always fit a long. */
    public static final int SAFE_LONG_CHARS = 18;

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private Decimals() {}

    /**
     * Parses a plain decimal ({@code -123.4567}, no exponent) of at most 15 significant digits and 22 fraction
     * digits. Both the digits and the power of ten are exact doubles then, and one IEEE division rounds correctly
     * (Clinger's fast path), so the result equals {@link Double#parseDouble}. NaN means "not this shape": the
     * caller falls back to the parser's own conversion.
     */
    public static double parseDouble(char[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && b[i] == '-';
        if (negative) i++;
        if (i == end) return Double.NaN;
        long m = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < end; i++) {
            char c = b[i];
            if (c >= '0' && c <= '9') {
                if (m != 0 || c != '0') digits++;
                if (digits > 15) return Double.NaN;
                m = m * 10 + (c - '0');
                if (fraction >= 0) fraction++;
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (fraction > 22) return Double.NaN;
        double v = fraction > 0 ? m / POW10[fraction] : m;
        return negative ? -v : v;
    }

    /**
     * Parses a JSON integer token ({@code -?[0-9]+}) of at most {@link #SAFE_LONG_CHARS} characters, which cannot
     * overflow. Longer tokens must go through the parser (they may not fit a long).
     */
    public static long parseLong(char[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = b[i] == '-';
        if (negative) i++;
        long v = 0;
        for (; i < end; i++) v = v * 10 + (b[i] - '0');
        return negative ? -v : v;
    }
}
