package com.systemtrader.provider.alpaca;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.schema.DataSource;
import java.io.IOException;

/**
 * Decodes Alpaca JSON text frames ({@code [{"T":"t",...},...]}) with Jackson's streaming parser: no tree, no
 * databind, no String of the frame. Keys may come in any order; values go to reused slots and each record is built
 * when its object ends. Known symbols, field names and status texts allocate nothing; timestamps are parsed from
 * the parser's character buffer. A bare object instead of an array is accepted as a one-element frame.
 *
 * <p>One per connection, not thread-safe. See {@link AlpacaFrameDecoder#decode} for the contract.
 */
public final class AlpacaDecoder implements AlpacaFrameDecoder {
    /** Shared by all decoders: it holds the canonical field-name table. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final AlpacaElement element;

    /** A decoder producing {@link DataSource#ALPACA} events. */
    public AlpacaDecoder(SymbolTable symbols) {
        this(symbols, DataSource.ALPACA);
    }

    /** @param source stamped on every event (the simulator's own tests may use {@link DataSource#SIMULATOR}) */
    public AlpacaDecoder(SymbolTable symbols, DataSource source) {
        this.element = new AlpacaElement(symbols, source);
    }

    @Override
    public int decode(byte[] buf, int off, int len, long receiveTimeNs, FrameHandler handler)
            throws MalformedFrameException {
        int index = 0;
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            JsonToken tok = p.nextToken();
            if (tok == JsonToken.START_OBJECT) {
                readElement(p);
                element.deliver(0, receiveTimeNs, handler);
                index = 1;
            } else if (tok == JsonToken.START_ARRAY) {
                while ((tok = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (tok != JsonToken.START_OBJECT) {
                        throw new MalformedFrameException(tok == null ? "truncated JSON in element " + index
                                : "element " + index + " is not an object", index, null);
                    }
                    readElement(p);
                    element.deliver(index, receiveTimeNs, handler);
                    index++;
                }
            } else {
                throw new MalformedFrameException(tok == null ? "empty frame" : "frame is not a JSON array", 0, null);
            }
            if (p.nextToken() != null) {
                throw new MalformedFrameException("content after the end of the frame", index, null);
            }
            return index;
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending input: keep only the kind and the position.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at byte " + at.getByteOffset();
            String what = e instanceof JsonEOFException ? "truncated JSON" : "invalid JSON";
            throw new MalformedFrameException(what + " in element " + index + where, index, null);
        } catch (IOException e) {
            throw new MalformedFrameException("unreadable frame in element " + index, index, null);
        }
    }

    private void readElement(JsonParser p) throws IOException {
        AlpacaElement el = element;
        el.reset();
        JsonToken key;
        while ((key = p.nextToken()) != JsonToken.END_OBJECT) {
            if (key != JsonToken.FIELD_NAME) throw new JsonEOFException(p, key, "object not closed");
            int f = AlpacaField.id(p.currentName());
            JsonToken v = p.nextToken();
            if (f < 0) {
                p.skipChildren();
                continue;
            }
            switch (v) {
                case VALUE_STRING -> el.onString(f, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) el.markBad(f);
                    else el.onLong(f, p.getLongValue());
                }
                case VALUE_NUMBER_FLOAT -> {
                    double d = exactDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    el.onDouble(f, Double.isNaN(d) ? p.getDoubleValue() : d);
                }
                case START_ARRAY -> readArray(p, f);
                case VALUE_NULL -> { }
                default -> {
                    el.markBad(f);
                    p.skipChildren();
                }
            }
        }
    }

    /**
     * Parses a plain decimal ({@code -123.4567}, no exponent) of at most 15 significant digits and 22 fraction
     * digits without allocating (Jackson builds a String per double). Both the digits and the power of ten are
     * exact doubles then, and one IEEE division rounds correctly (Clinger's fast path). NaN means "not this
     * shape": the caller falls back to Jackson.
     */
    static double exactDouble(char[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && b[i] == '-';
        if (negative) i++;
        long m = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < end; i++) {
            char c = b[i];
            if (c >= '0' && c <= '9') {
                if (m != 0 || c != '0') digits++;
                if (digits > 15) return Double.NaN;
                m = m * 10 + (c - '0');
                if (fraction >= 0) fraction++;
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (fraction > 22) return Double.NaN;
        double v = fraction > 0 ? m / POW10[fraction] : m;
        return negative ? -v : v;
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private void readArray(JsonParser p, int f) throws IOException {
        if (!element.beginArray(f)) {
            p.skipChildren();
            return;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) throw new JsonEOFException(p, null, "array not closed");
            if (t == JsonToken.VALUE_STRING) {
                element.onArrayString(f, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            } else {
                element.markBad(f);
                p.skipChildren();
            }
        }
    }
}
