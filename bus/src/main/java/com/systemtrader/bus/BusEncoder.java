package com.systemtrader.bus;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.EventFields;
import com.systemtrader.schema.MarketEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one cleaned event and its verdict as the value of one Kafka record, bus schema version
 * {@value #VERSION} (docs/BUS_SCHEMA.md; {@link BusDecoder} reads it back): big-endian, fixed-width numbers, fields
 * in the order of {@link EventFields}. Trades, quotes, bars, trade corrections and trade cancels are encoded;
 * {@link #encodable} says which. Not thread-safe: one encoder per thread (it reuses its buffer).
 */
public final class BusEncoder {
    /** The bus schema version this build writes (the value's first byte). */
    public static final int VERSION = 1;
    /** Record type codes (the value's second byte). */
    public static final int TRADE = EventFields.TRADE, QUOTE = EventFields.QUOTE, BAR = EventFields.BAR,
            TRADE_CORRECTION = EventFields.TRADE_CORRECTION, TRADE_CANCEL = EventFields.TRADE_CANCEL;
    /** A null string or condition list: the length or count {@code 0xFFFF}. */
    static final int NULL_LENGTH = 0xFFFF;
    /** The types the bus carries, as {@link EventFields#read} takes them. */
    static final int CARRIED = 1 << TRADE | 1 << QUOTE | 1 << BAR | 1 << TRADE_CORRECTION | 1 << TRADE_CANCEL;

    private final Value out = new Value();

    /** True for the events the bus carries (the ones {@code websocket_data} and {@code market_data} store). */
    public static boolean encodable(MarketEvent e) {
        return (CARRIED & 1 << EventFields.tag(e)) != 0;
    }

    /**
     * The value of {@code event} with its cleaner verdict {@code flags}, as a new array.
     *
     * @throws IllegalArgumentException for an event {@link #encodable} refuses, or a string longer than 65,534
     *                                  UTF-8 bytes, or more than 65,534 condition codes
     */
    public byte[] encode(MarketEvent event, int flags) {
        out.clear();
        if (!encodable(event)) throw new IllegalArgumentException("the bus does not carry " + event.type());
        out.u8(VERSION); out.u8(EventFields.tag(event)); out.i32(flags);
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
