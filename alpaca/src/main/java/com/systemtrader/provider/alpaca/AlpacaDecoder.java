package com.systemtrader.provider.alpaca;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.systemtrader.codec.Decimals;
import com.systemtrader.codec.FieldOrder;
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
 * <p>Hot path: each key is predicted from the key before it for the element's type ({@link FieldOrder}) and matched
 * by Jackson byte for byte; a miss falls back to Jackson's symbol table and {@link AlpacaField#id(String)}. Integers
 * of up to 18 characters and plain decimals are parsed from the character buffer ({@link Decimals}). An integer
 * beyond a long and a non-finite number ({@code 1e400}) are errors, never wrapped or passed on.
 *
 * <p>One per connection, not thread-safe. See {@link AlpacaFrameDecoder#decode} for the contract.
 */
public final class AlpacaDecoder implements AlpacaFrameDecoder {
    /** Shared by all decoders: it holds the canonical field-name table. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final AlpacaElement element;
    private final FieldOrder order = new FieldOrder(AlpacaField.names(), AlpacaElement.TYPES, AlpacaField.T);

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
                readAndDeliver(p, 0, receiveTimeNs, handler);
                index = 1;
            } else if (tok == JsonToken.START_ARRAY) {
                while ((tok = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (tok != JsonToken.START_OBJECT) {
                        throw new MalformedFrameException(tok == null ? "truncated JSON in element " + index
                                : "element " + index + " is not an object", index, null);
                    }
                    readAndDeliver(p, index, receiveTimeNs, handler);
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

    /** Reads the object at the current START_OBJECT, reports its bytes ({@link FrameHandler#onElement}), delivers it. */
    private void readAndDeliver(JsonParser p, int index, long receiveTimeNs, FrameHandler handler)
            throws IOException, MalformedFrameException {
        int start = tokenOffset(p);
        readElement(p);
        int length = tokenOffset(p) + 1 - start;   // the current token is the element's END_OBJECT
        handler.onElement(index, start, length);
        try {
            element.deliver(index, receiveTimeNs, handler);
        } catch (MalformedFrameException e) {
            throw e.inElement(start, length);
        }
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

    private void readElement(JsonParser p) throws IOException {
        AlpacaElement el = element;
        el.reset();
        int prev = FieldOrder.START;
        while (true) {
            int f = order.predict(el.type(), prev);
            if (!p.nextFieldName(order.key(f))) {
                JsonToken key = p.currentToken();
                if (key == JsonToken.END_OBJECT) break;
                if (key != JsonToken.FIELD_NAME) throw new JsonEOFException(p, key, "object not closed");
                f = AlpacaField.id(p.currentName());
                if (f >= 0) order.learn(el.type(), prev, f);
            }
            JsonToken v = p.nextToken();
            if (f < 0) {
                p.skipChildren();
                continue;
            }
            prev = f;
            switch (v) {
                case VALUE_STRING -> el.onString(f, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_NUMBER_INT -> {
                    int n = p.getTextLength();
                    if (n <= Decimals.SAFE_LONG_CHARS) {
                        el.onLong(f, Decimals.parseLong(p.getTextCharacters(), p.getTextOffset(), n));
                    } else if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        el.markBad(f); // does not fit a long: never wrapped
                    } else {
                        el.onLong(f, p.getLongValue());
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    double d = Decimals.parseDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    el.onDouble(f, d == d ? d : p.getDoubleValue()); // NaN: not the plain shape, let Jackson convert
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

    /** The allocation-free decimal parser ({@link Decimals#parseDouble}); kept here for the decoder's tests. */
    static double exactDouble(char[] b, int off, int len) {
        return Decimals.parseDouble(b, off, len);
    }

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
