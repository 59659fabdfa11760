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
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a Kafka record value written by {@link BusEncoder} (docs/BUS_SCHEMA.md) back into the event and its
 * cleaner verdict. Stateless and thread-safe. A value of a version this build does not know, or that is truncated,
 * malformed or followed by trailing bytes, is refused with {@link IllegalArgumentException}.
 */
public final class BusDecoder {
    private static final DataSource[] SOURCES = {null, DataSource.POLYGON, DataSource.ALPACA, DataSource.DERIVED,
            DataSource.DATABASE, DataSource.SIMULATOR};
    private static final BarInterval[] INTERVALS =
            {null, BarInterval.SECOND, BarInterval.MINUTE, BarInterval.UPDATED_MINUTE, BarInterval.DAILY};

    /** A decoded value: the event and the cleaner's verdict ({@code clean.Flags}). */
    public record Decoded(MarketEvent event, int flags) {}

    private BusDecoder() {}

    /** Decodes a whole value. */
    public static Decoded decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value); // big-endian
        try {
            int version = in.get() & 0xFF;
            if (version != BusEncoder.VERSION) {
                throw new IllegalArgumentException("bus schema version " + version + " (this build reads "
                        + BusEncoder.VERSION + ")");
            }
            int type = in.get() & 0xFF;
            int flags = in.getInt();
            DataSource src = source(in.get());
            String sym = str(in);
            long et = in.getLong(), rt = in.getLong();
            MarketEvent e = switch (type) {
                case BusEncoder.TRADE -> new Trade(src, sym, et, rt, f64(in), in.getLong(), in.getInt(), str(in),
                        in.getChar(), in.getLong(), in.getInt(), in.getLong(), conditions(in));
                case BusEncoder.QUOTE -> new Quote(src, sym, et, rt, in.getInt(), f64(in), in.getLong(), in.getInt(),
                        f64(in), in.getLong(), conditions(in), conditions(in), in.getChar(), in.getLong());
                case BusEncoder.BAR -> new Bar(src, sym, interval(in.get()), et, in.getLong(), rt, f64(in), f64(in),
                        f64(in), f64(in), in.getLong(), f64(in), in.getLong(), in.getLong(), f64(in), f64(in),
                        in.getLong(), in.get() != 0, source(in.get()));
                case BusEncoder.TRADE_CORRECTION -> new TradeCorrection(src, sym, et, rt, in.getInt(), str(in),
                        f64(in), in.getLong(), conditions(in), str(in), f64(in), in.getLong(), conditions(in),
                        in.getChar());
                case BusEncoder.TRADE_CANCEL -> new TradeCancel(src, sym, et, rt, in.getInt(), str(in), f64(in),
                        in.getLong(), in.getChar(), in.getChar());
                default -> throw new IllegalArgumentException("unknown bus record type " + type);
            };
            if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            return new Decoded(e, flags);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated bus value (" + value.length + " bytes)");
        }
    }

    private static DataSource source(byte code) {
        int c = code & 0xFF;
        if (c >= SOURCES.length) throw new IllegalArgumentException("unknown data source code " + c);
        return SOURCES[c];
    }

    private static BarInterval interval(byte code) {
        int c = code & 0xFF;
        if (c >= INTERVALS.length) throw new IllegalArgumentException("unknown bar interval code " + c);
        return INTERVALS[c];
    }

    private static double f64(ByteBuffer in) { return Double.longBitsToDouble(in.getLong()); }

    private static String str(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        if (n == BusEncoder.NULL_LENGTH) return null;
        if (n > in.remaining()) throw new BufferUnderflowException();
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static Conditions conditions(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        if (n == BusEncoder.NULL_LENGTH) return null;
        if (n == 0) return Conditions.NONE;
        if (n > in.remaining() / 4) throw new BufferUnderflowException();
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = in.getInt();
        return Conditions.of(codes, 0, n);
    }
}
