package com.systemtrader.collector;

/** What a connection reports to its collector through the frame ring, in order with the frames. */
sealed interface ConnectionSignal {
    /** The WebSocket handshake completed. */
    record Opened(long connectionId) implements ConnectionSignal {}

    /**
     * The connection ended or could not be made.
     *
     * @param httpStatus the HTTP status of a refused upgrade (e.g. 429), or 0
     * @param closeCode  the WebSocket close code the server sent, or -1
     */
    record Closed(long connectionId, String cause, int httpStatus, int closeCode) implements ConnectionSignal {}
}
