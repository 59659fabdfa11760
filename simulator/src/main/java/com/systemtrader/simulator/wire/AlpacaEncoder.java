package com.systemtrader.simulator.wire;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.provider.alpaca.AlpacaChannel;
import com.systemtrader.provider.alpaca.AlpacaError;
import com.systemtrader.provider.alpaca.AlpacaSubscription;
import com.systemtrader.provider.alpaca.AlpacaSuccess;
import com.systemtrader.provider.alpaca.AlpacaWireFormat;
import com.systemtrader.provider.alpaca.FieldWriter;
import com.systemtrader.provider.alpaca.JsonFieldWriter;
import com.systemtrader.provider.alpaca.MsgpackFieldWriter;
import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.util.List;

/**
 * Writes normalized events and Alpaca control messages in Alpaca's exact wire form, JSON or MessagePack, with the
 * key order of the examples in protocols.md §2.3, §2.4 and §2.6. Used by the exchange simulator and by tests.
 *
 * <pre>{@code
 * AlpacaEncoder enc = AlpacaEncoder.json();          // or msgpack(); reuse it for every frame
 * enc.reset().beginFrame(2).event(trade1).event(trade2).endFrame();
 * channel.write(enc.array(), 0, enc.length());
 * }</pre>
 *
 * <p>Codes are written as they are held: exchange, tape, condition and indicator codes must already be Alpaca
 * letters (their char values); fields that Alpaca does not have (Polygon's sequence, TRF, accumulated volume...)
 * are left out, and so are absent optional values ({@code x}, {@code z}, {@code n}, {@code vw}). A minute-second
 * bar ({@link BarInterval#SECOND}) has no Alpaca form. An event that cannot be written throws
 * {@link IllegalArgumentException} and leaves the buffer as it was before the event.
 *
 * <p>Nothing is allocated per event (ASCII content; the buffer grows when needed). MessagePack frames need the
 * element count up front, so {@link #beginFrame(int)} takes it and {@link #endFrame()} checks it. Not thread-safe.
 */
public final class AlpacaEncoder {
    private final FieldWriter w;
    private final AlpacaWireFormat format;
    private int expected = -1;
    private int written;

    private AlpacaEncoder(FieldWriter w, AlpacaWireFormat format) {
        this.w = w;
        this.format = format;
    }

    /** A JSON encoder with its own buffer. */
    public static AlpacaEncoder json() {
        return json(new JsonOut());
    }

    /** A JSON encoder appending to {@code out} (JsonOut inserts the commas between elements). */
    public static AlpacaEncoder json(JsonOut out) {
        return new AlpacaEncoder(new JsonFieldWriter(out), AlpacaWireFormat.JSON);
    }

    /** A MessagePack encoder with its own reusable buffer. */
    /** An encoder of {@code format}'s frames. */
    public static AlpacaEncoder of(AlpacaWireFormat format) {
        return format == AlpacaWireFormat.JSON ? json() : msgpack();
    }

    public static AlpacaEncoder msgpack() {
        return new AlpacaEncoder(new MsgpackFieldWriter(), AlpacaWireFormat.MSGPACK);
    }

    public AlpacaWireFormat format() { return format; }

    /** Empties the buffer. */
    public AlpacaEncoder reset() {
        w.reset();
        expected = -1;
        return this;
    }

    /** Opens a frame (an array) of exactly {@code elements} messages. */
    public AlpacaEncoder beginFrame(int elements) {
        if (elements < 0) throw new IllegalArgumentException("negative element count");
        w.beginArray(elements);
        expected = elements;
        written = 0;
        return this;
    }

    /** Closes the frame. @throws IllegalStateException when the element count differs from {@link #beginFrame} */
    public AlpacaEncoder endFrame() {
        if (expected != written) {
            throw new IllegalStateException("frame announced " + expected + " elements, got " + written);
        }
        w.endArray();
        expected = -1;
        return this;
    }

    /** A whole frame holding the given events and control messages; returns a copy of the bytes. */
    public byte[] frame(List<?> elements) {
        reset().beginFrame(elements.size());
        for (Object o : elements) {
            if (o instanceof MarketEvent e) event(e);
            else if (o instanceof ControlMessage c) control(c);
            else throw new IllegalArgumentException("not an event or control message: " + o);
        }
        return endFrame().toByteArray();
    }

    /** A whole frame holding one message (control messages always travel alone). */
    public byte[] frame(Object element) {
        return frame(List.of(element));
    }

