package com.systemtrader.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A whole pipeline of Redis commands encoded as RESP into one reusable byte array, so the cache writer encodes a
 * batch without a per-argument object or copy and sends it with one socket write. It grows to the largest batch
 * (bounded by the writer's batch size) and is reused for the next one. Not thread-safe: the writer thread's own.
 */
final class RespBuffer {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final String MIN_LONG = Long.toString(Long.MIN_VALUE);
    private byte[] buf = new byte[64 * 1024];
    private int len;
    private int commands;

    void reset() {
        len = 0;
        commands = 0;
    }

    /** Commands written since {@link #reset}: the number of replies to read. */
    int commands() { return commands; }

    int length() { return len; }

    /** Starts a command of {@code argc} arguments (the command name included). */
    RespBuffer command(int argc) {
        commands++;
        put((byte) '*');
        digits(argc);
        put(CRLF, 0, 2);
        return this;
    }

    RespBuffer arg(byte[] b) {
        return arg(b, 0, b.length);
    }

    RespBuffer arg(byte[] b, int off, int n) {
        put((byte) '$');
        digits(n);
        ensure(n + 4);
        buf[len++] = '\r';
        buf[len++] = '\n';
        System.arraycopy(b, off, buf, len, n);
        len += n;
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /** A text argument, UTF-8 (key names; the common all-ASCII case is written without a byte array). */
    RespBuffer arg(String ascii) {
        int n = ascii.length();
        for (int i = 0; i < n; i++) {
            if (ascii.charAt(i) >= 0x80) return arg(ascii.getBytes(StandardCharsets.UTF_8));
        }
        put((byte) '$');
        digits(n);
        ensure(n + 4);
        buf[len++] = '\r';
        buf[len++] = '\n';
        for (int i = 0; i < n; i++) buf[len++] = (byte) ascii.charAt(i);
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /** A decimal integer argument, written without a String. */
    RespBuffer arg(long v) {
        put((byte) '$');
        digits(decimalLength(v));
        put(CRLF, 0, 2);
        digits(v);
        put(CRLF, 0, 2);
        return this;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
        out.flush();
    }

    /** The encoded bytes (a copy; for tests). */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void digits(long v) {
        if (v == Long.MIN_VALUE) {
            for (int i = 0; i < MIN_LONG.length(); i++) put((byte) MIN_LONG.charAt(i));
            return;
        }
        int n = decimalLength(v);
        ensure(n);
        long a = Math.abs(v);
        int i = len + n;
        do {
            buf[--i] = (byte) ('0' + a % 10);
            a /= 10;
        } while (a > 0);
        if (v < 0) buf[len] = '-';
        len += n;
    }

    private static int decimalLength(long v) {
        if (v == Long.MIN_VALUE) return MIN_LONG.length();
        int n = v < 0 ? 2 : 1;
        long a = Math.abs(v);
        while (a >= 10) {
            a /= 10;
            n++;
        }
        return n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
