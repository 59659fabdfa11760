package com.systemtrader.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one way the project keeps a repeating warning from flooding the log: at most one line per interval, and the
 * line that is written says how many were left out since the previous one. The first occurrence is always logged.
 * Thread-safe and lock-free: any thread may call {@link #admit()}.
 *
 * <pre>{@code
 * long skipped = limiter.admit();
 * if (skipped >= 0) log.warn("Redis unavailable: {}{}", reason, LogLimiter.skippedNote(skipped));
 * }</pre>
 */
public final class LogLimiter {
    private static final long UNSET = Long.MIN_VALUE;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextNanos = new AtomicLong(UNSET);
    private final AtomicLong skipped = new AtomicLong();

    /** The project's interval for a repeating warning: one line a minute. */
    public static final Duration EVERY_MINUTE = Duration.ofMinutes(1);

    public LogLimiter(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** A limiter of one line a minute ({@link #EVERY_MINUTE}). */
    public static LogLimiter perMinute() {
        return new LogLimiter(EVERY_MINUTE);
    }

    /** With a clock of its own (tests). */
    public LogLimiter(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * One occurrence: -1 when it is not to be logged (it is counted), else the number of occurrences not logged
     * since the last one that was.
     */
    public long admit() {
        long now = nanoTime.getAsLong();
        long next = nextNanos.get();
        if ((next != UNSET && now - next < 0) || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            skipped.incrementAndGet();
            return -1;
        }
        return skipped.getAndSet(0);
    }

    /** {@code ""}, or {@code " (N more not logged since the previous line)"}. */
    public static String skippedNote(long skipped) {
        return skipped <= 0 ? "" : " (" + skipped + " more not logged since the previous line)";
    }
}
