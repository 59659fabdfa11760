package com.systemtrader.codec;

/**
 * A frame could not be decoded. Events decoded from the frame before the fault have already been delivered;
 * the caller counts the frame and quarantines its bytes. The message never includes frame content beyond a
 * short position hint, so it cannot leak credentials echoed in a frame.
 */
public final class MalformedFrameException extends Exception {
    private final int eventsBefore;

    public MalformedFrameException(String reason, int eventsBefore, Throwable cause) {
        super(reason, cause);
        this.eventsBefore = eventsBefore;
    }

    /** How many elements of the frame were delivered before the fault. */
    public int eventsBefore() { return eventsBefore; }
}