    public int length() { return w.length(); }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] array() { return w.array(); }

    public byte[] toByteArray() { return w.toByteArray(); }

    /** Appends one event as an element of the current frame. */
    public AlpacaEncoder event(MarketEvent e) {
        int mark = w.length();
        try {
            switch (e) {
                case Trade t -> trade(t);
                case Quote q -> quote(q);
                case Bar b -> bar(b);
                case TradingStatus s -> status(s);
                case LuldBand l -> luld(l);
                case TradeCorrection c -> correction(c);
                case TradeCancel x -> cancel(x);
                case Imbalance i -> imbalance(i);
            }
        } catch (RuntimeException ex) {
            w.truncate(mark);
            throw ex;
        }
        written++;
        return this;
    }

    /** Appends {@link AlpacaSuccess}, {@link AlpacaError} or {@link AlpacaSubscription} as an element. */
    public AlpacaEncoder control(ControlMessage m) {
        switch (m) {
            case AlpacaSuccess s -> {
                w.beginObject(2);
                w.string("T", "success");
                w.string("msg", s.msg());
            }
            case AlpacaError err -> {
                w.beginObject(3);
                w.string("T", "error");
                w.integer("code", err.code());
                w.string("msg", err.msg());
            }
            case AlpacaSubscription sub -> subscription(sub);
            default -> throw new IllegalArgumentException("not an Alpaca control message: " + m.getClass());
        }
        w.endObject();
        written++;
        return this;
    }

    /**
     * All channels in protocols.md §2.3 order; {@code imbalances}, which the documented stock echo does not list,
     * is written (after {@code statuses}) only when it holds symbols.
     */
    private void subscription(AlpacaSubscription sub) {
        boolean imbalances = !sub.imbalances().isEmpty();
        w.beginObject(AlpacaChannel.values().length + (imbalances ? 1 : 0));
        w.string("T", "subscription");
        for (AlpacaChannel c : AlpacaChannel.values()) {
            if (c != AlpacaChannel.IMBALANCES || imbalances) w.strings(c.wireKey(), sub.symbols(c));
        }
    }

    // {"T":"t","S":"AAPL","i":52983525029461,"x":"V","p":189.43,"s":100,"c":["@"],"z":"C","t":"..."}
    private void trade(Trade t) {
        long id = parseId(t.tradeId(), "trade id");
        int x = exchange(t.exchange());
        w.beginObject(7 + opt(x) + opt(t.tape()));
        w.string("T", "t");
        w.string("S", t.symbol());
        w.integer("i", id);
        if (x != 0) w.letter("x", (char) x);
        w.number("p", t.price());
        w.integer("s", t.size());
        letters("c", t.conditions());
        if (t.tape() != Absent.CHAR) w.letter("z", t.tape());
        w.time("t", t.eventTimeNs());
        w.endObject();
    }

    // {"T":"q","S":"AMD","bx":"K","bp":166.21,"bs":3,"ax":"Q","ap":166.23,"as":1,"c":["R"],"z":"C","t":"..."}
    private void quote(Quote q) {
        int bx = exchange(q.bidExchange());
        int ax = exchange(q.askExchange());
        w.beginObject(8 + opt(bx) + opt(ax) + opt(q.tape()));
        w.string("T", "q");
        w.string("S", q.symbol());
        if (bx != 0) w.letter("bx", (char) bx);
        w.number("bp", q.bidPrice());
        w.integer("bs", q.bidSize());
        if (ax != 0) w.letter("ax", (char) ax);
        w.number("ap", q.askPrice());
        w.integer("as", q.askSize());
        letters("c", q.conditions());
        if (q.tape() != Absent.CHAR) w.letter("z", q.tape());
        w.time("t", q.eventTimeNs());
        w.endObject();
    }

    // {"T":"b","S":"SPY","o":527.61,"h":527.74,"l":527.55,"c":527.7,"v":48211,"n":512,"vw":527.6532,"t":"..."}
    private void bar(Bar b) {
        String type = switch (b.interval()) {
            case MINUTE -> "b";
            case UPDATED_MINUTE -> "u";
            case DAILY -> "d";
            case SECOND -> throw new IllegalArgumentException("Alpaca has no second bars");
        };
        boolean n = b.tradeCount() != Absent.LONG;
        boolean vw = !Double.isNaN(b.vwap());
        w.beginObject(8 + (n ? 1 : 0) + (vw ? 1 : 0));
        w.string("T", type);
        w.string("S", b.symbol());
        w.number("o", b.open());
        w.number("h", b.high());
        w.number("l", b.low());
        w.number("c", b.close());
        w.integer("v", b.volume());
        if (n) w.integer("n", b.tradeCount());
        if (vw) w.number("vw", b.vwap());
        w.time("t", b.eventTimeNs());
        w.endObject();
    }

    // {"T":"s","S":"GME","sc":"2","sm":"Trading Halt","rc":"M","rm":"...","t":"...","z":"A"}
    private void status(TradingStatus s) {
        w.beginObject(7 + opt(s.tape()));
        w.string("T", "s");
        w.string("S", s.symbol());
        w.string("sc", text(s.statusCode()));
        w.string("sm", text(s.statusMessage()));
        w.string("rc", text(s.reasonCode()));
        w.string("rm", text(s.reasonMessage()));
        w.time("t", s.eventTimeNs());
        if (s.tape() != Absent.CHAR) w.letter("z", s.tape());
        w.endObject();
    }

    // {"T":"l","S":"IONM","u":3.24,"d":2.65,"i":"B","t":"...","z":"C"}
    private void luld(LuldBand l) {
        Conditions ind = l.indicators();
        if (ind.size() > 1) throw new IllegalArgumentException("Alpaca LULD carries one indicator, got " + ind.size());
        int i = ind.isEmpty() ? 0 : letter(ind.get(0));
        w.beginObject(5 + opt(i) + opt(l.tape()));
        w.string("T", "l");
        w.string("S", l.symbol());
        w.number("u", l.limitUp());
        w.number("d", l.limitDown());
        if (i != 0) w.letter("i", (char) i);
        w.time("t", l.eventTimeNs());
        if (l.tape() != Absent.CHAR) w.letter("z", l.tape());
        w.endObject();
    }

    // {"T":"c","S":"EEM","x":"M","oi":..,"op":..,"os":..,"oc":[..],"ci":..,"cp":..,"cs":..,"cc":[..],"z":"B","t":".."}
    private void correction(TradeCorrection c) {
        long oi = parseId(c.originalId(), "original id");
        long ci = parseId(c.correctedId(), "corrected id");
        int x = exchange(c.exchange());
        w.beginObject(11 + opt(x) + opt(c.tape()));
        w.string("T", "c");
        w.string("S", c.symbol());
        if (x != 0) w.letter("x", (char) x);
        w.integer("oi", oi);
        w.number("op", c.originalPrice());
        w.integer("os", c.originalSize());
        letters("oc", c.originalConditions());
        w.integer("ci", ci);
        w.number("cp", c.correctedPrice());
        w.integer("cs", c.correctedSize());
        letters("cc", c.correctedConditions());
        if (c.tape() != Absent.CHAR) w.letter("z", c.tape());
        w.time("t", c.eventTimeNs());
        w.endObject();
    }

    // {"T":"x","S":"GOOGL","i":465,"x":"D","p":105.31,"s":300,"a":"C","z":"C","t":"..."}
    private void cancel(TradeCancel x) {
        long id = parseId(x.tradeId(), "trade id");
        int ex = exchange(x.exchange());
        if (x.action() == Absent.CHAR) throw new IllegalArgumentException("cancel action is absent");
        w.beginObject(7 + opt(ex) + opt(x.tape()));
        w.string("T", "x");
        w.string("S", x.symbol());
        w.integer("i", id);
        if (ex != 0) w.letter("x", (char) ex);
        w.number("p", x.price());
        w.integer("s", x.size());
        w.letter("a", x.action());
        if (x.tape() != Absent.CHAR) w.letter("z", x.tape());
        w.time("t", x.eventTimeNs());
        w.endObject();
    }

    // {"T":"i","S":"INAQU","p":9.12,"z":"C","t":"..."}
    private void imbalance(Imbalance i) {
        w.beginObject(4 + opt(i.tape()));
        w.string("T", "i");
        w.string("S", i.symbol());
        w.number("p", i.price());
        if (i.tape() != Absent.CHAR) w.letter("z", i.tape());
        w.time("t", i.eventTimeNs());
        w.endObject();
    }

    // ---- helpers ----

    private void letters(String key, Conditions codes) {
        for (int k = 0; k < codes.size(); k++) letter(codes.get(k));
        w.letters(key, codes);
    }

    /** 1 when an optional letter code is present. */
    private static int opt(int code) {
        return code == 0 ? 0 : 1;
    }

    /** An exchange code as a char value, 0 when absent. */
    private static int exchange(int code) {
        return code == Absent.INT ? 0 : letter(code);
    }

    private static int letter(int code) {
        if (code <= 0 || code > Character.MAX_VALUE) {
            throw new IllegalArgumentException("code " + code + " is not an Alpaca letter");
        }
        return code;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** Parses a decimal trade id without allocating. */
    public static long parseId(String s, String what) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException(what + " is absent");
        boolean negative = s.charAt(0) == '-';
        int start = negative ? 1 : 0;
        if (start == s.length()) throw new IllegalArgumentException(what + " is not an integer");
        long v = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException(what + " is not an integer");
            // accumulate negatively so that Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + (c - '0')) / 10) throw new IllegalArgumentException(what + " overflows a long");
            v = v * 10 - (c - '0');
        }
        if (!negative && v == Long.MIN_VALUE) throw new IllegalArgumentException(what + " overflows a long");
        return negative ? v : -v;
    }
}
