package com.systemtrader.storage.journal;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.EventFields;
import com.systemtrader.schema.MarketEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's binary encoding of a batch of {@link MarketEvent}s (codec version 2). Fixed-width fields, their
 * order and the stable codes of enums are {@link EventFields}'s. Variable parts use an unsigned LEB128 varint:
 * a string is {@code varint(utf8Length + 1)} then its UTF-8 bytes ({@code 0} = null); {@link Conditions} is
 * {@code varint(count + 1)} then {@code count} 4-byte codes ({@code 0} = null).
 *
 * <pre>
 * payload = u8 codecVersion(=2), varint eventCount, event*
 * event   = u8 tag, varint flags (version 2 only), fields ({@link EventFields#write})
 * </pre>
 * Tags are {@link EventFields#tag}'s: 1 Trade, 2 Quote, 3 Bar, 4 TradingStatus, 5 LuldBand, 6 TradeCorrection,
 * 7 TradeCancel, 8 Imbalance.
 * {@code flags} is the cleaner's verdict ({@link com.systemtrader.clean.Flags}) as an unsigned varint of the int's
 * 32 bits (1 byte for a plain eligible trade, 5 when a top bit is set). Version 1 (no flags) still decodes, with
 * every verdict 0. A new field or type means a new codec version; decoders keep reading every older version.
 */
public final class EventCodec {
    /** The version this build writes. */
    public static final int VERSION = 2;
    /** The oldest version this build still reads. */
    public static final int OLDEST_VERSION = 1;

    /** A decoded payload: the events and their verdicts side by side (all 0 for version 1). */
    public record Decoded(List<MarketEvent> events, int[] flags) {}

    /** True for a codec version byte this build can decode. */
    static boolean readable(int versionByte) {
        int v = versionByte & 0xFF;
        return v >= OLDEST_VERSION && v <= VERSION;
    }

    private EventCodec() {}

    /** Appends the payload of {@code batch} to {@code out}, growing it through {@code grow} when needed. */
    static void encode(List<? extends MarketEvent> batch, Output out) {
        encode(batch, null, out);
    }

    /** As {@link #encode(List, Output)}, with the events' verdicts ({@code flags} parallel to it; null = all 0). */
    static void encode(List<? extends MarketEvent> batch, int[] flags, Output out) {
        if (flags != null && flags.length < batch.size()) {
            throw new IllegalArgumentException(flags.length + " flags for " + batch.size() + " events");
        }
        out.u8(VERSION);
        out.varint(batch.size());
        for (int n = 0; n < batch.size(); n++) {
            MarketEvent e = batch.get(n);
            out.u8(EventFields.tag(e)); out.varint(flags == null ? 0 : flags[n]);
            EventFields.write(e, out);
        }
    }

    /**
     * Decodes one payload (the whole remaining content of {@code in}).
     *
     * @param where names the record (file and offset) in error messages
     */
    static List<MarketEvent> decode(ByteBuffer in, String where) throws JournalFormatException {
        return decodeWithFlags(in, where).events();
    }

    /** Decodes one payload with its verdicts (version 1 payloads: every verdict 0). */
    static Decoded decodeWithFlags(ByteBuffer buffer, String where) throws JournalFormatException {
        Input in = new Input(buffer);
        try {
            int version = in.u8();
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new JournalFormatException("unknown journal codec version " + version + " at " + where
                        + " (this build reads versions " + OLDEST_VERSION + " to " + VERSION + ")");
            }
            int count = in.varint();
            if (count < 0 || count > buffer.remaining()) {
                throw new JournalFormatException("implausible event count " + count + " at " + where);
            }
            List<MarketEvent> events = new ArrayList<>(count);
            int[] flags = new int[count];
            for (int n = 0; n < count; n++) {
                int tag = in.u8();
                if (version >= 2) flags[n] = in.varint();
                MarketEvent e = EventFields.read(tag, EventFields.ALL_TAGS, in);
                if (e == null) throw new JournalFormatException("unknown event tag " + tag + " at " + where);
                events.add(e);
            }
            if (buffer.hasRemaining()) {
                throw new JournalFormatException(buffer.remaining() + " trailing bytes after " + count + " events at " + where);
            }
            return new Decoded(events, flags);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new JournalFormatException("truncated or malformed batch payload at " + where + ": " + e);
        }
    }

    /** Strings and code lists framed by a varint of length or count + 1, {@code 0} for null. */
    private static final class Input extends EventFields.Reader {
        Input(ByteBuffer in) { super(in); }

        int varint() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = in.get() & 0xFF;
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new IllegalArgumentException("varint longer than 5 bytes");
        }

        @Override public String str() {
            int n = varint() - 1;
            if (n < 0) return null;
            if (n > in.remaining()) throw new IllegalArgumentException("string length " + n + " beyond payload");
            String s;
            if (in.hasArray()) {
                s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
                in.position(in.position() + n);
            } else {
                byte[] b = new byte[n];
                in.get(b);
                s = new String(b, StandardCharsets.UTF_8);
            }
            return s;
        }

        @Override public Conditions conditions() {
            int n = varint() - 1;
            if (n < 0) return null;
            if (n == 0) return Conditions.NONE;
            if (n > in.remaining() / 4) throw new IllegalArgumentException("condition count " + n + " beyond payload");
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) codes[i] = in.getInt();
            return Conditions.of(codes, 0, n);
        }
    }

    /**
     * A growable big-endian output buffer, reused across batches (no allocation once it has grown); strings and
     * code lists framed as {@link Input} reads them.
     */
    static final class Output extends EventFields.Writer {
        Output(int initialCapacity) { super(initialCapacity); }

        void varint(int v) {
            ByteBuffer buf = room(5);
            while ((v & ~0x7F) != 0) {
                buf.put((byte) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            buf.put((byte) v);
        }

        @Override public void str(String s) {
            if (s == null) { varint(0); return; }
            int n = s.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
            if (ascii) {
                varint(n + 1);
                ByteBuffer buf = room(n);
                for (int i = 0; i < n; i++) buf.put((byte) s.charAt(i));
            } else {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                varint(b.length + 1);
                room(b.length).put(b);
            }
        }

        @Override public void conditions(Conditions c) {
            if (c == null) { varint(0); return; }
            int n = c.size();
            varint(n + 1);
            ByteBuffer buf = room(4 * n);
            for (int i = 0; i < n; i++) buf.putInt(c.get(i));
        }
    }
}
