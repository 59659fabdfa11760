package com.systemtrader.storage;

import java.nio.charset.StandardCharsets;

/**
 * Builds a PostgreSQL binary COPY stream ({@code COPY ... FROM STDIN (FORMAT binary)}): the 19-byte header, per row
 * a field count, per field its length (-1 for NULL) and its big-endian value, and the -1 trailer. One instance is
 * reused batch after batch; {@link #reset()} starts a new stream. Nothing is allocated per row once the buffer has
 * grown to the batch size: ASCII text is copied char by char, constant text is written from pre-encoded bytes, and a
 * composed text field ({@link #beginText()} ... {@link #endText(int)}) is written in place and its length patched.
 */
final class PgBinaryCopy {
    /** Microseconds from 1970-01-01 to PostgreSQL's epoch 2000-01-01 (UTC). */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int INT4_OID = 23;

    private final Buffer out = new Buffer(1 << 16);

    PgBinaryCopy() {
        reset();
    }

    void reset() {
        out.reset();
        out.write(SIGNATURE, 0, SIGNATURE.length);
        out.i32(0); // flags: no OIDs
        out.i32(0); // header extension length
    }

    void row(int fields) { out.i16(fields); }

    void nul() { out.i32(-1); }

    void int2(int v) { out.i32(2); out.i16(v); }

    void int4(int v) { out.i32(4); out.i32(v); }

    void int8(long v) { out.i32(8); out.i64(v); }

    void float8(double v) { out.i32(8); out.i64(Double.doubleToRawLongBits(v)); }

    void bool(boolean v) { out.i32(1); out.write(v ? 1 : 0); }

    /** A timestamptz from epoch nanoseconds (truncated to microseconds, as PostgreSQL stores them). */
    void timestampNs(long epochNs) { int8(Math.floorDiv(epochNs, 1000L) - PG_EPOCH_MICROS); }

    /** text, varchar or char(n): the UTF-8 bytes (ASCII without allocating). */
    void text(String s) {
        int n = s.length();
        int at = out.size();
        out.i32(n);
        if (out.ascii(s)) return;
        out.truncate(at);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.i32(b.length);
        out.write(b, 0, b.length);
    }

    /** A text field from bytes already UTF-8 encoded (constants such as {@code "trade"}). */
    void text(byte[] utf8) {
        out.i32(utf8.length);
        out.write(utf8, 0, utf8.length);
    }

    /** A one-character text or char(1) field; {@code c} must be ASCII. */
    void textChar(char c) {
        out.i32(1);
        out.write(c);
    }

    /** Starts a text field composed piece by piece; returns the mark {@link #endText(int)} needs. */
    int beginText() {
        int mark = out.size();
        out.i32(0);
        return mark;
    }

    /** Appends the decimal digits of {@code v} to the text field begun. */
    void appendDecimal(long v) { out.decimal(v); }

    /** Appends one ASCII char to the text field begun. */
    void appendChar(char c) { out.write(c); }

    /** Appends the 16 lower-case hex digits of {@code v} to the text field begun. */
    void appendHex16(long v) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            int d = (int) (v >>> shift) & 0xF;
            out.write(d < 10 ? '0' + d : 'a' + d - 10);
        }
    }

    /** Appends {@code s} to the text field begun (UTF-8). */
    void appendText(String s) {
        if (out.ascii(s)) return;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** Ends the text field begun at {@code mark}: writes its byte length into the field header. */
    void endText(int mark) { out.patchI32(mark, out.size() - mark - 4); }

    /** A one-dimensional int4[] without NULL elements; an empty array has zero dimensions. */
    void int4Array(int[] values, int count) {
        if (count == 0) {
            out.i32(12);
            out.i32(0);
            out.i32(0);
            out.i32(INT4_OID);
            return;
        }
        out.i32(20 + 8 * count);
        out.i32(1);          // dimensions
        out.i32(0);          // has nulls
        out.i32(INT4_OID);
        out.i32(count);      // dimension size
        out.i32(1);          // lower bound
        for (int i = 0; i < count; i++) {
            out.i32(4);
            out.i32(values[i]);
        }
    }

    /** Appends the trailer and returns the stream's bytes (valid until the next call). */
    byte[] finish(int[] length) {
        out.i16(-1);
        length[0] = out.size();
        return out.array();
    }

    /** A growable byte array without the locking of {@code ByteArrayOutputStream}. */
    private static final class Buffer {
        private byte[] buf;
        private int size;

        Buffer(int capacity) { buf = new byte[capacity]; }

        void reset() { size = 0; }

        int size() { return size; }

        byte[] array() { return buf; }

        private void room(int n) {
            if (size + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }

        void write(int b) { room(1); buf[size++] = (byte) b; }

        void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        void i16(int v) { room(2); buf[size++] = (byte) (v >>> 8); buf[size++] = (byte) v; }

        void i32(int v) {
            room(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        void i64(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) buf[size++] = (byte) (v >>> shift);
        }

        void truncate(int newSize) { size = newSize; }

        void patchI32(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        /** Appends {@code s} when it is all ASCII and returns true; otherwise appends nothing and returns false. */
        boolean ascii(String s) {
            int n = s.length();
            room(n);
            int start = size;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    size = start;
                    return false;
                }
                buf[size++] = (byte) c;
            }
            return true;
        }

        /** Appends the decimal digits of {@code v} (with a '-' when negative). */
        void decimal(long v) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            room(20);
            if (v < 0) {
                buf[size++] = '-';
                v = -v;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) digits++;
            int end = size + digits;
            for (int i = end - 1; i >= size; i--) {
                buf[i] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            size = end;
        }
    }
}
