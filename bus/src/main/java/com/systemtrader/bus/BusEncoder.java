package com.systemtrader.bus;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one cleaned event and its verdict as the value of one Kafka record, bus schema version
 * {@value #VERSION} (docs/BUS_SCHEMA.md; {@link BusDecoder} reads it back): big-endian, fixed-width numbers, fields
 * in a fixed order per record type. Trades, quotes, bars, trade corrections and trade cancels are encoded;
 * {@link #encodable} says which. Not thread-safe: one encoder per thread (it reuses its buffer).
 */
public final class BusEncoder {
    /** The bus schema version this build writes (the value's first byte). */
    public static final int VERSION = 1;
    /** Record type codes (the value's second byte). */
    public static final int TRADE = 1, QUOTE = 2, BAR = 3, TRADE_CORRECTION = 6, TRADE_CANCEL = 7;
    /** A null string or condition list: the length or count {@code 0xFFFF}. */
    static final int NULL_LENGTH = 0xFFFF;

    private ByteBuffer buf = ByteBuffer.allocate(512);

    /** True for the events the bus carries (the ones {@code websocket_data} and {@code market_data} store). */
    public static boolean encodable(MarketEvent e) {
        return e instanceof Trade || e instanceof Quote || e instanceof Bar || e instanceof TradeCorrection
                || e instanceof TradeCancel;
    }

    /**
     * The value of {@code event} with its cleaner verdict {@code flags}, as a new array.
     *
     * @throws IllegalArgumentException for an event {@link #encodable} refuses, or a string longer than 65,534
     *                                  UTF-8 bytes, or more than 65,534 condition codes
     */
    public byte[] encode(MarketEvent event, int flags) {
        buf.clear();
        switch (event) {
            case Trade t -> {
                head(TRADE, flags, t);
                f64(t.price()); i64(t.size()); i32(t.exchange()); str(t.tradeId()); ch(t.tape());
                i64(t.sequence()); i32(t.trfId()); i64(t.trfTimeNs()); conditions(t.conditions());
            }
            case Quote q -> {
                head(QUOTE, flags, q);
                i32(q.bidExchange()); f64(q.bidPrice()); i64(q.bidSize());
                i32(q.askExchange()); f64(q.askPrice()); i64(q.askSize());
                conditions(q.conditions()); conditions(q.indicators()); ch(q.tape()); i64(q.sequence());
            }
            case Bar b -> {
                head(BAR, flags, b);
                u8(intervalCode(b.interval())); i64(b.endTimeNs());
                f64(b.open()); f64(b.high()); f64(b.low()); f64(b.close()); i64(b.volume());
                f64(b.vwap()); i64(b.tradeCount()); i64(b.accumulatedVolume());
                f64(b.officialOpen()); f64(b.dayVwap()); i64(b.averageTradeSize());
                u8(b.otc() ? 1 : 0); u8(sourceCode(b.origin()));
            }
            case TradeCorrection c -> {
                head(TRADE_CORRECTION, flags, c);
                i32(c.exchange());
                str(c.originalId()); f64(c.originalPrice()); i64(c.originalSize()); conditions(c.originalConditions());
                str(c.correctedId()); f64(c.correctedPrice()); i64(c.correctedSize());
                conditions(c.correctedConditions()); ch(c.tape());
            }
            case TradeCancel x -> {
                head(TRADE_CANCEL, flags, x);
                i32(x.exchange()); str(x.tradeId()); f64(x.price()); i64(x.size()); ch(x.action()); ch(x.tape());
            }
            default -> throw new IllegalArgumentException("the bus does not carry " + event.type());
        }
        byte[] out = new byte[buf.position()];
        buf.flip();
        buf.get(out);
        return out;
    }

    private void head(int type, int flags, MarketEvent e) {
        u8(VERSION); u8(type); i32(flags); u8(sourceCode(e.source())); str(e.symbol());
        i64(e.eventTimeNs()); i64(e.receiveTimeNs());
    }

    /** Stable codes (docs/BUS_SCHEMA.md), never ordinals: 0 null, 1 POLYGON, 2 ALPACA, 3 DERIVED, 4 DATABASE, 5 SIMULATOR. */
    static int sourceCode(DataSource s) {
        if (s == null) return 0;
        return switch (s) {
            case POLYGON -> 1;
            case ALPACA -> 2;
            case DERIVED -> 3;
            case DATABASE -> 4;
            case SIMULATOR -> 5;
        };
    }

    /** 0 null, 1 SECOND, 2 MINUTE, 3 UPDATED_MINUTE, 4 DAILY. */
    static int intervalCode(BarInterval i) {
        if (i == null) return 0;
        return switch (i) {
            case SECOND -> 1;
            case MINUTE -> 2;
            case UPDATED_MINUTE -> 3;
            case DAILY -> 4;
        };
    }

    private void ensure(int n) {
        if (buf.remaining() >= n) return;
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }

    private void u8(int v) { ensure(1); buf.put((byte) v); }
    private void u16(int v) { ensure(2); buf.putShort((short) v); }
    private void ch(char v) { ensure(2); buf.putChar(v); }
    private void i32(int v) { ensure(4); buf.putInt(v); }
    private void i64(long v) { ensure(8); buf.putLong(v); }
    private void f64(double v) { ensure(8); buf.putLong(Double.doubleToRawLongBits(v)); }

    private void str(String s) {
        if (s == null) { u16(NULL_LENGTH); return; }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length >= NULL_LENGTH) throw new IllegalArgumentException("string of " + b.length + " UTF-8 bytes");
        u16(b.length);
        ensure(b.length);
        buf.put(b);
    }

    private void conditions(Conditions c) {
        if (c == null) { u16(NULL_LENGTH); return; }
        int n = c.size();
        if (n >= NULL_LENGTH) throw new IllegalArgumentException(n + " condition codes");
        u16(n);
        ensure(4 * n);
        for (int i = 0; i < n; i++) buf.putInt(c.get(i));
    }
}
