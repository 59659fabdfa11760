package com.systemtrader.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * One run of a maintenance task, as stored in {@code maintenance_runs}.
 *
 * @param mode the database's mode, or null when it could not be read (no connection, never migrated)
 */
public record MaintenanceRun(MaintenanceTask task, StorageMode mode, Instant started, Instant finished,
                             MaintenanceOutcome outcome) {
    public Duration duration() {
        return Duration.between(started, finished);
    }

    /** One line for logs and {@code db maintain}: task, outcome, duration, detail. */
    public String line() {
        return String.format("%-12s %-8s %6d ms  %s", task.label(), outcome.status().label(), duration().toMillis(),
                outcome.detail());
    }
}
