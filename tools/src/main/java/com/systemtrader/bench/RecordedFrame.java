package com.systemtrader.bench;

/**
 * One WebSocket data frame as it came off the socket: its payload, whether it was a binary frame (Alpaca
 * MessagePack) or a text frame (JSON), and when it arrived (epoch ns), which the replay passes to the decoder as
 * the receive time so that event and receive times stay as coherent as they were live. The array is owned by the
 * recording and never changed.
 */
public record RecordedFrame(byte[] bytes, boolean binary, long receiveTimeNs) {
    public RecordedFrame {
        if (bytes == null) throw new IllegalArgumentException("bytes are required");
    }
}
