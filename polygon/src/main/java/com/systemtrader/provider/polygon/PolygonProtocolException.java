package com.systemtrader.provider.polygon;

/**
 * A client message or topic that does not follow the Polygon WebSocket protocol. The message names the fault
 * only; it never contains the input, which may hold an API key.
 */
public final class PolygonProtocolException extends IllegalArgumentException {
    public PolygonProtocolException(String reason) {
        super(reason);
    }
}
