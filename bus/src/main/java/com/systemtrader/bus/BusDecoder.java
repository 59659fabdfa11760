package com.systemtrader.bus;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.EventFields;
import com.systemtrader.schema.MarketEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a Kafka record value written by {@link BusEncoder} (docs/BUS_SCHEMA.md) back into the event and its
 * cleaner verdict: schema versions 1 and 2. Stateless and thread-safe. A value of a version this build does not know,
 * of a type its version does not define, or that is truncated, malformed or followed by trailing bytes, is refused
 * with {@link IllegalArgumentException}.
 */
public final class BusDecoder {
    /** A decoded value: the event and the cleaner's verdict ({@code clean.Flags}). */
    public record Decoded(MarketEvent event, int flags) {}

    private BusDecoder() {}

    /** Decodes a whole value. */
    public static Decoded decode(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value); // big-endian
        Value in = new Value(buffer);
        try {
            int version = in.u8();
            if (version < BusEncoder.VERSION_1 || version > BusEncoder.VERSION) {
                throw new IllegalArgumentException("bus schema version " + version + " (this build reads "
                        + BusEncoder.VERSION_1 + " to " + BusEncoder.VERSION + ")");
            }
            int type = in.u8();
            int flags = in.i32();
            int types = version == BusEncoder.VERSION_1 ? BusEncoder.TYPES_V1 : BusEncoder.TYPES_V2; // VERSION is 2
            MarketEvent e = EventFields.read(type, types, in);
            if (e == null) {
                throw new IllegalArgumentException("unknown bus record type " + type + " in schema version " + version);
            }
            if (buffer.hasRemaining()) throw new IllegalArgumentException(buffer.remaining() + " trailing bytes");
            return new Decoded(e, flags);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated bus value (" + value.length + " bytes)");
        }
    }

    /** Strings and code lists framed by a {@code u16} length or count, {@link BusEncoder#NULL_LENGTH} for null. */
    private static final class Value extends EventFields.Reader {
        Value(ByteBuffer in) { super(in); }

        @Override public String str() {
            int n = in.getShort() & 0xFFFF;
            if (n == BusEncoder.NULL_LENGTH) return null;
            if (n > in.remaining()) throw new BufferUnderflowException();
            String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
            return s;
        }

        @Override public Conditions conditions() {
            int n = in.getShort() & 0xFFFF;
            if (n == BusEncoder.NULL_LENGTH) return null;
            if (n == 0) return Conditions.NONE;
            if (n > in.remaining() / 4) throw new BufferUnderflowException();
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) codes[i] = in.getInt();
            return Conditions.of(codes, 0, n);
        }
    }
}
