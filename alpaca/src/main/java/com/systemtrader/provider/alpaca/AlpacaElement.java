package com.systemtrader.provider.alpaca;

import static com.systemtrader.provider.alpaca.AlpacaField.*;

import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one frame element as read so far, in reused slots, and the record built from them at the end of
 * the element. Both decoders feed it through the {@code on*} callbacks in whatever order the keys arrive; nothing
 * is interpreted until {@link #deliver}, because {@code T} may come last. A value of the wrong kind only marks its
 * field bad: that is an error when the element's type uses the field, and ignored otherwise (unknown types).
 * JSON/msgpack {@code null} values count as absent. A NaN or infinite number in a price field is an error ("is out
 * of range"): NaN is the absent marker of optional prices, and JSON can only produce them by overflow. An empty
 * symbol is an error. Finite but implausible values are passed on for the cleaner to judge. Not thread-safe.
 */
final class AlpacaElement {
    private static final int NONE = 0, TRADE = 1, QUOTE = 2, BAR = 3, UPDATED_BAR = 4, DAILY_BAR = 5, STATUS = 6,
            LULD = 7, CORRECTION = 8, CANCEL = 9, IMBALANCE = 10, SUCCESS = 11, ERROR = 12, SUBSCRIPTION = 13,
            UNKNOWN = 14;
    /** The number of type ids ({@link #type()} is one of 0 .. TYPES-1; 0 until {@code T} was read). */
    static final int TYPES = 15;
    private static final Conditions[] SINGLE_LETTER = new Conditions[128];

    static {
        for (int c = 0; c < SINGLE_LETTER.length; c++) SINGLE_LETTER[c] = Conditions.of(c);
    }

    private final SymbolTable symbols;
    private final SymbolTable texts = new SymbolTable(1024);
    private final DataSource source;

    private long present;
    private long bad;
    /** Fields whose number is NaN or infinite (also in {@link #bad}). */
    private long nonFinite;
    private int type;
    private String unknownType;
    private final long[] longs = new long[COUNT];
    private final double[] doubles = new double[COUNT];
    private final String[] strings = new String[COUNT];
    private final int[][] letters = new int[COUNT][];
    private final int[] letterCount = new int[COUNT];
    private Map<AlpacaChannel, List<String>> channels;

    AlpacaElement(SymbolTable symbols, DataSource source) {
        this.symbols = symbols;
        this.source = source;
        letters[C] = new int[8];
        letters[OC] = new int[8];
        letters[CC] = new int[8];
    }

    /** The element's type as read so far (0 before {@code T}); an index for per-type key order. */
    int type() { return type; }

    void reset() {
        present = 0;
        bad = 0;
        nonFinite = 0;
        type = NONE;
        unknownType = null;
        if (channels != null) channels.clear();
    }

    // ---- callbacks from the readers ----

    void onString(int f, char[] b, int off, int len) {
        switch (kind(f)) {
            case TYPE -> setType(b, off, len);
            case SYMBOL -> set(f, symbols.intern(b, off, len));
            case LETTER -> letter(f, b, off, len);
            case TEXT -> set(f, texts.intern(b, off, len));
            case INSTANT -> {
                try {
                    setLong(f, Timestamps.parseRfc3339(b, off, len));
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    markBad(f);
                }
            }
            case INTEGER -> {
                if (f == I) letter(I_STR, b, off, len);
                else markBad(f);
            }
            default -> markBad(f);
        }
    }

    void onLong(int f, long v) {
        switch (kind(f)) {
            case INTEGER -> setLong(f, v);
            case PRICE -> setDouble(f, v);
            case LETTERS -> {
                if (f == C) setDouble(C_NUM, v);
                else markBad(f);
            }
            default -> markBad(f);
        }
    }

    void onDouble(int f, double v) {
        int slot = kind(f) == PRICE ? f : f == C ? C_NUM : -1;
        if (slot < 0) {
            markBad(f);
        } else if (Double.isFinite(v)) {
            setDouble(slot, v);
        } else {
            // JSON has no NaN/Infinity (1e400 overflows to it); msgpack floats can carry them. NaN is the absent
            // marker of optional prices, so a non-finite number is rejected here rather than passed on.
            markBad(slot);
            nonFinite |= 1L << slot;
        }
    }

    /** A timestamp that arrived as a msgpack timestamp extension. */
    void onInstant(int f, long epochNanos) {
        if (kind(f) == INSTANT) setLong(f, epochNanos);
        else markBad(f);
    }

    /** Starts an array value; false when the field does not take an array of strings (the reader then skips it). */
    boolean beginArray(int f) {
        byte k = kind(f);
        if (k == LETTERS) {
            letterCount[f] = 0;
        } else if (k == CHANNEL) {
            if (channels == null) channels = new EnumMap<>(AlpacaChannel.class);
            channels.put(AlpacaField.channel(f), new ArrayList<>());
        } else {
            markBad(f);
            return false;
        }
        present |= 1L << f;
        bad &= ~(1L << f);
        return true;
    }

    void onArrayString(int f, char[] b, int off, int len) {
        if (kind(f) == CHANNEL) {
            channels.get(AlpacaField.channel(f)).add(symbols.intern(b, off, len));
        } else if (len != 1) {
            markBad(f);
        } else {
            int[] a = letters[f];
            int n = letterCount[f];
            if (n == a.length) letters[f] = a = Arrays.copyOf(a, n * 2);
            a[n] = b[off];
            letterCount[f] = n + 1;
        }
    }

    void markBad(int f) {
        bad |= 1L << f;
        present &= ~(1L << f);
        nonFinite &= ~(1L << f);
    }

    // ---- building ----

    /**
     * Hands the element to {@code handler}.
     *
     * @param index the element's position in the frame (= elements delivered before it)
     * @throws MalformedFrameException when a field the type needs is missing or has the wrong kind
     */
    void deliver(int index, long rx, FrameHandler handler) throws MalformedFrameException {
        switch (type) {
            case TRADE -> handler.onEvent(new Trade(source, symbol(index), time(index), rx, price(P, index),
                    integer(SIZE, index), exchange(X, index), id(I, index), letterOpt(Z, index), Absent.LONG,
                    Absent.INT, Absent.LONG, conditions(C, index)));
            case QUOTE -> handler.onEvent(new Quote(source, symbol(index), time(index), rx, exchange(BX, index),
                    price(BP, index), integer(BS, index), exchange(AX, index), price(AP, index), integer(AS, index),
                    conditions(C, index), Conditions.NONE, letterOpt(Z, index), Absent.LONG));
            case BAR -> handler.onEvent(bar(BarInterval.MINUTE, index, rx));
            case UPDATED_BAR -> handler.onEvent(bar(BarInterval.UPDATED_MINUTE, index, rx));
            case DAILY_BAR -> handler.onEvent(bar(BarInterval.DAILY, index, rx));
            case STATUS -> handler.onEvent(new TradingStatus(source, symbol(index), time(index), rx,
                    text(SC, true, index), text(SM, false, index), text(RC, false, index), text(RM, false, index),
                    letterOpt(Z, index)));
            case LULD -> handler.onEvent(new LuldBand(source, symbol(index), time(index), rx, price(U, index),
                    price(D, index), indicator(index), letterOpt(Z, index), Absent.LONG));
            case CORRECTION -> handler.onEvent(new TradeCorrection(source, symbol(index), time(index), rx,
                    exchange(X, index), id(OI, index), price(OP, index), integer(OS, index), conditions(OC, index),
                    id(CI, index), price(CP, index), integer(CS, index), conditions(CC, index),
                    letterOpt(Z, index)));
            case CANCEL -> handler.onEvent(new TradeCancel(source, symbol(index), time(index), rx,
                    exchange(X, index), id(I, index), price(P, index), integer(SIZE, index), letter(A, index),
                    letterOpt(Z, index)));
            case IMBALANCE -> handler.onEvent(new Imbalance(source, symbol(index), time(index), rx, price(P, index),
                    Absent.LONG, Absent.LONG, Absent.INT, Absent.CHAR, Absent.INT, letterOpt(Z, index)));
            case SUCCESS -> handler.onControl(AlpacaSuccess.of(text(MSG, true, index)));
            case ERROR -> handler.onControl(error(index));
            case SUBSCRIPTION -> handler.onControl(subscription(index));
            case UNKNOWN -> handler.onUnknown(unknownType);
            default -> throw isBad(T) ? wrongType(T, index) : fault(index, "missing field 'T'");
        }
    }

    private Bar bar(BarInterval interval, int index, long rx) throws MalformedFrameException {
        long start = time(index);
        long n = optional(N, index) ? longs[N] : Absent.LONG;
        double vw = optional(VW, index) ? doubles[VW] : Double.NaN;
        return new Bar(source, symbol(index), interval, start, start + interval.nanos(), rx, price(O, index),
                price(H, index), price(L, index), price(C_NUM, index), integer(V, index), vw, n, Absent.LONG,
                Double.NaN, Double.NaN, Absent.LONG, false);
    }

    private AlpacaError error(int index) throws MalformedFrameException {
        long code = integer(CODE, index);
        if (code < Integer.MIN_VALUE || code > Integer.MAX_VALUE) throw wrongType(CODE, index);
        return AlpacaError.of((int) code, text(MSG, false, index));
    }

    private AlpacaSubscription subscription(int index) throws MalformedFrameException {
        for (int f = CHANNEL0; f < CHANNEL0 + AlpacaChannel.values().length; f++) {
            if (isBad(f)) throw wrongType(f, index);
        }
        return channels == null ? AlpacaSubscription.EMPTY : AlpacaSubscription.of(channels);
    }

    // ---- field access with validation ----

    private String symbol(int index) throws MalformedFrameException {
        need(S, index);
        if (strings[S].isEmpty()) throw fault(index, "field 'S' is empty");
        return strings[S];
    }

    private long time(int index) throws MalformedFrameException {
        if (isBad(TIME)) throw fault(index, "field 't' is not an RFC 3339 timestamp");
        need(TIME, index);
        return longs[TIME];
    }

    private double price(int f, int index) throws MalformedFrameException {
        if (f == C_NUM && !has(C_NUM) && (has(C) || isBad(C))) throw wrongType(C, index);
        need(f, index);
        return doubles[f];
    }

    private long integer(int f, int index) throws MalformedFrameException {
        need(f, index);
        return longs[f];
    }

    /** A required integer id as its decimal string (exact for any long). */
    private String id(int f, int index) throws MalformedFrameException {
        if (f == I && !has(I) && (has(I_STR) || isBad(I_STR))) throw wrongType(I, index);
        return Long.toString(integer(f, index));
    }

    private char letter(int f, int index) throws MalformedFrameException {
        need(f, index);
        char c = (char) longs[f];
        if (c == Absent.CHAR) throw fault(index, "field '" + name(f) + "' is empty");
        return c;
    }

    private char letterOpt(int f, int index) throws MalformedFrameException {
        if (isBad(f)) throw wrongType(f, index);
        return has(f) ? (char) longs[f] : Absent.CHAR;
    }

    private int exchange(int f, int index) throws MalformedFrameException {
        char c = letterOpt(f, index);
        return c == Absent.CHAR ? Absent.INT : c;
    }

    private String text(int f, boolean required, int index) throws MalformedFrameException {
        if (required) need(f, index);
        if (isBad(f)) throw wrongType(f, index);
        return has(f) ? strings[f] : (f == MSG ? null : "");
    }

    private Conditions conditions(int f, int index) throws MalformedFrameException {
        if (isBad(f) || (f == C && (has(C_NUM) || isBad(C_NUM)))) throw wrongType(f, index);
        if (!has(f)) return Conditions.NONE;
        int n = letterCount[f];
        if (n == 1 && letters[f][0] < SINGLE_LETTER.length) return SINGLE_LETTER[letters[f][0]];
        return Conditions.of(letters[f], 0, n);
    }

    private Conditions indicator(int index) throws MalformedFrameException {
        if (isBad(I_STR) || isBad(I) || has(I)) throw wrongType(I_STR, index);
        if (!has(I_STR)) return Conditions.NONE;
        char c = (char) longs[I_STR];
        if (c == Absent.CHAR) return Conditions.NONE;
        return c < SINGLE_LETTER.length ? SINGLE_LETTER[c] : Conditions.of(c);
    }

    /** True when the optional field is present; throws when it has the wrong kind. */
    private boolean optional(int f, int index) throws MalformedFrameException {
        if (isBad(f)) throw wrongType(f, index);
        return has(f);
    }

    private void need(int f, int index) throws MalformedFrameException {
        if (isBad(f)) throw wrongType(f, index);
        if (!has(f)) throw fault(index, "missing field '" + name(f) + "'");
    }

    private MalformedFrameException wrongType(int f, int index) {
        if ((nonFinite & (1L << f)) != 0) return fault(index, "field '" + name(f) + "' is out of range");
        return fault(index, "field '" + name(f) + "' has the wrong type");
    }

    private MalformedFrameException fault(int index, String what) {
        String t = type > NONE && type < UNKNOWN ? " (T=" + typeName() + ")" : "";
        return new MalformedFrameException("element " + index + t + ": " + what, index, null);
    }

    private String typeName() {
        return switch (type) {
            case TRADE -> "t";
            case QUOTE -> "q";
            case BAR -> "b";
            case UPDATED_BAR -> "u";
            case DAILY_BAR -> "d";
            case STATUS -> "s";
            case LULD -> "l";
            case CORRECTION -> "c";
            case CANCEL -> "x";
            case IMBALANCE -> "i";
            case SUCCESS -> "success";
            case ERROR -> "error";
            default -> "subscription";
        };
    }

    // ---- slots ----

    private boolean has(int f) { return (present & (1L << f)) != 0; }

    private boolean isBad(int f) { return (bad & (1L << f)) != 0; }

    private void setLong(int f, long v) {
        longs[f] = v;
        present |= 1L << f;
        bad &= ~(1L << f);
        nonFinite &= ~(1L << f);
    }

    private void setDouble(int f, double v) {
        doubles[f] = v;
        present |= 1L << f;
        bad &= ~(1L << f);
        nonFinite &= ~(1L << f);
    }

    private void set(int f, String s) {
        strings[f] = s;
        present |= 1L << f;
        bad &= ~(1L << f);
        nonFinite &= ~(1L << f);
    }

    /** One letter; the empty string stores {@link Absent#CHAR}; longer strings are bad. */
    private void letter(int f, char[] b, int off, int len) {
        if (len > 1) markBad(f);
        else setLong(f, len == 0 ? Absent.CHAR : b[off]);
    }

    private void setType(char[] b, int off, int len) {
        present |= 1L << T;
        bad &= ~(1L << T);
        unknownType = null;
        type = len == 1 ? switch (b[off]) {
            case 't' -> TRADE;
            case 'q' -> QUOTE;
            case 'b' -> BAR;
            case 'u' -> UPDATED_BAR;
            case 'd' -> DAILY_BAR;
            case 's' -> STATUS;
            case 'l' -> LULD;
            case 'c' -> CORRECTION;
            case 'x' -> CANCEL;
            case 'i' -> IMBALANCE;
            default -> UNKNOWN;
        } : is("success", b, off, len) ? SUCCESS : is("error", b, off, len) ? ERROR
                : is("subscription", b, off, len) ? SUBSCRIPTION : UNKNOWN;
        if (type == UNKNOWN) unknownType = texts.intern(b, off, len);
    }

    private static boolean is(String s, char[] b, int off, int len) {
        if (s.length() != len) return false;
        for (int k = 0; k < len; k++) if (s.charAt(k) != b[off + k]) return false;
        return true;
    }
}
