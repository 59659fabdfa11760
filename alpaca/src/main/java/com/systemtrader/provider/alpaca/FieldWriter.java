package com.systemtrader.provider.alpaca;

import com.systemtrader.schema.Conditions;
import java.util.List;

/**
 * The output side of {@code simulator.wire.AlpacaEncoder}: keyed values in the order written, into a reusable growable byte
 * buffer. One implementation writes JSON, the other MessagePack, so the Alpaca field order is defined once.
 * Counts passed to {@code begin*} are required by MessagePack (its headers carry them) and ignored by JSON.
 */
public interface FieldWriter {
    void reset();

    int length();

    /** Drops everything after {@code length}, to undo a partly written element. */
    void truncate(int length);

    /** The backing array; valid bytes are {@code [0, length())}. */
    byte[] array();

    byte[] toByteArray();

    void beginArray(int elements);

    void endArray();

    void beginObject(int fields);

    void endObject();

    void string(String key, String value);

    /** A one-character string, e.g. {@code "x":"V"}. */
    void letter(String key, char value);

    void integer(String key, long value);

    void number(String key, double value);

    /** JSON: RFC 3339 string; msgpack: timestamp extension. */
    void time(String key, long epochNanos);

    /** An array of one-character strings from character codes. */
    void letters(String key, Conditions codes);

    void strings(String key, List<String> values);
}
