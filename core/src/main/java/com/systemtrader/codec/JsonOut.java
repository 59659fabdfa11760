package com.systemtrader.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable UTF-8 JSON byte writer for the encoders' hot path. It allocates only when it grows.
 * Field helpers insert the separating comma themselves: a comma is written unless the previous byte opened
 * an object or array. Not thread-safe.
 */
public final class JsonOut {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L};
    private static final double[] DPOW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private final byte[] scratch = new byte[20];

    private byte[] buf;
    private int len;

    public JsonOut() {
        this(4096);
    }

    public JsonOut(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public JsonOut reset() {
        len = 0;
        return this;
    }

    public int length() { return len; }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] array() { return buf; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, len); }

    /** Drops everything after {@code length} (to undo a partly written element). */
    public void truncate(int length) {
        if (length < 0 || length > len) throw new IllegalArgumentException("bad length " + length);
        len = length;
    }

    @Override public String toString() { return new String(buf, 0, len, StandardCharsets.UTF_8); }

    // ---- structure ----

    public JsonOut beginArray() { sep(); return raw('['); }
    public JsonOut endArray() { return raw(']'); }
    public JsonOut beginObject() { sep(); return raw('{'); }
    public JsonOut endObject() { return raw('}'); }

    /** Writes a comma when the previous byte is a value (not an opening bracket, colon or nothing). */
    public JsonOut sep() {
        if (len > 0) {
            byte last = buf[len - 1];
            if (last != '{' && last != '[' && last != ':' && last != ',') raw(',');
        }
        return this;
    }

    /** {@code "name":} with a separator before it. Names are ASCII constants and are not escaped. */
    public JsonOut name(String name) {
        sep();
        raw('"');
        ascii(name);
        raw('"');
        return raw(':');
    }

    public JsonOut field(String name, String value) { name(name); return string(value); }
    public JsonOut field(String name, long value) { name(name); return number(value); }
    public JsonOut field(String name, double value) { name(name); return number(value); }
    public JsonOut field(String name, boolean value) { name(name); return ascii(value ? "true" : "false"); }
    /** A one-character string field, e.g. Alpaca's {@code "x":"V"}. */
    public JsonOut fieldChar(String name, char value) { name(name); return stringChar(value); }

    // ---- values ----

    public JsonOut string(String s) {
        sep();
        raw('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                escapeAscii(c);
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    enc = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes(enc, 0, enc.length);
            }
        }
        return raw('"');
    }

    public JsonOut stringChar(char c) {
        sep();
        raw('"');
        if (c < 0x80) escapeAscii(c);
        else string(String.valueOf(c));
        return raw('"');
    }

    public JsonOut number(long v) {
        sep();
        if (v == Long.MIN_VALUE) return ascii("-9223372036854775808");
        if (v < 0) {
            raw('-');
            v = -v;
        }
        int p = scratch.length;
        do {
            scratch[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return bytes(scratch, p, scratch.length - p);
    }

    /**
     * Writes the shortest decimal with at most 9 fraction digits that parses back to exactly {@code v}, without
     * allocating; other values use {@link Double#toString}. Non-finite values are written as {@code null}.
     */
    public JsonOut number(double v) {
        if (!Double.isFinite(v)) {
            sep();
            return ascii("null");
        }
        double a = Math.abs(v);
        if (a < 1e9) {
            for (int k = 0; k < DPOW10.length; k++) {
                long m = Math.round(a * DPOW10[k]);
                if (m >= (1L << 53)) break;
                if (m / DPOW10[k] == a) {
                    sep();
                    if (v < 0) raw('-');
                    long whole = m / POW10[k];
                    long frac = m % POW10[k];
                    appendDigits(whole);
                    if (k > 0) {
                        raw('.');
                        fixedDigits(frac, k);
                    }
                    return this;
                }
            }
        }
        sep();
        return ascii(Double.toString(v));
    }

    /** Writes exactly {@code width} digits, zero-padded. No separator. */
    public JsonOut fixedDigits(long v, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        len += width;
        return this;
    }

    // ---- raw ----

    public JsonOut raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    public JsonOut ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    public JsonOut bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    private void appendDigits(long v) {
        int p = scratch.length;
        do {
            scratch[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        bytes(scratch, p, scratch.length - p);
    }

    private void escapeAscii(char c) {
        switch (c) {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            default -> {
                if (c < 0x20) {
                    ascii("\\u00");
                    raw((char) HEX[c >> 4]);
                    raw((char) HEX[c & 0xF]);
                } else {
                    raw(c);
                }
            }
        }
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
