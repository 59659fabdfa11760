package com.systemtrader.bus;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.EventFields;
import com.systemtrader.schema.MarketEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one cleaned event and its verdict as the value of one Kafka record (docs/BUS_SCHEMA.md; {@link BusDecoder}
 * reads it back): big-endian, fixed-width numbers, fields in the order of {@link EventFields}. Every event type is
 * carried. A value's version byte is the first schema version that defines its type: {@value #VERSION_1} for trades,
 * quotes, bars, trade corrections and trade cancels (their layout is unchanged since), {@value #VERSION} for trading
 * statuses, LULD bands and imbalances; so a consumer written for version 1 still reads the types it knows.
 * Not thread-safe: one encoder per thread (it reuses its buffer).
 */
public final class BusEncoder {
    /** The newest bus schema version this build writes and reads. */
    public static final int VERSION = 2;
    /** The first schema version: trades, quotes, bars, trade corrections and trade cancels. */
    public static final int VERSION_1 = 1;
    /** Record type codes (the value's second byte). */
    public static final int TRADE = EventFields.TRADE, QUOTE = EventFields.QUOTE, BAR = EventFields.BAR,
            TRADING_STATUS = EventFields.TRADING_STATUS, LULD_BAND = EventFields.LULD_BAND,
            TRADE_CORRECTION = EventFields.TRADE_CORRECTION, TRADE_CANCEL = EventFields.TRADE_CANCEL,
            IMBALANCE = EventFields.IMBALANCE;
    /** A null string or condition list: the length or count {@code 0xFFFF}. */
    static final int NULL_LENGTH = 0xFFFF;
    /** The types of schema version 1, as {@link EventFields#read} takes them. */
    static final int TYPES_V1 = 1 << TRADE | 1 << QUOTE | 1 << BAR | 1 << TRADE_CORRECTION | 1 << TRADE_CANCEL;
    /** The types of schema version 2: version 1's, trading statuses, LULD bands and imbalances. */
    static final int TYPES_V2 = TYPES_V1 | 1 << TRADING_STATUS | 1 << LULD_BAND | 1 << IMBALANCE;

    private final Value out = new Value();

    /** The schema version a value of {@code type} is written with: the first one that defines the type. */
    static int versionOf(int type) {
        if ((TYPES_V1 & 1 << type) != 0) return VERSION_1;
        if ((TYPES_V2 & 1 << type) != 0) return 2;
        throw new IllegalArgumentException("record type " + type + " is in no bus schema version: define one");
    }

    /**
     * The value of {@code event} with its cleaner verdict {@code flags}, as a new array.
     *
     * @throws IllegalArgumentException for a string longer than 65,534 UTF-8 bytes, or more than 65,534 condition
     *                                  codes
     */
    public byte[] encode(MarketEvent event, int flags) {
        out.clear();
        int type = EventFields.tag(event);
        out.u8(versionOf(type)); out.u8(type); out.i32(flags);
        EventFields.write(event, out);
        ByteBuffer buf = out.buffer();
        byte[] value = new byte[buf.position()];
        buf.flip();
        buf.get(value);
        return value;
    }

    /** Strings and code lists framed by a {@code u16} length or count, {@link #NULL_LENGTH} for null. */
    private static final class Value extends EventFields.Writer {
        Value() { super(512); }

        private void u16(int v) { room(2).putShort((short) v); }

        @Override public void str(String s) {
            if (s == null) { u16(NULL_LENGTH); return; }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length >= NULL_LENGTH) throw new IllegalArgumentException("string of " + b.length + " UTF-8 bytes");
            u16(b.length);
            room(b.length).put(b);
        }

        @Override public void conditions(Conditions c) {
            if (c == null) { u16(NULL_LENGTH); return; }
            int n = c.size();
            if (n >= NULL_LENGTH) throw new IllegalArgumentException(n + " condition codes");
            u16(n);
            ByteBuffer buf = room(4 * n);
            for (int i = 0; i < n; i++) buf.putInt(c.get(i));
        }
    }
}
