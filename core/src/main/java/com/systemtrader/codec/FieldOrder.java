package com.systemtrader.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Arrays;

/**
 * Predicts the next key of a JSON object from the key before it, per message type, so that a decoder can ask
 * Jackson to match the predicted key byte for byte ({@link JsonParser#nextFieldName(SerializableString)}) instead
 * of hashing the key into Jackson's symbol table and then mapping the name to a slot. Providers write the keys of
 * one message type in a fixed order, so after the first message of a type nearly every key is predicted; a miss
 * costs one ordinary lookup and teaches the table the new successor, so any key order stays correct. Not
 * thread-safe: one per decoder.
 */
public final class FieldOrder {
    /** The "previous key" of an object's first key. */
    public static final int START = -1;

    private final SerializedString[] names;
    private final int stride;
    private final int[] next;

    /**
     * @param names the keys by slot id (ids are indexes into this array)
     * @param types the number of message types (type ids 0 .. types-1; use 0 for "not known yet")
     * @param first the slot predicted before anything was learned (usually the type key)
     */
    public FieldOrder(String[] names, int types, int first) {
        this.names = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) this.names[i] = new SerializedString(names[i]);
        this.stride = names.length + 1;
        this.next = new int[types * stride];
        Arrays.fill(next, first);
    }

    /** The slot expected after {@code prev} ({@link #START} for the first key) in a message of {@code type}. */
    public int predict(int type, int prev) {
        return next[type * stride + prev + 1];
    }

    /** The key of a slot, in the form {@link JsonParser#nextFieldName(SerializableString)} matches. */
    public SerializableString key(int slot) {
        return names[slot];
    }

    /** The key of a slot as UTF-8 bytes (for binary formats such as MessagePack); not to be changed. */
    public byte[] keyBytes(int slot) {
        return names[slot].asUnquotedUTF8();
    }

    /** Remembers that {@code slot} followed {@code prev} in a message of {@code type}. */
    public void learn(int type, int prev, int slot) {
        next[type * stride + prev + 1] = slot;
    }
}
