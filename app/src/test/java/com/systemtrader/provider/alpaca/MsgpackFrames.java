package com.systemtrader.provider.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Test-only: turns the JSON examples into msgpack with msgpack-core's own packer (an encoder independent of
 * ours), the way Alpaca sends them: same keys, {@code t} as a timestamp extension.
 */
final class MsgpackFrames {
    enum TimeForm {
        /** msgpack-core's choice: the smallest of the 32/64/96-bit forms. */
        SMALLEST,
        /** Always the 96-bit form (valid for any time). */
        FORM_96,
        /** Left as the RFC 3339 string. */
        STRING
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MsgpackFrames() {}

    static byte[] fromJson(String json, TimeForm form) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            write(MAPPER.readTree(json), null, form, p);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonNode n, String key, TimeForm form, MessageBufferPacker p) throws IOException {
        if (n.isArray()) {
            p.packArrayHeader(n.size());
            for (JsonNode e : n) write(e, null, form, p);
        } else if (n.isObject()) {
            p.packMapHeader(n.size());
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                p.packString(e.getKey());
                write(e.getValue(), e.getKey(), form, p);
            }
        } else if (n.isTextual() && "t".equals(key) && form != TimeForm.STRING) {
            Instant t = Instant.parse(n.asText());
            if (form == TimeForm.SMALLEST) {
                p.packTimestamp(t);
            } else {
                p.packExtensionTypeHeader((byte) -1, 12);
                p.addPayload(ByteBuffer.allocate(12).putInt(t.getNano()).putLong(t.getEpochSecond()).array());
            }
        } else if (n.isTextual()) {
            p.packString(n.asText());
        } else if (n.isIntegralNumber()) {
            if (n.isBigInteger()) p.packBigInteger(n.bigIntegerValue());
            else p.packLong(n.asLong());
        } else if (n.isNumber()) {
            p.packDouble(n.asDouble());
        } else if (n.isBoolean()) {
            p.packBoolean(n.asBoolean());
        } else {
            p.packNil();
        }
    }
}
