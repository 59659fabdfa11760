package com.systemtrader.backfill;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the gap backfill.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>marginBefore</td><td>30 s</td><td>fetched before a gap's start: prints stamped before the outage but
 *       reported late (sold out of sequence, TRF) and clock differences between receipt and event time</td></tr>
 *   <tr><td>marginAfter</td><td>10 s</td><td>fetched after a gap's end (never past the time the backfill runs)</td></tr>
 *   <tr><td>pageLimit</td><td>50 000</td><td>items per REST page (Polygon allows 50 000, Alpaca 10 000: capped)</td></tr>
 *   <tr><td>batchRows</td><td>5 000</td><td>events per batch handed to the storage writer</td></tr>
 *   <tr><td>queueCapacity</td><td>64</td><td>backfill jobs waiting for the automatic backfill's one thread; more are
 *       dropped (counted in {@code backfill.queue.dropped}, shown as failed in the recent list)</td></tr>
 *   <tr><td>recentCapacity</td><td>200</td><td>outcomes kept in memory for the HTTP API</td></tr>
 *   <tr><td>maxWindow</td><td>3 days</td><td>longest window one backfill fetches; a longer gap is cut to its last
 *       {@code maxWindow} and marked partially filled</td></tr>
 * </table>
 */
public record BackfillConfig(Duration marginBefore, Duration marginAfter, int pageLimit, int batchRows,
                             int queueCapacity, int recentCapacity, Duration maxWindow) {
    public static final BackfillConfig DEFAULTS = new BackfillConfig(Duration.ofSeconds(30), Duration.ofSeconds(10),
            50_000, 5_000, 64, 200, Duration.ofDays(3));

    public BackfillConfig {
        notNegative(marginBefore, "marginBefore");
        notNegative(marginAfter, "marginAfter");
        notNegative(maxWindow, "maxWindow");
        if (maxWindow.isZero()) throw new IllegalArgumentException("maxWindow must be positive");
        if (pageLimit < 1) throw new IllegalArgumentException("pageLimit must be >= 1");
        if (batchRows < 1) throw new IllegalArgumentException("batchRows must be >= 1");
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1");
        if (recentCapacity < 1) throw new IllegalArgumentException("recentCapacity must be >= 1");
    }

    public BackfillConfig withMargins(Duration before, Duration after) {
        return new BackfillConfig(before, after, pageLimit, batchRows, queueCapacity, recentCapacity, maxWindow);
    }

    public BackfillConfig withBatchRows(int rows) {
        return new BackfillConfig(marginBefore, marginAfter, pageLimit, rows, queueCapacity, recentCapacity, maxWindow);
    }

    public BackfillConfig withQueueCapacity(int jobs) {
        return new BackfillConfig(marginBefore, marginAfter, pageLimit, batchRows, jobs, recentCapacity, maxWindow);
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative");
    }
}
