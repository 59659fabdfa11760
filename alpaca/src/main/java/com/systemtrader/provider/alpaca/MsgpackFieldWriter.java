package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Conditions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A small reusable MessagePack writer ({@link FieldWriter}). It writes the smallest form of every header and
 * integer, doubles as float64, and timestamps as extension type -1 in the smallest of the 32-, 64- and 96-bit forms
 * of the msgpack spec (what msgpack libraries, including Go's, produce). It allocates only when it grows (and for
 * non-ASCII strings). Not thread-safe.
 */
public final class MsgpackFieldWriter implements FieldWriter {
    private byte[] buf;
    private int len;

    public MsgpackFieldWriter() { this(4096); }

    public MsgpackFieldWriter(int capacity) { buf = new byte[Math.max(16, capacity)]; }

    @Override public void reset() { len = 0; }
    @Override public int length() { return len; }
    @Override public byte[] array() { return buf; }
    @Override public byte[] toByteArray() { return Arrays.copyOf(buf, len); }

    @Override public void truncate(int length) {
        if (length < 0 || length > len) throw new IllegalArgumentException("bad length " + length);
        len = length;
    }

    @Override public void beginArray(int n) { header(n, 0x90, 0xdc, 0xdd); }
    @Override public void endArray() { }
    @Override public void beginObject(int n) { header(n, 0x80, 0xde, 0xdf); }
    @Override public void endObject() { }
    @Override public void string(String key, String value) { str(key); str(value); }
    @Override public void letter(String key, char value) { str(key); letter(value); }
    @Override public void integer(String key, long value) { str(key); integer(value); }

    @Override public void number(String key, double value) {
        str(key);
        ensure(9);
        buf[len++] = (byte) 0xcb;
        putLong(Double.doubleToLongBits(value));
    }

    @Override public void time(String key, long epochNanos) {
        str(key);
        long sec = Math.floorDiv(epochNanos, Timestamps.NANOS_PER_SECOND);
        long nsec = Math.floorMod(epochNanos, Timestamps.NANOS_PER_SECOND);
        ensure(15);
        if (sec >>> 34 == 0) {
            long data = nsec << 34 | sec;
            if ((data & 0xFFFF_FFFF_0000_0000L) == 0) {
                buf[len++] = (byte) 0xd6;
                buf[len++] = -1;
                putInt((int) data);
            } else {
                buf[len++] = (byte) 0xd7;
                buf[len++] = -1;
                putLong(data);
            }
        } else {
            buf[len++] = (byte) 0xc7;
            buf[len++] = 12;
            buf[len++] = -1;
            putInt((int) nsec);
            putLong(sec);
        }
    }

    @Override public void letters(String key, Conditions codes) {
        str(key);
        beginArray(codes.size());
        for (int i = 0; i < codes.size(); i++) letter((char) codes.get(i));
    }

    @Override public void strings(String key, List<String> values) {
        str(key);
        beginArray(values.size());
        for (int i = 0; i < values.size(); i++) str(values.get(i));
    }

    // ---- values ----

    void integer(long v) {
        ensure(9);
        if (v >= 0) {
            if (v < 128) {
                buf[len++] = (byte) v;
            } else if (v < 1L << 8) {
                buf[len++] = (byte) 0xcc;
                buf[len++] = (byte) v;
            } else if (v < 1L << 16) {
                buf[len++] = (byte) 0xcd;
                putShort((int) v);
            } else if (v < 1L << 32) {
                buf[len++] = (byte) 0xce;
                putInt((int) v);
            } else {
                buf[len++] = (byte) 0xcf;
                putLong(v);
            }
        } else if (v >= -32) {
            buf[len++] = (byte) v;
        } else if (v >= Byte.MIN_VALUE) {
            buf[len++] = (byte) 0xd0;
            buf[len++] = (byte) v;
        } else if (v >= Short.MIN_VALUE) {
            buf[len++] = (byte) 0xd1;
            putShort((int) v);
        } else if (v >= Integer.MIN_VALUE) {
            buf[len++] = (byte) 0xd2;
            putInt((int) v);
        } else {
            buf[len++] = (byte) 0xd3;
            putLong(v);
        }
    }

    void str(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                strHeader(utf8.length);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, len, utf8.length);
                len += utf8.length;
                return;
            }
        }
        strHeader(n);
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
    }

    private void letter(char c) {
        if (c >= 0x80) {
            str(String.valueOf(c));
            return;
        }
        ensure(2);
        buf[len++] = (byte) 0xa1;
        buf[len++] = (byte) c;
    }

    private void strHeader(int n) {
        ensure(5);
        if (n < 32) {
            buf[len++] = (byte) (0xa0 | n);
        } else if (n < 1 << 8) {
            buf[len++] = (byte) 0xd9;
            buf[len++] = (byte) n;
        } else if (n < 1 << 16) {
            buf[len++] = (byte) 0xda;
            putShort(n);
        } else {
            buf[len++] = (byte) 0xdb;
            putInt(n);
        }
    }

    private void header(int n, int fix, int h16, int h32) {
        ensure(5);
        if (n < 16) {
            buf[len++] = (byte) (fix | n);
        } else if (n < 1 << 16) {
            buf[len++] = (byte) h16;
            putShort(n);
        } else {
            buf[len++] = (byte) h32;
            putInt(n);
        }
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
