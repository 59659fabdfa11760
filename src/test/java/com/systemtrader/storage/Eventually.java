package com.systemtrader.storage;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the storage tests expect to become true (a writer thread, a replay). */
final class Eventually {
    private Eventually() {}

    /** Polls every 10 ms; fails after 20 s. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 20 s");
            Thread.sleep(10);
        }
    }
}
