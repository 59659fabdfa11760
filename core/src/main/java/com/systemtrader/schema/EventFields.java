package com.systemtrader.schema;

import java.nio.ByteBuffer;

/**
 * The fields of each {@link MarketEvent} type in the order both binary encodings of events write them: the spill
 * journal's ({@code storage.journal.EventCodec}) and the Kafka bus value's ({@code bus.BusEncoder},
 * docs/BUS_SCHEMA.md). An event is its source, symbol, event time and receive time, then its type's fields
 * ({@link #write}, {@link #read}). Numbers are big-endian and fixed width: {@code long} 8 bytes, {@code int} 4,
 * {@code char} 2, {@code double} 8 as its raw IEEE bits (every NaN, -0.0 and Absent marker comes back bit for bit),
 * {@code boolean} 1; {@link DataSource} and {@link BarInterval} are stable codes (0 for null, the tables below),
 * never ordinals, so reordering an enum cannot change what old bytes mean. How a string or a code list is framed,
 * and what comes before an event (version, type tag, verdict), is each encoding's own: {@link Writer} and
 * {@link Reader} leave strings and {@link Conditions} to it. Both encodings tag an event with {@link #tag}.
 * Changing an order or a code here changes both formats, so both need a new version and must keep reading the old.
 */
public final class EventFields {
    /** Type tags. */
    public static final int TRADE = 1, QUOTE = 2, BAR = 3, TRADING_STATUS = 4, LULD_BAND = 5, TRADE_CORRECTION = 6,
            TRADE_CANCEL = 7, IMBALANCE = 8;
    /** Every type tag, as {@link #read} takes them: bit {@code tag} set for each. */
    public static final int ALL_TAGS = 0x1FE;

