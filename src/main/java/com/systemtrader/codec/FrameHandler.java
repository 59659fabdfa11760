package com.systemtrader.codec;

import com.systemtrader.schema.MarketEvent;

/**
 * Receives what a decoder finds in one frame, in frame order. Called on the decoding thread.
 */
public interface FrameHandler {
    void onEvent(MarketEvent event);

    void onControl(ControlMessage message);

    /**
     * An element with a type this decoder does not know (e.g. a new provider message type). It was skipped;
     * the caller counts it. {@code type} is the provider's type tag; decoders intern it in a small table of
     * their own, so a repeated unknown type does not allocate.
     */
    void onUnknown(String type);
}
