package com.systemtrader.cli;

import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.MarketEvent;

/**
 * Follows a collector's connection states so that a short run can say how it went: whether the feed ever streamed
 * (a brief STREAMING between two polls is not missed), whether a connection ever opened, and the last failure.
 * Written by the collector's pipeline thread, read by the command's thread.
 */
final class TestWebsocketWatch implements MarketDataListener {
    /** How a run or a probe ended up. */
    enum Verdict {
        /** Reached STREAMING (authenticated and subscribed). */
        STREAMING,
        /** The provider refused the credentials (and no next key was left). */
        REJECTED,
        /** Another fatal error after the connection opened (plan not entitled...). */
        FAILED,
        /** No connection could be made, or the server did not answer. */
        UNREACHABLE,
        /** Still trying. */
        PENDING
    }

    private volatile long firstStreamingNs;
    private volatile boolean opened;
    private volatile boolean backedOffBeforeOpen;
    private volatile String lastFailure = "";
    private volatile State state = State.STOPPED;
    private volatile String detail = "not started";

    @Override public void onEvent(MarketEvent event) {}

    @Override public void onStatus(ConnectionStatus s) {
        switch (s.state()) {
            case STREAMING -> {
                if (firstStreamingNs == 0) firstStreamingNs = System.nanoTime();
            }
            case AUTHENTICATING -> opened = true;
            case BACKING_OFF -> {
                lastFailure = cause(s.detail());
                if (!opened) backedOffBeforeOpen = true;
            }
            case FAILED -> lastFailure = s.detail();
            default -> { }
        }
        detail = s.detail();
        state = s.state();
    }

    boolean everStreamed() { return firstStreamingNs != 0; }

    /** {@link System#nanoTime()} of the first STREAMING; 0 if never. */
    long firstStreamingNs() { return firstStreamingNs; }

    /** Whether a WebSocket connection ever opened (the handshake completed). */
    boolean everOpened() { return opened; }

    /** The last disconnect cause or fatal error; empty if none. */
    String lastFailure() { return lastFailure; }

    State state() { return state; }

    String detail() { return detail; }

    /** The outcome so far: STREAMING wins; a fatal state or a failed first connection decide early. */
    Verdict verdict() {
        if (everStreamed()) return Verdict.STREAMING;
        if (state == State.FAILED) {
            if (isCredentialRejection(detail)) return Verdict.REJECTED;
            return detail.contains("HTTP 404") ? Verdict.UNREACHABLE : Verdict.FAILED;
        }
        return backedOffBeforeOpen ? Verdict.UNREACHABLE : Verdict.PENDING;
    }

    static boolean isCredentialRejection(String detail) {
        return detail.startsWith("credentials rejected");
    }

    /** {@code credentials rejected (auth_failed: ...) and no next key is configured} -> {@code auth_failed: ...}. */
    static String rejectionReason(String detail) {
        return detail.replaceFirst("^credentials rejected \\((.*)\\)( and no next key is configured)?$", "$1");
    }

    /** A BACKING_OFF detail without its {@code ; reconnecting in N ms} tail. */
    private static String cause(String detail) {
        int i = detail.lastIndexOf("; reconnecting in ");
        return i < 0 ? detail : detail.substring(0, i);
    }
}
