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

    /**
     * The element whose callback ({@link #onEvent}, {@link #onControl} or {@link #onUnknown}) comes next: its index in
     * the frame (0-based, every element counted) and its bytes, {@code [offset, offset + length)} from the frame's
     * first byte. Lets the caller keep just the offending element of a rejected message instead of the whole
     * frame. Called only by decoders that can delimit elements; the default ignores it. Must not allocate.
     */
    default void onElement(int index, int offset, int length) { }
}
