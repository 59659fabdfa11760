package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Conditions;
import java.util.List;

/** {@link FieldWriter} over a {@link JsonOut}; allocation-free for ASCII content. */
public final class JsonFieldWriter implements FieldWriter {
    private final JsonOut out;

    public JsonFieldWriter(JsonOut out) { this.out = out; }

    JsonOut out() { return out; }

    @Override public void reset() { out.reset(); }
    @Override public int length() { return out.length(); }
    @Override public void truncate(int length) { out.truncate(length); }
    @Override public byte[] array() { return out.array(); }
    @Override public byte[] toByteArray() { return out.toByteArray(); }
    @Override public void beginArray(int elements) { out.beginArray(); }
    @Override public void endArray() { out.endArray(); }
    @Override public void beginObject(int fields) { out.beginObject(); }
    @Override public void endObject() { out.endObject(); }
    @Override public void string(String key, String value) { out.field(key, value); }
    @Override public void letter(String key, char value) { out.fieldChar(key, value); }
    @Override public void integer(String key, long value) { out.field(key, value); }
    @Override public void number(String key, double value) { out.field(key, value); }

    @Override public void time(String key, long epochNanos) {
        out.name(key);
        Timestamps.writeRfc3339Quoted(epochNanos, out);
    }

    @Override public void letters(String key, Conditions codes) {
        out.name(key).beginArray();
        for (int i = 0; i < codes.size(); i++) out.stringChar((char) codes.get(i));
        out.endArray();
    }

    @Override public void strings(String key, List<String> values) {
        out.name(key).beginArray();
        for (int i = 0; i < values.size(); i++) out.string(values.get(i));
        out.endArray();
    }
}
