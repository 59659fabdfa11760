package com.systemtrader.storage;

/**
 * Where the storage writer reports the trade time ranges it wrote trades into or whose stored trades changed
 * (corrections and cancels), so that the materialized OHLCV roll-ups over them are recomputed later, off the write
 * path ({@link RollupRefresher}): this is how a trade written after its minute was materialized (late, or replayed
 * from the journal after an outage) reaches the roll-ups. Called from the writer's threads after the write
 * committed: an implementation must not block, must not touch the database and must be thread-safe.
 */
@FunctionalInterface
public interface DirtyRollups {
    /** Reports nothing (no roll-up refresh after late writes or corrections; only the maintenance's start-up pass
     *  over its lookback window catches them up). */
    DirtyRollups NONE = (from, to) -> { };

    /** Marks the trades in {@code [fromEpochSecond, toEpochSecond)} written or changed. */
    void markDirty(long fromEpochSecond, long toEpochSecond);

    /** Marks the one-minute bucket holding {@code epochSecond} written or changed. */
    default void markMinute(long epochSecond) {
        long start = Math.floorDiv(epochSecond, 60) * 60;
        markDirty(start, start + 60);
    }
}
