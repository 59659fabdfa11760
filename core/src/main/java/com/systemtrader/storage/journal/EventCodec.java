package com.systemtrader.storage.journal;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's binary encoding of a batch of {@link MarketEvent}s (codec version 2). Big-endian, fixed width:
 * {@code long} 8 bytes, {@code int} 4, {@code char} 2, {@code double} 8 as its raw IEEE bits (so every NaN, -0.0
 * and Absent marker comes back bit for bit), {@code boolean} 1. Variable parts use an unsigned LEB128 varint:
 * a string is {@code varint(utf8Length + 1)} then its UTF-8 bytes ({@code 0} = null); {@link Conditions} is
 * {@code varint(count + 1)} then {@code count} 4-byte codes ({@code 0} = null). Enums are written as stable
 * codes from the tables below, never as ordinals, so reordering an enum cannot change old journals' meaning.
 *
 * <pre>
 * payload = u8 codecVersion(=2), varint eventCount, event*
 * event   = u8 tag, varint flags (version 2 only), fields in record-component order
 * </pre>
 * Tags: 1 Trade, 2 Quote, 3 Bar, 4 TradingStatus, 5 LuldBand, 6 TradeCorrection, 7 TradeCancel, 8 Imbalance.
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

    static final int TAG_TRADE = 1, TAG_QUOTE = 2, TAG_BAR = 3, TAG_STATUS = 4, TAG_LULD = 5,
            TAG_CORRECTION = 6, TAG_CANCEL = 7, TAG_IMBALANCE = 8;

    /**
     * Stable codes of {@link DataSource}, index = code (0 is null), by name: the codes are the journal's file format,
     * not the enum's order. Append only.
     */
    private static final DataSource[] SOURCES = java.util.stream.Stream.concat(java.util.stream.Stream.of((DataSource) null),
            java.util.stream.Stream.of("POLYGON", "ALPACA", "DERIVED", "DATABASE", "SIMULATOR").map(DataSource::valueOf))
            .toArray(DataSource[]::new);
    /** {@link #SOURCES} inverted: the code of each {@link DataSource}, by ordinal. */
    private static final int[] SOURCE_CODES = new int[DataSource.values().length];

    static {
        for (int code = 1; code < SOURCES.length; code++) SOURCE_CODES[SOURCES[code].ordinal()] = code;
        for (DataSource s : DataSource.values()) {
            if (SOURCE_CODES[s.ordinal()] == 0) throw new IllegalStateException("no journal code for " + s);
        }
    }
    /** Stable codes of {@link BarInterval}, index = code (0 is null). Append only. */
    private static final BarInterval[] INTERVALS =
            {null, BarInterval.SECOND, BarInterval.MINUTE, BarInterval.UPDATED_MINUTE, BarInterval.DAILY};

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
            int verdict = flags == null ? 0 : flags[n];
            switch (e) {
                case Trade t -> {
                    out.u8(TAG_TRADE); out.varint(verdict); head(out, t.source(), t.symbol(), t.eventTimeNs(), t.receiveTimeNs());
                    out.f64(t.price()); out.i64(t.size()); out.i32(t.exchange()); out.str(t.tradeId());
                    out.ch(t.tape()); out.i64(t.sequence()); out.i32(t.trfId()); out.i64(t.trfTimeNs());
                    out.conditions(t.conditions());
                }
                case Quote q -> {
                    out.u8(TAG_QUOTE); out.varint(verdict); head(out, q.source(), q.symbol(), q.eventTimeNs(), q.receiveTimeNs());
                    out.i32(q.bidExchange()); out.f64(q.bidPrice()); out.i64(q.bidSize());
                    out.i32(q.askExchange()); out.f64(q.askPrice()); out.i64(q.askSize());
                    out.conditions(q.conditions()); out.conditions(q.indicators()); out.ch(q.tape()); out.i64(q.sequence());
                }
                case Bar b -> {
                    out.u8(TAG_BAR); out.varint(verdict); head(out, b.source(), b.symbol(), b.eventTimeNs(), b.receiveTimeNs());
                    out.u8(intervalCode(b.interval())); out.i64(b.endTimeNs());
                    out.f64(b.open()); out.f64(b.high()); out.f64(b.low()); out.f64(b.close()); out.i64(b.volume());
                    out.f64(b.vwap()); out.i64(b.tradeCount()); out.i64(b.accumulatedVolume());
                    out.f64(b.officialOpen()); out.f64(b.dayVwap()); out.i64(b.averageTradeSize());
                    out.u8(b.otc() ? 1 : 0); out.u8(sourceCode(b.origin()));
                }
                case TradingStatus s -> {
                    out.u8(TAG_STATUS); out.varint(verdict); head(out, s.source(), s.symbol(), s.eventTimeNs(), s.receiveTimeNs());
                    out.str(s.statusCode()); out.str(s.statusMessage()); out.str(s.reasonCode());
                    out.str(s.reasonMessage()); out.ch(s.tape());
                }
                case LuldBand l -> {
                    out.u8(TAG_LULD); out.varint(verdict); head(out, l.source(), l.symbol(), l.eventTimeNs(), l.receiveTimeNs());
                    out.f64(l.limitUp()); out.f64(l.limitDown()); out.conditions(l.indicators());
                    out.ch(l.tape()); out.i64(l.sequence());
                }
                case TradeCorrection c -> {
                    out.u8(TAG_CORRECTION); out.varint(verdict); head(out, c.source(), c.symbol(), c.eventTimeNs(), c.receiveTimeNs());
                    out.i32(c.exchange());
                    out.str(c.originalId()); out.f64(c.originalPrice()); out.i64(c.originalSize());
                    out.conditions(c.originalConditions());
                    out.str(c.correctedId()); out.f64(c.correctedPrice()); out.i64(c.correctedSize());
                    out.conditions(c.correctedConditions()); out.ch(c.tape());
                }
                case TradeCancel x -> {
                    out.u8(TAG_CANCEL); out.varint(verdict); head(out, x.source(), x.symbol(), x.eventTimeNs(), x.receiveTimeNs());
                    out.i32(x.exchange()); out.str(x.tradeId()); out.f64(x.price()); out.i64(x.size());
                    out.ch(x.action()); out.ch(x.tape());
                }
                case Imbalance i -> {
                    out.u8(TAG_IMBALANCE); out.varint(verdict); head(out, i.source(), i.symbol(), i.eventTimeNs(), i.receiveTimeNs());
                    out.f64(i.price()); out.i64(i.imbalanceQuantity()); out.i64(i.pairedQuantity());
                    out.i32(i.auctionTime()); out.ch(i.auctionType()); out.i32(i.exchange()); out.ch(i.tape());
                }
            }
        }
    }

    private static void head(Output out, DataSource source, String symbol, long eventTimeNs, long receiveTimeNs) {
        out.u8(sourceCode(source)); out.str(symbol); out.i64(eventTimeNs); out.i64(receiveTimeNs);
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
    static Decoded decodeWithFlags(ByteBuffer in, String where) throws JournalFormatException {
        try {
            int version = in.get() & 0xFF;
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new JournalFormatException("unknown journal codec version " + version + " at " + where
                        + " (this build reads versions " + OLDEST_VERSION + " to " + VERSION + ")");
            }
            int count = varint(in);
            if (count < 0 || count > in.remaining()) {
                throw new JournalFormatException("implausible event count " + count + " at " + where);
            }
            List<MarketEvent> events = new ArrayList<>(count);
            int[] flags = new int[count];
            for (int n = 0; n < count; n++) {
                int tag = in.get() & 0xFF;
                if (version >= 2) flags[n] = varint(in);
                events.add(event(tag, in, where));
            }
            if (in.hasRemaining()) {
                throw new JournalFormatException(in.remaining() + " trailing bytes after " + count + " events at " + where);
            }
            return new Decoded(events, flags);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new JournalFormatException("truncated or malformed batch payload at " + where + ": " + e);
        }
    }

    private static MarketEvent event(int tag, ByteBuffer in, String where) throws JournalFormatException {
        DataSource src = source(in.get());
        String sym = str(in);
        long et = in.getLong(), rt = in.getLong();
        return switch (tag) {
            case TAG_TRADE -> new Trade(src, sym, et, rt, f64(in), in.getLong(), in.getInt(), str(in), in.getChar(),
                    in.getLong(), in.getInt(), in.getLong(), conditions(in));
            case TAG_QUOTE -> new Quote(src, sym, et, rt, in.getInt(), f64(in), in.getLong(), in.getInt(), f64(in),
                    in.getLong(), conditions(in), conditions(in), in.getChar(), in.getLong());
            case TAG_BAR -> new Bar(src, sym, interval(in.get()), et, in.getLong(), rt, f64(in), f64(in), f64(in),
                    f64(in), in.getLong(), f64(in), in.getLong(), in.getLong(), f64(in), f64(in), in.getLong(),
                    in.get() != 0, source(in.get()));
            case TAG_STATUS -> new TradingStatus(src, sym, et, rt, str(in), str(in), str(in), str(in), in.getChar());
            case TAG_LULD -> new LuldBand(src, sym, et, rt, f64(in), f64(in), conditions(in), in.getChar(), in.getLong());
            case TAG_CORRECTION -> new TradeCorrection(src, sym, et, rt, in.getInt(), str(in), f64(in), in.getLong(),
                    conditions(in), str(in), f64(in), in.getLong(), conditions(in), in.getChar());
            case TAG_CANCEL -> new TradeCancel(src, sym, et, rt, in.getInt(), str(in), f64(in), in.getLong(),
                    in.getChar(), in.getChar());
            case TAG_IMBALANCE -> new Imbalance(src, sym, et, rt, f64(in), in.getLong(), in.getLong(), in.getInt(),
                    in.getChar(), in.getInt(), in.getChar());
            default -> throw new JournalFormatException("unknown event tag " + tag + " at " + where);
        };
    }

    private static int sourceCode(DataSource s) {
        return s == null ? 0 : SOURCE_CODES[s.ordinal()];
    }

    private static int intervalCode(BarInterval i) {
        if (i == null) return 0;
        return switch (i) {
            case SECOND -> 1;
            case MINUTE -> 2;
            case UPDATED_MINUTE -> 3;
            case DAILY -> 4;
        };
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

    private static int varint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    private static String str(ByteBuffer in) {
        int n = varint(in) - 1;
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

    private static Conditions conditions(ByteBuffer in) {
        int n = varint(in) - 1;
        if (n < 0) return null;
        if (n == 0) return Conditions.NONE;
        if (n > in.remaining() / 4) throw new IllegalArgumentException("condition count " + n + " beyond payload");
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = in.getInt();
        return Conditions.of(codes, 0, n);
    }

    /** A growable big-endian output buffer, reused across batches (no allocation once it has grown). */
    static final class Output {
        private ByteBuffer buf;

        Output(int initialCapacity) { buf = ByteBuffer.allocate(initialCapacity); }

        ByteBuffer buffer() { return buf; }
        int position() { return buf.position(); }
        void clear() { buf.clear(); }

        private void ensure(int n) {
            if (buf.remaining() >= n) return;
            long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            if (want > Integer.MAX_VALUE - 16) throw new IllegalStateException("batch encoding exceeds 2 GiB");
            ByteBuffer bigger = ByteBuffer.allocate((int) want);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }

        void u8(int v) { ensure(1); buf.put((byte) v); }
        void ch(char v) { ensure(2); buf.putChar(v); }
        void i32(int v) { ensure(4); buf.putInt(v); }
        void i64(long v) { ensure(8); buf.putLong(v); }
        void f64(double v) { ensure(8); buf.putLong(Double.doubleToRawLongBits(v)); }

        void varint(int v) {
            ensure(5);
            while ((v & ~0x7F) != 0) {
                buf.put((byte) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            buf.put((byte) v);
        }

        void str(String s) {
            if (s == null) { varint(0); return; }
            int n = s.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
            if (ascii) {
                varint(n + 1);
                ensure(n);
                for (int i = 0; i < n; i++) buf.put((byte) s.charAt(i));
            } else {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                varint(b.length + 1);
                ensure(b.length);
                buf.put(b);
            }
        }

        void conditions(Conditions c) {
            if (c == null) { varint(0); return; }
            int n = c.size();
            varint(n + 1);
            ensure(4 * n);
            for (int i = 0; i < n; i++) buf.putInt(c.get(i));
        }
    }
}
