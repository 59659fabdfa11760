package com.systemtrader.provider.alpaca;

import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;

/**
 * Decodes one Alpaca stream frame (an array of messages, each with {@code T}) into normalized events and control
 * messages. One instance per connection, reused for every frame; not thread-safe.
 */
public sealed interface AlpacaFrameDecoder permits AlpacaDecoder, AlpacaMsgpackDecoder {
    /**
     * Decodes {@code buf[off, off + len)} and hands each element to {@code handler} in frame order: market data to
     * {@link FrameHandler#onEvent}, {@code success}/{@code error}/{@code subscription} to
     * {@link FrameHandler#onControl}, elements with an unknown {@code T} to {@link FrameHandler#onUnknown}.
     *
     * @param receiveTimeNs stamped on every event as its receive time
     * @return how many elements were handed on (events, control messages and unknown elements)
     * @throws MalformedFrameException on invalid or truncated input, a missing required field, a value of the wrong
     *         type or a bad timestamp; elements before the faulty one have been delivered
     *         ({@link MalformedFrameException#eventsBefore()})
     */
    int decode(byte[] buf, int off, int len, long receiveTimeNs, FrameHandler handler) throws MalformedFrameException;
}
