package com.systemtrader.provider.polygon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.systemtrader.codec.Decimals;
import com.systemtrader.codec.FieldOrder;
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
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes Polygon stocks WebSocket frames (protocols.md §1.2, §1.5) into normalized events, streaming over the
 * bytes with Jackson. One instance per connection; not thread-safe; reused for every frame.
 *
 * <p>A frame is a JSON array of objects (a single object is accepted too). Each object is read into reused
 * scratch slots whatever the field order, and its record is built at the closing brace. Events: {@code T} to
 * {@link Trade}, {@code Q} to {@link Quote}, {@code A}/{@code AM} to {@link Bar} (SECOND/MINUTE), {@code LULD} to
 * {@link LuldBand}, {@code NOI} to {@link Imbalance}, {@code status} to {@link PolygonStatus} via
 * {@link FrameHandler#onControl}. Another {@code ev} is skipped and reported through {@link FrameHandler#onUnknown};
 * unknown fields are skipped.
 *
 * <p>Units: T/Q {@code t}, {@code trft} and A/AM {@code s}, {@code e} are milliseconds; LULD and NOI {@code t} are
 * detected by magnitude. Tape {@code z} 1/2/3 becomes 'A'/'B'/'C'; any other value becomes {@link Absent#CHAR}.
 * Missing optional fields become {@link Absent}, NaN, {@link Conditions#NONE} or a null trade id; a bar without
 * {@code e} ends one interval after {@code s}. Condition and indicator fields accept an integer or an array of
 * integers. Integer fields accept a float with an integral value. JSON {@code null} counts as missing.
 *
 * <p>Numbers: an integer that does not fit a long, or a float where an integer belongs that is not integral or not
 * below 2^63, is an error, never a wrapped value; a number that overflows a double ({@code 1e400}) is an error too
 * ("is out of range"), because NaN stands for a missing optional price. Finite but implausible values (zero or
 * negative prices and sizes, far-off times within the epoch-nanosecond range) are passed on: judging them is the
 * data cleaner's job, with named rules and counters.
 *
 * <p>Hot path: each key is predicted from the key before it in the same event type ({@link FieldOrder}) and matched
 * by Jackson byte for byte, so known keys skip the symbol-table lookup and the name-to-slot mapping; a miss (a new
 * order, an optional field) falls back to the lookup and teaches the new successor. Integers of up to 18
 * characters and plain decimals are parsed from the parser's character buffer ({@link Decimals}) without asking
 * Jackson for the number type. Symbols are interned from the character buffer, condition lists are read into
 * reused arrays and single-code lists below 1024 are shared. What a frame allocates is its records, each trade's
 * id string, multi-code condition lists, and Jackson's parser (about 0.4 KB per frame).
 */
public final class PolygonDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    // ---- field slots ----
    private static final int F_EV = 0, F_SYM = 1, F_TICKER = 2, F_X = 3, F_I = 4, F_Z = 5, F_P = 6, F_S = 7,
            F_C = 8, F_T = 9, F_Q = 10, F_TRFI = 11, F_TRFT = 12, F_BX = 13, F_BP = 14, F_BS = 15, F_AX = 16,
            F_AP = 17, F_AS = 18, F_V = 19, F_AV = 20, F_OP = 21, F_VW = 22, F_O = 23, F_H = 24, F_L = 25, F_A = 26,
            F_E = 27, F_OTC = 28, F_AT = 29, F_B = 30, F_STATUS = 31, F_MESSAGE = 32, FIELDS = 33;
    private static final String[] NAMES = {"ev", "sym", "T", "x", "i", "z", "p", "s", "c", "t", "q", "trfi", "trft",
            "bx", "bp", "bs", "ax", "ap", "as", "v", "av", "op", "vw", "o", "h", "l", "a", "e", "otc", "at", "b",
            "status", "message"};

    // ---- what a slot holds ----
    private static final byte ABSENT = 0, INT = 1, FLOAT = 2, STRING = 3, INT_ARRAY = 4, BOOL = 5, OTHER = 6;

    // ---- event types ----
    private static final int EV_NONE = 0, EV_T = 1, EV_Q = 2, EV_A = 3, EV_AM = 4, EV_LULD = 5, EV_NOI = 6,
            EV_STATUS = 7, EV_UNKNOWN = 8;
    private static final String[] EV_NAMES = {"?", "T", "Q", "A", "AM", "LULD", "NOI", "status", "?"};

    private static final int SHARED_SINGLE_CODES = 1024;

    private final SymbolTable symbols;
    private final FieldOrder order = new FieldOrder(NAMES, EV_NAMES.length, F_EV);
    private final SymbolTable unknownTypes = new SymbolTable(64);
    private final Conditions[] singleCodes = new Conditions[SHARED_SINGLE_CODES];

    private final byte[] kind = new byte[FIELDS];
    private final long[] longs = new long[FIELDS];
    private final double[] doubles = new double[FIELDS];
    private int[] conditions = new int[16];
    private int conditionCount;
    private int[] indicators = new int[16];
    private int indicatorCount;
    private int ev;
    private String unknownEv;
    private String sym;
    private String ticker;
    private String tradeId;
    private char auctionType;
    private String statusText;
    private String messageText;

    private int delivered;

    public PolygonDecoder() {
        this(new SymbolTable());
    }

    /** @param symbols the symbol table to intern tickers into (one per decoder thread) */
    public PolygonDecoder(SymbolTable symbols) {
        this.symbols = symbols;
    }

    /**
     * Decodes one frame and hands each element to {@code handler}, in frame order.
     *
     * @param receiveTimeNs when the frame arrived, epoch ns; copied into every event
     * @return how many elements were delivered (events, control messages and unknown elements)
     * @throws MalformedFrameException when the frame is not valid JSON, is truncated, or an element lacks a
     *                                 required field or has one of the wrong type; the elements before it
     *                                 were delivered and are counted by {@link MalformedFrameException#eventsBefore()}
     */
    public int decode(byte[] buf, int off, int len, long receiveTimeNs, FrameHandler handler)
            throws MalformedFrameException {
        delivered = 0;
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                element(p, receiveTimeNs, handler);
            } else if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) throw frameFault("element " + delivered + " is not a JSON object");
                    element(p, receiveTimeNs, handler);
                }
            } else {
                throw frameFault(t == null ? "frame is empty" : "frame is not a JSON array or object");
            }
            if (p.nextToken() != null) throw frameFault("unexpected data after the frame's top-level value");
            return delivered;
        } catch (JsonEOFException e) {
            throw frameFault("frame is truncated after " + delivered + " complete elements");
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw frameFault("invalid JSON near byte " + at + " (element " + delivered + ")");
        } catch (IOException e) {
            throw frameFault("frame could not be read: " + e.getClass().getSimpleName());
        }
    }

    // ---- reading ----

    /** Reads the object whose START_OBJECT is the current token, then reports its bytes and delivers it. */
    private void element(JsonParser p, long receiveTimeNs, FrameHandler handler)
            throws IOException, MalformedFrameException {
        int start = tokenOffset(p);
        clear();
        int prev = FieldOrder.START;
        while (true) {
            int f = order.predict(ev, prev);
            if (!p.nextFieldName(order.key(f))) {
                if (p.currentToken() != JsonToken.FIELD_NAME) break; // END_OBJECT
                f = fieldId(p.currentName());
                if (f >= 0) order.learn(ev, prev, f);
            }
            JsonToken v = p.nextToken();
            if (f < 0 || ev == EV_UNKNOWN) {
                p.skipChildren();
            } else {
                read(f, v, p);
                prev = f;
            }
        }
        int length = tokenOffset(p) + 1 - start;   // the current token is the element's END_OBJECT
        handler.onElement(delivered, start, length);
        try {
            deliver(receiveTimeNs, handler);
        } catch (MalformedFrameException e) {
            throw e.inElement(start, length);
        }
        delivered++;
    }

    /**
     * Byte offset from the frame's first byte of the current token, a START_OBJECT or END_OBJECT, without allocating
     * a location: the byte parser's {@code currentTokenLocation()} reports {@code getTokenCharacterOffset() - 1} for
     * such tokens (QuarantineElementTest pins the boundaries).
     */
    private static int tokenOffset(JsonParser p) {
        return (int) (p instanceof UTF8StreamJsonParser b ? b.getTokenCharacterOffset() - 1
                : p.currentTokenLocation().getByteOffset());
    }

    private void clear() {
        Arrays.fill(kind, ABSENT);
        ev = EV_NONE;
        unknownEv = null;
        sym = null;
        ticker = null;
        tradeId = null;
        statusText = null;
        messageText = null;
    }

    private static int fieldId(String name) {
        return switch (name) {
            case "ev" -> F_EV;
            case "sym" -> F_SYM;
            case "T" -> F_TICKER;
            case "x" -> F_X;
            case "i" -> F_I;
            case "z" -> F_Z;
            case "p" -> F_P;
            case "s" -> F_S;
            case "c" -> F_C;
            case "t" -> F_T;
            case "q" -> F_Q;
            case "trfi" -> F_TRFI;
            case "trft" -> F_TRFT;
            case "bx" -> F_BX;
            case "bp" -> F_BP;
            case "bs" -> F_BS;
            case "ax" -> F_AX;
            case "ap" -> F_AP;
            case "as" -> F_AS;
            case "v" -> F_V;
            case "av" -> F_AV;
            case "op" -> F_OP;
            case "vw" -> F_VW;
            case "o" -> F_O;
            case "h" -> F_H;
            case "l" -> F_L;
            case "a" -> F_A;
            case "e" -> F_E;
            case "otc" -> F_OTC;
            case "at" -> F_AT;
            case "b" -> F_B;
            case "status" -> F_STATUS;
            case "message" -> F_MESSAGE;
            default -> -1;
        };
    }

    private void read(int f, JsonToken v, JsonParser p) throws IOException {
        switch (v) {
            case VALUE_NUMBER_INT -> {
                int n = p.getTextLength();
                if (n <= Decimals.SAFE_LONG_CHARS) {
                    longs[f] = Decimals.parseLong(p.getTextCharacters(), p.getTextOffset(), n);
                } else if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    kind[f] = OTHER; // does not fit a long: never wrapped
                    return;
                } else {
                    longs[f] = p.getLongValue();
                }
                doubles[f] = longs[f];
                kind[f] = INT;
            }
            case VALUE_NUMBER_FLOAT -> {
                double d = Decimals.parseDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                doubles[f] = d == d ? d : p.getDoubleValue(); // NaN: not the plain shape, let Jackson convert
                kind[f] = FLOAT;
            }
            case VALUE_STRING -> {
                kind[f] = STRING;
                readString(f, p);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                longs[f] = v == JsonToken.VALUE_TRUE ? 1 : 0;
                kind[f] = BOOL;
            }
            case VALUE_NULL -> kind[f] = ABSENT;
            case START_ARRAY -> kind[f] = f == F_C || f == F_I ? readInts(f, p) : skip(p);
            default -> kind[f] = skip(p);
        }
    }

    private void readString(int f, JsonParser p) throws IOException {
        switch (f) {
            case F_EV -> {
                ev = eventType(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (ev == EV_UNKNOWN) unknownEv = unknownTypes.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
            case F_SYM -> sym = symbols.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case F_TICKER -> ticker = symbols.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case F_I -> tradeId = p.getText();
            case F_A -> auctionType = p.getTextLength() == 0 ? Absent.CHAR : p.getTextCharacters()[p.getTextOffset()];
            case F_STATUS -> statusText = p.getText();
            case F_MESSAGE -> messageText = p.getText();
            default -> { } // a string where a number belongs: reported if the event needs the field
        }
    }

    /** Reads an array of ints into the scratch for {@code c} or {@code i}; anything else makes it OTHER. */
    private byte readInts(int f, JsonParser p) throws IOException {
        int[] a = f == F_C ? conditions : indicators;
        int n = 0;
        boolean ok = true;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            long code = ok && t == JsonToken.VALUE_NUMBER_INT && p.getTextLength() <= Decimals.SAFE_LONG_CHARS
                    ? Decimals.parseLong(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()) : Long.MIN_VALUE;
            if (code >= Integer.MIN_VALUE && code <= Integer.MAX_VALUE) {
                if (n == a.length) a = Arrays.copyOf(a, n * 2);
                a[n++] = (int) code;
            } else {
                ok = false;
                p.skipChildren();
            }
        }
        if (f == F_C) {
            conditions = a;
            conditionCount = n;
        } else {
            indicators = a;
            indicatorCount = n;
        }
        return ok ? INT_ARRAY : OTHER;
    }

    private static byte skip(JsonParser p) throws IOException {
        p.skipChildren();
        return OTHER;
    }

    private static int eventType(char[] c, int off, int len) {
        return switch (len) {
            case 1 -> c[off] == 'T' ? EV_T : c[off] == 'Q' ? EV_Q : c[off] == 'A' ? EV_A : EV_UNKNOWN;
            case 2 -> is(c, off, len, "AM") ? EV_AM : EV_UNKNOWN;
            case 3 -> is(c, off, len, "NOI") ? EV_NOI : EV_UNKNOWN;
            case 4 -> is(c, off, len, "LULD") ? EV_LULD : EV_UNKNOWN;
            case 6 -> is(c, off, len, "status") ? EV_STATUS : EV_UNKNOWN;
            default -> EV_UNKNOWN;
        };
    }

    private static boolean is(char[] c, int off, int len, String s) {
        for (int i = 0; i < len; i++) if (c[off + i] != s.charAt(i)) return false;
        return true;
    }

    // ---- building ----

    private void deliver(long rx, FrameHandler handler) throws MalformedFrameException {
        switch (ev) {
            case EV_T -> handler.onEvent(trade(rx));
            case EV_Q -> handler.onEvent(quote(rx));
            case EV_A -> handler.onEvent(bar(BarInterval.SECOND, rx));
            case EV_AM -> handler.onEvent(bar(BarInterval.MINUTE, rx));
            case EV_LULD -> handler.onEvent(luld(rx));
            case EV_NOI -> handler.onEvent(imbalance(rx));
            case EV_STATUS -> handler.onControl(new PolygonStatus(string(F_STATUS, statusText, true),
                    string(F_MESSAGE, messageText, false)));
            case EV_UNKNOWN -> handler.onUnknown(unknownEv);
            default -> throw elementFault(kind[F_EV] == ABSENT ? "has no 'ev'" : "field 'ev' must be a string");
        }
    }

    private Trade trade(long rx) throws MalformedFrameException {
        String symbol = symbol(F_SYM, sym);
        double price = requiredDouble(F_P);
        long size = requiredLong(F_S);
        long time = millisToNanos(F_T, requiredLong(F_T));
        long trft = kind[F_TRFT] == ABSENT ? Absent.LONG : millisToNanos(F_TRFT, requiredLong(F_TRFT));
        return new Trade(DataSource.POLYGON, symbol, time, rx, price, size, optionalInt(F_X), tradeId(), tape(),
                optionalLong(F_Q), optionalInt(F_TRFI), trft, codes(F_C));
    }

    private Quote quote(long rx) throws MalformedFrameException {
        String symbol = symbol(F_SYM, sym);
        long time = millisToNanos(F_T, requiredLong(F_T));
        return new Quote(DataSource.POLYGON, symbol, time, rx, optionalInt(F_BX), optionalDouble(F_BP),
                optionalLong(F_BS), optionalInt(F_AX), optionalDouble(F_AP), optionalLong(F_AS), codes(F_C),
                codes(F_I), tape(), optionalLong(F_Q));
    }

    private Bar bar(BarInterval interval, long rx) throws MalformedFrameException {
        String symbol = symbol(F_SYM, sym);
        long start = millisToNanos(F_S, requiredLong(F_S));
        long end = kind[F_E] == ABSENT ? start + interval.nanos() : millisToNanos(F_E, requiredLong(F_E));
        boolean otc = flag(F_OTC);
        return new Bar(DataSource.POLYGON, symbol, interval, start, end, rx, requiredDouble(F_O),
                requiredDouble(F_H), requiredDouble(F_L), requiredDouble(F_C), requiredLong(F_V),
                optionalDouble(F_VW), Absent.LONG, optionalLong(F_AV), optionalDouble(F_OP), optionalDouble(F_A),
                optionalLong(F_Z), otc);
    }

    private LuldBand luld(long rx) throws MalformedFrameException {
        String symbol = symbol(F_TICKER, ticker);
        long time = anyUnitToNanos(F_T, requiredLong(F_T));
        return new LuldBand(DataSource.POLYGON, symbol, time, rx, requiredDouble(F_H), requiredDouble(F_L),
                codes(F_I), tape(), optionalLong(F_Q));
    }

    private Imbalance imbalance(long rx) throws MalformedFrameException {
        String symbol = symbol(F_TICKER, ticker);
        long time = anyUnitToNanos(F_T, requiredLong(F_T));
        char type = switch (kind[F_A]) {
            case ABSENT -> Absent.CHAR;
            case STRING -> auctionType;
            default -> throw fieldFault(F_A, "must be a string");
        };
        return new Imbalance(DataSource.POLYGON, symbol, time, rx, optionalDouble(F_B), optionalLong(F_O),
                optionalLong(F_P), optionalInt(F_AT), type, optionalInt(F_X), tape());
    }

    // ---- field access with validation ----

    private String symbol(int f, String value) throws MalformedFrameException {
        if (kind[f] == ABSENT) throw fieldFault(f, "is missing");
        if (kind[f] != STRING) throw fieldFault(f, "must be a string");
        if (value.isEmpty()) throw fieldFault(f, "is empty");
        return value;
    }

    private String string(int f, String value, boolean required) throws MalformedFrameException {
        if (kind[f] == ABSENT) {
            if (required) throw fieldFault(f, "is missing");
            return "";
        }
        if (kind[f] != STRING) throw fieldFault(f, "must be a string");
        return value;
    }

    /** A timestamp whose unit is told by its magnitude (LULD, NOI). */
    private long anyUnitToNanos(int f, long value) throws MalformedFrameException {
        try {
            return Timestamps.toNanosByMagnitude(value);
        } catch (IllegalArgumentException e) {
            throw fieldFault(f, "is not a timestamp in s, ms, us or ns");
        }
    }

    private long requiredLong(int f) throws MalformedFrameException {
        if (kind[f] == ABSENT) throw fieldFault(f, "is missing");
        return integer(f);
    }

    private long optionalLong(int f) throws MalformedFrameException {
        return kind[f] == ABSENT ? Absent.LONG : integer(f);
    }

    private int optionalInt(int f) throws MalformedFrameException {
        if (kind[f] == ABSENT) return Absent.INT;
        long v = integer(f);
        // Integer.MIN_VALUE itself is Absent.INT, so it cannot be carried either
        if (v <= Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw fieldFault(f, "is out of range");
        return (int) v;
    }

    private long integer(int f) throws MalformedFrameException {
        if (kind[f] == INT) return longs[f];
        double d = doubles[f];
        if (kind[f] == FLOAT && d == Math.rint(d) && Math.abs(d) < 0x1p63) return (long) d;
        throw fieldFault(f, "must be an integer");
    }

    private double requiredDouble(int f) throws MalformedFrameException {
        if (kind[f] == ABSENT) throw fieldFault(f, "is missing");
        return number(f);
    }

    private double optionalDouble(int f) throws MalformedFrameException {
        return kind[f] == ABSENT ? Double.NaN : number(f);
    }

    private double number(int f) throws MalformedFrameException {
        if (kind[f] != INT && kind[f] != FLOAT) throw fieldFault(f, "must be a number");
        if (!Double.isFinite(doubles[f])) throw fieldFault(f, "is out of range");
        return doubles[f];
    }

    /** A boolean that is false when missing. */
    private boolean flag(int f) throws MalformedFrameException {
        if (kind[f] == ABSENT) return false;
        if (kind[f] == BOOL) return longs[f] == 1;
        throw fieldFault(f, "must be a boolean");
    }

    private long millisToNanos(int f, long ms) throws MalformedFrameException {
        try {
            return Math.multiplyExact(ms, Timestamps.NANOS_PER_MILLI);
        } catch (ArithmeticException e) {
            throw fieldFault(f, "is out of range for epoch milliseconds");
        }
    }

    private String tradeId() throws MalformedFrameException {
        return switch (kind[F_I]) {
            case ABSENT -> null;
            case STRING -> tradeId;
            case INT -> Long.toString(longs[F_I]);
            default -> throw fieldFault(F_I, "must be a string or an integer");
        };
    }

    /** Tape {@code z}: 1/2/3 to A/B/C; other integers to {@link Absent#CHAR}. */
    private char tape() throws MalformedFrameException {
        if (kind[F_Z] == ABSENT) return Absent.CHAR;
        long z = integer(F_Z);
        return z == 1 ? 'A' : z == 2 ? 'B' : z == 3 ? 'C' : Absent.CHAR;
    }

    private Conditions codes(int f) throws MalformedFrameException {
        byte k = kind[f];
        if (k == ABSENT) return Conditions.NONE;
        if (k == INT_ARRAY) {
            int[] a = f == F_C ? conditions : indicators;
            int n = f == F_C ? conditionCount : indicatorCount;
            return n == 1 ? single(a[0]) : Conditions.of(a, 0, n);
        }
        if (k == INT && longs[f] >= Integer.MIN_VALUE && longs[f] <= Integer.MAX_VALUE) return single((int) longs[f]);
        throw fieldFault(f, "must be an integer or an array of integers");
    }

    private Conditions single(int code) {
        if (code < 0 || code >= SHARED_SINGLE_CODES) return Conditions.of(code);
        Conditions c = singleCodes[code];
        if (c == null) singleCodes[code] = c = Conditions.of(code);
        return c;
    }

    // ---- faults: reasons name the element and field, never the frame's content ----

    private MalformedFrameException fieldFault(int f, String problem) {
        return elementFault("field '" + NAMES[f] + "' " + problem);
    }

    private MalformedFrameException elementFault(String problem) {
        String type = ev == EV_NONE || ev == EV_UNKNOWN ? "" : " (ev " + EV_NAMES[ev] + ")";
        return new MalformedFrameException("element " + delivered + type + ": " + problem, delivered, null);
    }

    private MalformedFrameException frameFault(String reason) {
        return new MalformedFrameException(reason, delivered, null);
    }
}
