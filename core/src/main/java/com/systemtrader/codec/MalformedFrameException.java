package com.systemtrader.codec;

/**
 * A frame could not be decoded. Events decoded from the frame before the fault have already been delivered;
 * the caller counts the frame and quarantines the offending element's bytes when the decoder could delimit it
 * ({@link #elementOffset()}), else a bounded prefix of the frame. The message never includes frame content beyond a
 * short position hint, so it cannot leak credentials echoed in a frame.
 */
public final class MalformedFrameException extends Exception {
    private final int eventsBefore;
    private final int elementOffset;
    private final int elementLength;

    public MalformedFrameException(String reason, int eventsBefore, Throwable cause) {
        this(reason, eventsBefore, -1, -1, cause);
    }

    private MalformedFrameException(String reason, int eventsBefore, int elementOffset, int elementLength,
                                    Throwable cause) {
        super(reason, cause);
        this.eventsBefore = eventsBefore;
        this.elementOffset = elementOffset;
        this.elementLength = elementLength;
    }

    /**
     * The same fault, located in the element at {@code [offset, offset + length)} of the frame (offsets from the
     * frame's first byte): the element was read whole but its content is wrong (a field missing or of the wrong
     * type). Decoders call this where they know the element's boundaries.
     */
    public MalformedFrameException inElement(int offset, int length) {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("element range must be >= 0");
        return new MalformedFrameException(getMessage(), eventsBefore, offset, length, getCause());
    }

    /** How many elements of the frame were delivered before the fault (the faulty element's index). */
    public int eventsBefore() { return eventsBefore; }

    /** Offset of the faulty element from the frame's first byte, or -1 when it could not be delimited. */
    public int elementOffset() { return elementOffset; }

    /** Length of the faulty element in bytes, or -1 when it could not be delimited. */
    public int elementLength() { return elementLength; }

    /** True when the faulty element's boundaries are known. */
    public boolean hasElement() { return elementOffset >= 0; }
}
