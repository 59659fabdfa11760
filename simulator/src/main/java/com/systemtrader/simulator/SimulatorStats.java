package com.systemtrader.simulator;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the simulator did. Thread-safe. */
public final class SimulatorStats {
    public final LongAdder connections = new LongAdder();
    public final LongAdder dataMessages = new LongAdder();
    public final LongAdder frames = new LongAdder();
    public final LongAdder authFailures = new LongAdder();
    public final LongAdder authTimeouts = new LongAdder();
    public final LongAdder evictions = new LongAdder();
    public final LongAdder slowConsumerKills = new LongAdder();
    public final LongAdder faultDrops = new LongAdder();
    public final LongAdder malformedSent = new LongAdder();
    public final LongAdder malformedReceived = new LongAdder();
    public final LongAdder upgradesRejected = new LongAdder();
    public final LongAdder restRequests = new LongAdder();

    @Override public String toString() {
        return "connections=" + connections.sum() + " dataMessages=" + dataMessages.sum() + " frames=" + frames.sum()
                + " authFailures=" + authFailures.sum() + " authTimeouts=" + authTimeouts.sum()
                + " evictions=" + evictions.sum() + " slowConsumerKills=" + slowConsumerKills.sum()
                + " faultDrops=" + faultDrops.sum() + " malformedSent=" + malformedSent.sum()
                + " malformedReceived=" + malformedReceived.sum() + " upgradesRejected=" + upgradesRejected.sum()
                + " restRequests=" + restRequests.sum();
    }
}
