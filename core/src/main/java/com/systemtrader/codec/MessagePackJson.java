package com.systemtrader.codec;

import java.io.IOException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Renders one MessagePack value as JSON text, for people reading the quarantine (not on a hot path: it allocates).
 * Maps become objects, arrays arrays, binary and unknown extensions {@code [type, "hex"]}, timestamps (extension
 * -1) a quoted ISO-8601 instant, as msgpack-core renders them. Format knowledge only, no vendor knowledge.
 */
public final class MessagePackJson {
    private MessagePackJson() {}

    /** The JSON text of the one value {@code bytes} hold, or null when they are not exactly one complete value. */
    public static String render(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return null;
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            String json = u.unpackValue().toJson();
            return u.hasNext() ? null : json;
        } catch (IOException | MessagePackException | IllegalStateException e) {
            return null;
        }
    }
}
