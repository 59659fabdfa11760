package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.FieldOrder;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.schema.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;

/**
 * Decodes Alpaca MessagePack binary frames (sent when the upgrade request had
 * {@code Content-Type: application/msgpack}): an array of maps with the same keys as the JSON form. {@code t} is a
 * msgpack timestamp extension (type -1, 32-, 64- or 96-bit form); an RFC 3339 string is accepted too. Integers of
 * any width and float32/float64 are accepted where the JSON decoder accepts numbers. A bare map instead of an
 * array is accepted as a one-element frame.
 *
 * <p>One {@link MessageUnpacker} and its input are reset for every frame; strings are read into reused byte and
 * char buffers, and a str header claiming more bytes than the frame has left is a truncated frame (it never makes
 * the decoder allocate what the header claims). Keys are compared as bytes with the key predicted from the key
 * before ({@link FieldOrder}), else looked up. A uint64 above {@link Long#MAX_VALUE} and a NaN or infinite float
 * are errors, never wrapped or passed on. The only per-element allocation besides the records is msgpack-core's
 * small {@link ExtensionTypeHeader} for each timestamp (usually removed by escape analysis). One per connection, not
 * thread-safe.
 */
public final class AlpacaMsgpackDecoder implements AlpacaFrameDecoder {
    private static final byte TIMESTAMP_TYPE = -1;

