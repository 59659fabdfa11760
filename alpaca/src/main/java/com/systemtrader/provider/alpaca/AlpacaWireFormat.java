package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.SymbolTable;
import com.systemtrader.schema.DataSource;
import java.util.Locale;

/**
 * The two encodings of the Alpaca stream, chosen by the {@code Content-Type} header of the WebSocket upgrade
 * request: JSON in text frames (the server's default when the header is absent) or MessagePack in binary frames
 * (what the official SDKs ask for, and the collector's default: {@code alpaca.websocket.wire_format}).
 */
public enum AlpacaWireFormat {
    JSON("application/json"),
    MSGPACK("application/msgpack");

    private final String contentType;

    AlpacaWireFormat(String contentType) { this.contentType = contentType; }

    /** The {@code Content-Type} header value that selects this format. */
    public String contentType() { return contentType; }

    /** True when frames of this format are binary WebSocket frames. */
    public boolean binaryFrames() { return this == MSGPACK; }

    /** The configuration name, {@code json} or {@code msgpack} ({@code alpaca.websocket.wire_format}). */
    public String configName() { return name().toLowerCase(Locale.ROOT); }

    /** The format of a configuration name ({@code json} or {@code msgpack}). */
    public static AlpacaWireFormat ofConfigName(String name) {
        for (AlpacaWireFormat f : values()) if (f.configName().equals(name)) return f;
        throw new IllegalArgumentException("unknown Alpaca wire format '" + name + "' (json or msgpack)");
    }

    /** The format a server picks for an upgrade request's {@code Content-Type} (absent or unknown: JSON). */
    public static AlpacaWireFormat fromContentType(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT)
                .startsWith(MSGPACK.contentType) ? MSGPACK : JSON;
    }

    /** A new decoder for this format (one per connection). */
    public AlpacaFrameDecoder newDecoder(SymbolTable symbols, DataSource source) {
        return this == JSON ? new AlpacaDecoder(symbols, source) : new AlpacaMsgpackDecoder(symbols, source);
    }
}
