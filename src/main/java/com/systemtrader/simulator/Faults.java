package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection for the simulator, settable at any time from tests (programmatic API) or from CLI flags.
 * One-shot faults ({@link #dropAllNow()}, {@link #slowConsumerKillNow()}, {@link #forceDisconnectNow()}) act on
 * every open data session at the market thread's next tick. Thread-safe.
 */
public final class Faults {
    /** Per connection: close abruptly (no close frame) after this many data messages; 0 = off. */
    final AtomicLong dropAfterMessages = new AtomicLong();
    /** How many connections {@link #dropAfterMessages} still applies to; negative = every connection. */
    final AtomicLong dropConnectionsLeft = new AtomicLong();
    final AtomicLong dropAllRequests = new AtomicLong();
    final AtomicLong slowConsumerRequests = new AtomicLong();
    final AtomicLong forceDisconnectRequests = new AtomicLong();
    /** Data is withheld from every session until this time (epoch ns); sockets stay open. */
    final AtomicLong stallUntilNs = new AtomicLong();
    final AtomicInteger rejectUpgrades = new AtomicInteger();
    volatile int rejectUpgradeStatus = 429;
    volatile boolean rejectCredentials;
    final AtomicInteger malformedFrames = new AtomicInteger();
    volatile int malformedEvery;
    volatile int duplicateEvery;
    volatile int reorderEvery;

    /**
     * Every connection (or only the next {@code connections}, if positive) is closed abruptly after it has been
     * sent {@code messages} data messages. {@code messages = 0} turns this off.
     */
    public Faults dropAfterMessages(long messages, int connections) {
        dropAfterMessages.set(messages);
        dropConnectionsLeft.set(connections <= 0 ? -1 : connections);
        return this;
    }

    /** Closes every data connection abruptly (TCP FIN without a WebSocket close frame) now. */
    public Faults dropAllNow() {
        dropAllRequests.incrementAndGet();
        return this;
    }

    /** Sends the provider's slow-consumer message (Polygon {@code slow_consumer}, Alpaca 407) and closes. */
    public Faults slowConsumerKillNow() {
        slowConsumerRequests.incrementAndGet();
        return this;
    }

    /** Polygon {@code force_disconnect} (Alpaca: a plain close) to every session. */
    public Faults forceDisconnectNow() {
        forceDisconnectRequests.incrementAndGet();
        return this;
    }

    /** Silent stall: sockets stay open and pings are answered, but no data is sent for {@code duration}. */
    public Faults stall(Duration duration) {
        stallUntilNs.set(Timestamps.nowNs() + duration.toNanos());
        return this;
    }

    public Faults endStall() {
        stallUntilNs.set(0);
        return this;
    }

    /** The next {@code count} WebSocket upgrades are answered with HTTP {@code status} (e.g. 429) instead of 101. */
    public Faults rejectUpgrades(int count, int status) {
        rejectUpgradeStatus = status;
        rejectUpgrades.set(count);
        return this;
    }

    /** While true, every credential is rejected (Polygon auth_failed, Alpaca 402). */
    public Faults rejectCredentials(boolean reject) {
        rejectCredentials = reject;
        return this;
    }

    /** Sends {@code count} malformed frames (alternately invalid JSON and a truncated data frame), one per tick. */
    public Faults injectMalformed(int count) {
        malformedFrames.addAndGet(count);
        return this;
    }

    /** After every {@code n}-th data frame, a malformed frame is sent too; 0 = off. */
    public Faults malformedEvery(int n) {
        malformedEvery = n;
        return this;
    }

    /** Every {@code n}-th data message is sent twice (in the same frame); 0 = off. */
    public Faults duplicateEvery(int n) {
        duplicateEvery = n;
        return this;
    }

    /** Every {@code n}-th data message is swapped with the one before it; 0 = off. */
    public Faults reorderEvery(int n) {
        reorderEvery = n;
        return this;
    }

    boolean stalled(long nowNs) {
        return nowNs < stallUntilNs.get();
    }

    /** Consumes one upgrade rejection; returns the HTTP status to answer, or 0 to accept. */
    int takeUpgradeRejection() {
        while (true) {
            int n = rejectUpgrades.get();
            if (n <= 0) return 0;
            if (rejectUpgrades.compareAndSet(n, n - 1)) return rejectUpgradeStatus;
        }
    }

    /** Whether the drop-after rule applies to a new connection (consumes one allowance when limited). */
    boolean claimDropRule() {
        if (dropAfterMessages.get() <= 0) return false;
        while (true) {
            long left = dropConnectionsLeft.get();
            if (left < 0) return true;
            if (left == 0) return false;
            if (dropConnectionsLeft.compareAndSet(left, left - 1)) return true;
        }
    }
}