    private final AlpacaElement element;
    private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);
    private final MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(input);
    private byte[] bytes = new byte[64];
    private char[] chars = new char[64];
    private int charLen;
    private long frameLength;
    private final FieldOrder order = new FieldOrder(AlpacaField.names(), AlpacaElement.TYPES, AlpacaField.T);

    /** A decoder producing {@link DataSource#ALPACA} events. */
    public AlpacaMsgpackDecoder(SymbolTable symbols) {
        this(symbols, DataSource.ALPACA);
    }

    public AlpacaMsgpackDecoder(SymbolTable symbols, DataSource source) {
        this.element = new AlpacaElement(symbols, source);
    }

    @Override
    public int decode(byte[] buf, int off, int len, long receiveTimeNs, FrameHandler handler)
            throws MalformedFrameException {
        int index = 0;
        try {
            frameLength = len;
            input.reset(buf, off, len);
            unpacker.reset(input);
            if (!unpacker.hasNext()) throw new MalformedFrameException("empty frame", 0, null);
            ValueType top = unpacker.getNextFormat().getValueType();
            if (top == ValueType.MAP) {
                readAndDeliver(0, receiveTimeNs, handler);
                index = 1;
            } else if (top == ValueType.ARRAY) {
                int n = unpacker.unpackArrayHeader();
                for (; index < n; index++) {
                    if (unpacker.getNextFormat().getValueType() != ValueType.MAP) {
                        throw new MalformedFrameException("element " + index + " is not a map", index, null);
                    }
                    readAndDeliver(index, receiveTimeNs, handler);
                }
            } else {
                throw new MalformedFrameException("frame is not a msgpack array", 0, null);
            }
            if (unpacker.hasNext()) throw new MalformedFrameException("content after the end of the frame", index, null);
            return index;
        } catch (MessageInsufficientBufferException e) {
            throw new MalformedFrameException("truncated msgpack in element " + index + at(), index, null);
        } catch (MessagePackException | IOException e) {
            throw new MalformedFrameException("invalid msgpack in element " + index + at(), index, null);
        }
    }

    private String at() {
        return " at byte " + unpacker.getTotalReadBytes();
    }

    /** Reads the map that comes next, reports its bytes ({@link FrameHandler#onElement}) and delivers it. */
    private void readAndDeliver(int index, long receiveTimeNs, FrameHandler handler)
            throws IOException, MalformedFrameException {
        int start = (int) unpacker.getTotalReadBytes();   // from the frame's first byte (the input starts there)
        readElement();
        int length = (int) unpacker.getTotalReadBytes() - start;
        handler.onElement(index, start, length);
        try {
            element.deliver(index, receiveTimeNs, handler);
        } catch (MalformedFrameException e) {
            throw e.inElement(start, length);
        }
    }

    private void readElement() throws IOException {
        AlpacaElement el = element;
        el.reset();
        int n = unpacker.unpackMapHeader();
        int prev = FieldOrder.START;
        for (int k = 0; k < n; k++) {
            if (unpacker.getNextFormat().getValueType() != ValueType.STRING) {
                unpacker.skipValue(2);
                continue;
            }
            int f = readKey(el.type(), prev);
            if (f < 0) {
                unpacker.skipValue();
                continue;
            }
            prev = f;
            switch (unpacker.getNextFormat().getValueType()) {
                case STRING -> {
                    readString();
                    el.onString(f, chars, 0, charLen);
                }
                case INTEGER -> {
                    try {
                        el.onLong(f, unpacker.unpackLong());
                    } catch (MessageIntegerOverflowException e) {
                        el.markBad(f); // a uint64 above Long.MAX_VALUE: never wrapped
                    }
                }
                case FLOAT -> el.onDouble(f, unpacker.unpackDouble());
                case ARRAY -> readArray(f);
                case EXTENSION -> readExtension(f);
                case NIL -> unpacker.unpackNil();
                default -> {
                    el.markBad(f);
                    unpacker.skipValue();
                }
            }
        }
    }

    /** Reads a map key; its field id, or -1. The predicted key is compared as bytes, anything else looked up. */
    private int readKey(int type, int prev) throws IOException {
        int n = stringHeader();
        unpacker.readPayload(bytes, 0, n);
        int want = order.predict(type, prev);
        byte[] k = order.keyBytes(want);
        if (k.length == n && Arrays.equals(k, 0, n, bytes, 0, n)) return want;
        int f = AlpacaField.id(bytes, 0, n);
        if (f >= 0) order.learn(type, prev, f);
        return f;
    }

    /**
     * Reads a str header and makes room for its payload in {@link #bytes}. A length beyond the frame's remaining
     * bytes is a truncated (or forged) frame: it must not make us allocate gigabytes.
     */
    private int stringHeader() throws IOException {
        int n = unpacker.unpackRawStringHeader();
        if (n > frameLength - unpacker.getTotalReadBytes()) throw new MessageInsufficientBufferException();
        if (bytes.length < n) bytes = new byte[Math.max(n, bytes.length * 2)];
        return n;
    }

    private void readArray(int f) throws IOException {
        int n = unpacker.unpackArrayHeader();
        if (!element.beginArray(f)) {
            unpacker.skipValue(n);
            return;
        }
        for (int k = 0; k < n; k++) {
            if (unpacker.getNextFormat().getValueType() == ValueType.STRING) {
                readString();
                element.onArrayString(f, chars, 0, charLen);
            } else {
                element.markBad(f);
                unpacker.skipValue();
            }
        }
    }

    private void readExtension(int f) throws IOException {
        ExtensionTypeHeader h = unpacker.unpackExtensionTypeHeader();
        int n = h.getLength();
        if (h.getType() != TIMESTAMP_TYPE || (n != 4 && n != 8 && n != 12)) {
            skipPayload(n);
            element.markBad(f);
            return;
        }
        unpacker.readPayload(bytes, 0, n);
        long seconds;
        long nanos;
        if (n == 4) {
            seconds = readInt(0) & 0xFFFF_FFFFL;
            nanos = 0;
        } else if (n == 8) {
            long data = ((long) readInt(0) << 32) | (readInt(4) & 0xFFFF_FFFFL);
            nanos = data >>> 34;
            seconds = data & 0x3_FFFF_FFFFL;
        } else {
            nanos = readInt(0) & 0xFFFF_FFFFL;
            seconds = ((long) readInt(4) << 32) | (readInt(8) & 0xFFFF_FFFFL);
        }
        try {
            if (nanos > 999_999_999L) throw new ArithmeticException("nanoseconds out of range");
            element.onInstant(f, Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos));
        } catch (ArithmeticException e) {
            element.markBad(f);
        }
    }

    private int readInt(int p) {
        byte[] b = bytes;
        return (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private void skipPayload(int n) throws IOException {
        while (n > 0) {
            int k = Math.min(n, bytes.length);
            unpacker.readPayload(bytes, 0, k);
            n -= k;
        }
    }

    /** Reads a msgpack str into {@link #chars}; ASCII without allocating. */
    private void readString() throws IOException {
        int n = stringHeader();
        unpacker.readPayload(bytes, 0, n);
        if (chars.length < n) chars = new char[Math.max(n, chars.length * 2)];
        for (int k = 0; k < n; k++) {
            byte b = bytes[k];
            if (b < 0) {
                String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
                s.getChars(0, s.length(), chars, 0);
                charLen = s.length();
                return;
            }
            chars[k] = (char) b;
        }
        charLen = n;
    }
}
