package com.systemtrader.storage;

/**
 * Where the storage writer reports trade time ranges whose stored trades changed after they were written
 * (corrections and cancels), so that the materialized OHLCV roll-ups over them are recomputed later, off the write
 * path ({@link RollupRefresher}). Called from the writer's threads after the change committed: an implementation
 * must not block, must not touch the database and must be thread-safe.
 */
@FunctionalInterface
public interface DirtyRollups {
    /** Reports nothing (no roll-up refresh after corrections; the maintenance window alone catches up). */
    DirtyRollups NONE = (from, to) -> { };

    /** Marks the trades in {@code [fromEpochSecond, toEpochSecond)} changed. */
    void markDirty(long fromEpochSecond, long toEpochSecond);

    /** Marks the one-minute bucket holding {@code epochSecond} changed. */
    default void markMinute(long epochSecond) {
        long start = Math.floorDiv(epochSecond, 60) * 60;
        markDirty(start, start + 60);
    }
}
