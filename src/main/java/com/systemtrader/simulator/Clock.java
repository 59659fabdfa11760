package com.systemtrader.simulator;

import java.time.Instant;

/** Wall-clock time in epoch nanoseconds (microsecond resolution on Linux). */
public final class Clock {
    private Clock() {}

    public static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