    /**
     * Stable codes of {@link DataSource}, index = code (0 is null), by name: the codes are the formats', not the
     * enum's order (and core names no vendor constant). Append only.
     */
    private static final DataSource[] SOURCES = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            (DataSource) null), java.util.stream.Stream.of("POLYGON", "ALPACA", "DERIVED", "DATABASE", "SIMULATOR")
            .map(DataSource::valueOf)).toArray(DataSource[]::new);
    /** Stable codes of {@link BarInterval}, index = code (0 is null). Append only. */
    private static final BarInterval[] INTERVALS =
            {null, BarInterval.SECOND, BarInterval.MINUTE, BarInterval.UPDATED_MINUTE, BarInterval.DAILY};
    /** {@link #SOURCES} and {@link #INTERVALS} inverted: each constant's code, by ordinal. */
    private static final int[] SOURCE_CODES = codes(SOURCES, DataSource.values()),
            INTERVAL_CODES = codes(INTERVALS, BarInterval.values());

    private EventFields() {}

    private static int[] codes(Enum<?>[] byCode, Enum<?>[] constants) {
        int[] codes = new int[constants.length];
        for (int code = 1; code < byCode.length; code++) codes[byCode[code].ordinal()] = code;
        for (Enum<?> c : constants) {
            if (codes[c.ordinal()] == 0) throw new IllegalStateException("no stable code for " + c);
        }
        return codes;
    }

    /** The type tag of {@code e}. */
    public static int tag(MarketEvent e) {
        return switch (e) {
            case Trade t -> TRADE;
            case Quote q -> QUOTE;
            case Bar b -> BAR;
            case TradingStatus s -> TRADING_STATUS;
            case LuldBand l -> LULD_BAND;
            case TradeCorrection c -> TRADE_CORRECTION;
            case TradeCancel x -> TRADE_CANCEL;
            case Imbalance i -> IMBALANCE;
        };
    }

    /** Writes {@code e}'s fields (not its tag) to {@code out}. */
    public static void write(MarketEvent e, Writer out) {
        out.u8(sourceCode(e.source())); out.str(e.symbol()); out.i64(e.eventTimeNs()); out.i64(e.receiveTimeNs());
        switch (e) {
            case Trade t -> {
                out.f64(t.price()); out.i64(t.size()); out.i32(t.exchange()); out.str(t.tradeId());
                out.ch(t.tape()); out.i64(t.sequence()); out.i32(t.trfId()); out.i64(t.trfTimeNs());
                out.conditions(t.conditions());
            }
            case Quote q -> {
                out.i32(q.bidExchange()); out.f64(q.bidPrice()); out.i64(q.bidSize());
                out.i32(q.askExchange()); out.f64(q.askPrice()); out.i64(q.askSize());
                out.conditions(q.conditions()); out.conditions(q.indicators()); out.ch(q.tape()); out.i64(q.sequence());
            }
            case Bar b -> {
                out.u8(intervalCode(b.interval())); out.i64(b.endTimeNs());
                out.f64(b.open()); out.f64(b.high()); out.f64(b.low()); out.f64(b.close()); out.i64(b.volume());
                out.f64(b.vwap()); out.i64(b.tradeCount()); out.i64(b.accumulatedVolume());
                out.f64(b.officialOpen()); out.f64(b.dayVwap()); out.i64(b.averageTradeSize());
                out.u8(b.otc() ? 1 : 0); out.u8(sourceCode(b.origin()));
            }
            case TradingStatus s -> {
                out.str(s.statusCode()); out.str(s.statusMessage()); out.str(s.reasonCode());
                out.str(s.reasonMessage()); out.ch(s.tape());
            }
            case LuldBand l -> {
                out.f64(l.limitUp()); out.f64(l.limitDown()); out.conditions(l.indicators());
                out.ch(l.tape()); out.i64(l.sequence());
            }
            case TradeCorrection c -> {
                out.i32(c.exchange());
                out.str(c.originalId()); out.f64(c.originalPrice()); out.i64(c.originalSize());
                out.conditions(c.originalConditions());
                out.str(c.correctedId()); out.f64(c.correctedPrice()); out.i64(c.correctedSize());
                out.conditions(c.correctedConditions()); out.ch(c.tape());
            }
            case TradeCancel x -> {
                out.i32(x.exchange()); out.str(x.tradeId()); out.f64(x.price()); out.i64(x.size());
                out.ch(x.action()); out.ch(x.tape());
            }
            case Imbalance i -> {
                out.f64(i.price()); out.i64(i.imbalanceQuantity()); out.i64(i.pairedQuantity());
                out.i32(i.auctionTime()); out.ch(i.auctionType()); out.i32(i.exchange()); out.ch(i.tape());
            }
        }
    }

    /**
     * Reads the fields of an event tagged {@code tag} from {@code in}. A tag outside {@code tags} (bit {@code tag}
     * set for each tag the encoding carries) gives null, after the source, symbol and times were read.
     *
     * @throws IllegalArgumentException for an unknown source or interval code
     */
    public static MarketEvent read(int tag, int tags, Reader in) {
        DataSource src = source(in.u8());
        String sym = in.str();
        long et = in.i64(), rt = in.i64();
        if (tag < 0 || tag > 31 || (tags & 1 << tag) == 0) return null;
        return switch (tag) {
            case TRADE -> new Trade(src, sym, et, rt, in.f64(), in.i64(), in.i32(), in.str(), in.ch(), in.i64(),
                    in.i32(), in.i64(), in.conditions());
            case QUOTE -> new Quote(src, sym, et, rt, in.i32(), in.f64(), in.i64(), in.i32(), in.f64(), in.i64(),
                    in.conditions(), in.conditions(), in.ch(), in.i64());
            case BAR -> new Bar(src, sym, interval(in.u8()), et, in.i64(), rt, in.f64(), in.f64(), in.f64(), in.f64(),
                    in.i64(), in.f64(), in.i64(), in.i64(), in.f64(), in.f64(), in.i64(), in.u8() != 0,
                    source(in.u8()));
            case TRADING_STATUS -> new TradingStatus(src, sym, et, rt, in.str(), in.str(), in.str(), in.str(), in.ch());
            case LULD_BAND -> new LuldBand(src, sym, et, rt, in.f64(), in.f64(), in.conditions(), in.ch(), in.i64());
            case TRADE_CORRECTION -> new TradeCorrection(src, sym, et, rt, in.i32(), in.str(), in.f64(), in.i64(),
                    in.conditions(), in.str(), in.f64(), in.i64(), in.conditions(), in.ch());
            case TRADE_CANCEL -> new TradeCancel(src, sym, et, rt, in.i32(), in.str(), in.f64(), in.i64(), in.ch(),
                    in.ch());
            case IMBALANCE -> new Imbalance(src, sym, et, rt, in.f64(), in.i64(), in.i64(), in.i32(), in.ch(),
                    in.i32(), in.ch());
            default -> null;
        };
    }

    private static int sourceCode(DataSource s) {
        return s == null ? 0 : SOURCE_CODES[s.ordinal()];
    }

    private static int intervalCode(BarInterval i) {
        return i == null ? 0 : INTERVAL_CODES[i.ordinal()];
    }

    private static DataSource source(int code) {
        if (code >= SOURCES.length) throw new IllegalArgumentException("unknown data source code " + code);
        return SOURCES[code];
    }

    private static BarInterval interval(int code) {
        if (code >= INTERVALS.length) throw new IllegalArgumentException("unknown bar interval code " + code);
        return INTERVALS[code];
    }

    /** A growable big-endian output buffer, reused across encodings (no allocation once it has grown). */
    public abstract static class Writer {
        private ByteBuffer buf;

        protected Writer(int initialCapacity) { buf = ByteBuffer.allocate(initialCapacity); }

        /** The buffer written so far (its position is the end). */
        public final ByteBuffer buffer() { return buf; }
        public final int position() { return buf.position(); }
        public final void clear() { buf.clear(); }

        /** The buffer, grown to hold {@code n} more bytes. */
        protected final ByteBuffer room(int n) {
            if (buf.remaining() >= n) return buf;
            long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            if (want > Integer.MAX_VALUE - 16) throw new IllegalStateException("batch encoding exceeds 2 GiB");
            ByteBuffer bigger = ByteBuffer.allocate((int) want);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
            return buf;
        }

        public final void u8(int v) { room(1).put((byte) v); }
        public final void ch(char v) { room(2).putChar(v); }
        public final void i32(int v) { room(4).putInt(v); }
        public final void i64(long v) { room(8).putLong(v); }
        public final void f64(double v) { room(8).putLong(Double.doubleToRawLongBits(v)); }

        /** Writes a string, null included, as the encoding frames it. */
        public abstract void str(String s);

        /** Writes a code list, null included, as the encoding frames it. */
        public abstract void conditions(Conditions c);
    }

    /** Reads fields from a big-endian buffer; running out of bytes throws {@link java.nio.BufferUnderflowException}. */
    public abstract static class Reader {
        protected final ByteBuffer in;

        protected Reader(ByteBuffer in) { this.in = in; }

        public final int u8() { return in.get() & 0xFF; }
        public final char ch() { return in.getChar(); }
        public final int i32() { return in.getInt(); }
        public final long i64() { return in.getLong(); }
        public final double f64() { return Double.longBitsToDouble(in.getLong()); }

        /** Reads a string, null included, as the encoding frames it. */
        public abstract String str();

        /** Reads a code list, null included, as the encoding frames it. */
        public abstract Conditions conditions();
    }
}
