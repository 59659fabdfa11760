package com.systemtrader.bench;

import java.util.List;

/**
 * How {@link FrameRecording#record} takes frames from the simulator.
 *
 * @param seed           seed of the synthetic market
 * @param symbols        tickers
 * @param rate           data messages per second the simulator generates (trades and quotes of all symbols
 *                       together; a trades feed gets about 46% of them, a quotes feed about 54%)
 * @param batch          most data messages per frame (the simulator's batching; at 100,000 msg/s a 1 ms tick
 *                       holds about 46 trades)
 * @param frames         data frames to keep per feed
 * @param timeoutSeconds give up when a feed has not delivered its frames by then
 */
public record RecordingOptions(long seed, List<String> symbols, long rate, int batch, int frames, int timeoutSeconds) {
    public RecordingOptions {
        symbols = List.copyOf(symbols);
        if (symbols.isEmpty() || rate < 1 || batch < 1 || frames < 1 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("a recording needs symbols and a positive rate, batch, frame count "
                    + "and timeout");
        }
    }

    /** One line for reports and the recording file. */
    public String describe() {
        return "simulator seed=" + seed + " symbols=" + symbols.size() + " rate=" + rate + " batch=" + batch
                + " frames=" + frames;
    }
}
