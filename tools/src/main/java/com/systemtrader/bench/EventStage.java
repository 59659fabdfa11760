package com.systemtrader.bench;

import com.systemtrader.schema.MarketEvent;

/**
 * What the decode benchmark does with each decoded event, on the decoding thread and inside the timed loop:
 * {@link BenchStages#DECODE} only keeps it (so that the JIT must build every record), {@link BenchStages#CLEAN}
 * is meant to run the data cleaner. Implementations must not allocate per event beyond what the measured component
 * itself allocates, since bytes per message are reported.
 */
public interface EventStage {
    /** A frame is about to be decoded (its bytes stay valid until {@link #endFrame}); e.g. for quarantining. */
    default void beginFrame(byte[] buf, int off, int len, boolean binary, long receiveTimeNs) { }

    void onEvent(MarketEvent event);

    /** An element of a type the decoder does not know (counted, not decoded). */
    default void onUnknown(String type) { }

    /** The decoder rejected the rest of the frame (the events before the fault were delivered). */
    default void onMalformed(String reason) { }

    /** The frame is done (after its last event, or after {@link #onMalformed}). */
    default void endFrame() { }

    /**
     * The replay starts over at the first frame of the recording (called before every pass, inside the timed
     * loop). A stage with memory (a cleaner's duplicate window, last prices per symbol) forgets it here, so that
     * the repeated frames are not taken for duplicates or stale data.
     */
    default void onReplayStart() { }

    /** A value depending on every event seen, printed so that the work cannot be optimized away. */
    long checksum();
}
