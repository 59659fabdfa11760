package com.systemtrader.collector;

import java.nio.charset.StandardCharsets;

/**
 * A message the collector sends to the provider (auth, subscribe, unsubscribe): its bytes and whether they go out
 * as a binary WebSocket frame (Alpaca MessagePack) or a text frame (JSON). {@link #toString()} never shows the
 * bytes, which may hold credentials.
 */
public record OutboundMessage(byte[] payload, boolean binary) {
    public OutboundMessage {
        if (payload == null) throw new IllegalArgumentException("payload is required");
    }

    /** A text frame with {@code json} (UTF-8). */
    public static OutboundMessage text(String json) {
        return new OutboundMessage(json.getBytes(StandardCharsets.UTF_8), false);
    }

    /** A binary frame with {@code bytes}. */
    public static OutboundMessage binary(byte[] bytes) {
        return new OutboundMessage(bytes, true);
    }

    /** The payload as text (for text frames and tests). */
    public String text() { return new String(payload, StandardCharsets.UTF_8); }

    @Override public String toString() {
        return "OutboundMessage[" + (binary ? "binary" : "text") + ", " + payload.length + " bytes]";
    }
}
