package com.systemtrader.storage;

import java.time.Duration;

/**
 * How often the application's maintenance runs each task, and what it keeps. The retention, premake and
 * compress-after values themselves come from {@link StorageConfig}.
 *
 * @param enabled             the service starts the scheduler ({@code db maintain} runs the tasks regardless)
 * @param partitionsEvery     how often daily partitions are made ahead (PostgreSQL mode)
 * @param rollupsEvery        how often the roll-up task runs: 1m refreshes every run, the levels above at most once per
 *                            their policy's period (5m every 5 min, 15m and 1h every 15 min, 1d hourly)
 * @param retentionEvery      how often old partitions, chunks and roll-up buckets are dropped
 * @param compressionEvery    how often TimescaleDB compression is checked (and done when its job fails)
 * @param rollupLookback      the window the 1-minute level recomputes on each refresh (late trades older than this
 *                            stay out of the roll-ups); higher levels use the windows of the TimescaleDB policies
 * @param keepRuns            rows of {@code maintenance_runs} kept per task; {@code db status} counts the failures
 *                            of the last 24 h among them, so keep at least a day of the most frequent task (1440
 *                            runs of the roll-ups at one a minute)
 * @param lockTimeout         {@code lock_timeout} of the maintenance session, so that partition DDL never stalls
 *                            the writers behind a long lock queue (the task fails and retries at its next interval)
 */
public record MaintenanceConfig(boolean enabled, Duration partitionsEvery, Duration rollupsEvery,
                                Duration retentionEvery, Duration compressionEvery, Duration rollupLookback,
                                int keepRuns, Duration lockTimeout) {
    public MaintenanceConfig {
        for (Duration d : new Duration[] {partitionsEvery, rollupsEvery, retentionEvery, compressionEvery,
                rollupLookback, lockTimeout}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("maintenance durations must be > 0");
        }
        if (keepRuns < 1) throw new IllegalArgumentException("maintenance keep_runs must be >= 1, got " + keepRuns);
        if (rollupLookback.compareTo(Duration.ofMinutes(2)) < 0) {
            throw new IllegalArgumentException("maintenance rollup lookback must be at least 2 minutes (two 1-minute "
                    + "buckets), got " + rollupLookback);
        }
    }

    public static MaintenanceConfig defaults() {
        return new MaintenanceConfig(true, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofMinutes(30), Duration.ofHours(2), 1500, Duration.ofSeconds(10));
    }

    /** How often {@code task} runs. */
    Duration every(MaintenanceTask task) {
        return switch (task) {
            case PARTITIONS -> partitionsEvery;
            case ROLLUPS -> rollupsEvery;
            case RETENTION -> retentionEvery;
            case COMPRESSION -> compressionEvery;
        };
    }
}
