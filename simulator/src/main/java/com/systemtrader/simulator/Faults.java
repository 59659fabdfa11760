package com.systemtrader.simulator;

import com.systemtrader.codec.Timestamps;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection for the simulator, settable at any time from tests (programmatic API) or from CLI flags.
 * One-shot faults ({@link #dropAllNow()}, {@link #slowConsumerKillNow()}, {@link #forceDisconnectNow()}) act on
 * every open data session at the market thread's next tick.
 *
 * <p>Data anomalies ({@link #outlierEvery} and the others, plus duplicates, reordering and malformed frames) are
 * faults on the wire, applied per session: the market, its bars and its REST history never see them. What was
 * actually written to sockets is counted exactly, per kind and symbol ({@link #injected()},
 * {@link #injectedBySymbol()}), and tagged in the truth file. Thread-safe.
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
    volatile int outlierEvery;
    volatile int badPrintEvery;
    volatile int crossedQuoteEvery;
    volatile int lockedQuoteEvery;
    volatile int oneSidedQuoteEvery;
    volatile int sameTimeQuoteEvery;
    volatile int sameTimeQuotes;
    volatile int futureTimestampEvery;
    volatile int testSymbolEvery;
    volatile int lingerAfterUnsubscribe;
    private final InjectedAnomalies anomalies = new InjectedAnomalies();

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

    /**
     * Every {@code n}-th data message is sent twice, the copy directly after it (counted as {@code duplicate-trade},
     * {@code duplicate-quote} or {@code duplicate-other}); 0 = off.
     */
    public Faults duplicateEvery(int n) {
        duplicateEvery = n;
        return this;
    }

    /**
     * Every {@code n}-th data message is swapped with the market event before it (in the same tick; not with an
     * injected element); 0 = off.
     */
    public Faults reorderEvery(int n) {
        reorderEvery = n;
        return this;
    }

    /**
     * After every {@code n}-th trade a session is sent, an extra trade of that symbol at a price far from the
     * market: 1.6 and 0.4 times that trade's price in turn (to the cent), a fresh trade id, the same exchange, no
     * conditions, the same time. 0 = off.
     */
    public Faults outlierEvery(int n) {
        outlierEvery = nonNegative(n, "outlierEvery");
        return this;
    }

    /** After every {@code n}-th trade, an extra trade with price 0, size 0 or a negative price, in turn; 0 = off. */
    public Faults badPrintEvery(int n) {
        badPrintEvery = nonNegative(n, "badPrintEvery");
        return this;
    }

    /** After every {@code n}-th quote, an extra quote of that symbol with bid and ask swapped (crossed); 0 = off. */
    public Faults crossedQuoteEvery(int n) {
        crossedQuoteEvery = nonNegative(n, "crossedQuoteEvery");
        return this;
    }

    /** After every {@code n}-th quote, an extra quote with the bid equal to the ask (locked); 0 = off. */
    public Faults lockedQuoteEvery(int n) {
        lockedQuoteEvery = nonNegative(n, "lockedQuoteEvery");
        return this;
    }

    /** After every {@code n}-th quote, an extra quote with bid 0 or ask 0 (price and size), in turn; 0 = off. */
    public Faults oneSidedQuoteEvery(int n) {
        oneSidedQuoteEvery = nonNegative(n, "oneSidedQuoteEvery");
        return this;
    }

    /**
     * After every {@code n}-th quote, {@code count} extra quotes of that symbol stamped with that quote's exact event
     * time (to the nanosecond on Alpaca), each a distinct, normal quote: the k-th (from 1) has the bid and ask sizes
     * of that quote plus k. They are what a busy book produces and what an identity keyed by time alone merges; on
     * Polygon they carry that quote's sequence number, as every injected quote does. Tagged
     * {@code same-time-quote}. {@code n = 0} or {@code count = 0} turns it off.
     */
    public Faults sameTimeQuotes(int n, int count) {
        sameTimeQuotes = nonNegative(count, "sameTimeQuotes count");
        sameTimeQuoteEvery = nonNegative(n, "sameTimeQuotes every");
        return this;
    }

    /** After every {@code n}-th trade, an extra trade (fresh id) stamped one hour after it; 0 = off. */
    public Faults futureTimestampEvery(int n) {
        futureTimestampEvery = nonNegative(n, "futureTimestampEvery");
        return this;
    }

    /**
     * After every {@code n}-th trade, an extra trade of an exchange test symbol (ZVZZT, ZXZZT, NTEST in turn), only
     * to sessions subscribed to all trades ({@code T.*}, Alpaca trades {@code *}), as a real feed would; 0 = off.
     */
    public Faults testSymbolEvery(int n) {
        testSymbolEvery = nonNegative(n, "testSymbolEvery");
        return this;
    }

    /**
     * Alpaca (protocols.md 4.4): after a client unsubscribes a symbol, its session still sends the next
     * {@code messages} data messages of that symbol on the unsubscribed channels. Applies to unsubscribes made
     * while set; 0 = off.
     */
    public Faults lingerAfterUnsubscribe(int messages) {
        lingerAfterUnsubscribe = nonNegative(messages, "lingerAfterUnsubscribe");
        return this;
    }

    /** The exact counts of injected anomalies written to sockets. */
    public InjectedAnomalies anomalies() { return anomalies; }

    /** Kind label ({@link Anomaly#label()}) -> anomalies written to sockets; kinds never written are absent. */
    public Map<String, Long> injected() { return anomalies.injected(); }

    /** Kind label -> (symbol as sent -> anomalies written); malformed frames under {@link InjectedAnomalies#NO_SYMBOL}. */
    public Map<String, Map<String, Long>> injectedBySymbol() { return anomalies.injectedBySymbol(); }

    private static int nonNegative(int n, String what) {
        if (n < 0) throw new IllegalArgumentException(what + " must not be negative: " + n);
        return n;
    }

    boolean stalled(long nowNs) {
        return nowNs < stallUntilNs.get();
    }

    /** Consumes one of the malformed frames asked for by {@link #injectMalformed}; false when none is left. */
    boolean takeMalformed() {
        while (true) {
            int n = malformedFrames.get();
            if (n <= 0) return false;
            if (malformedFrames.compareAndSet(n, n - 1)) return true;
        }
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
