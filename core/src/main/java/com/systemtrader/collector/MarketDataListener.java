package com.systemtrader.collector;

import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.schema.MarketEvent;

/**
 * An in-process consumer of a collector (a strategy, an ML model, a sink).
 *
 * <p>Threading contract: every call comes from the collector's single pipeline thread, in the order the events
 * were received on the connection, never concurrently with another call to the same listener. A listener must
 * not block: while it runs nothing else is decoded, and if it is slow the frame ring fills and the collector
 * pauses reading the socket (backpressure; the provider may then disconnect it as a slow consumer). Hand heavy
 * work to your own bounded queue. An exception thrown by a listener is counted and logged (rate-limited) and
 * does not stop the collector or other listeners. Events are immutable and may be kept.
 */
public interface MarketDataListener {
    void onEvent(MarketEvent event);

    /**
     * An event with the cleaner's verdict: {@link com.systemtrader.clean.Flags} (SIP eligibility bits of a trade,
     * quality flags such as suspicious, out-of-order, crossed, or {@code REVISED} for a bar that replaces an
     * earlier one). Rejected and filtered events are not delivered. The default forwards to {@link #onEvent(MarketEvent)}.
     */
    default void onEvent(MarketEvent event, int flags) { onEvent(event); }

    /**
     * The pipeline has handed over a batch (a frame's events, a slice of a long frame's as they are cleaned, or bars
     * a timer published): a listener that buffers events should pass them on now, so nothing waits for more traffic.
     * Called only after at least one event was delivered since the last call.
     */
    default void onBatchEnd() {}

    /** A connection state change (connecting, streaming, backing off, failed...). */
    default void onStatus(ConnectionStatus status) {}
}
