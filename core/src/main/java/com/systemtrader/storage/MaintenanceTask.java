package com.systemtrader.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The units of work of the application's maintenance ({@link MaintenanceScheduler}), in the order they run. */
public enum MaintenanceTask {
    /** PostgreSQL mode: daily partitions from yesterday to {@code storage.partition_premake_days} ahead. */
    PARTITIONS,
    /** Roll-ups: refresh the recent window (PostgreSQL), or the continuous aggregates whose jobs fail (TimescaleDB). */
    ROLLUPS,
    /** Drop partitions (PostgreSQL) or chunks (TimescaleDB, when the retention jobs fail) older than the retention;
     *  delete quarantine rows older than {@code storage.quarantine_retention_days} (both modes). */
    RETENTION,
    /** TimescaleDB: compress chunks older than compress-after when the columnstore jobs fail. */
    COMPRESSION;

    /** The spelling of {@code db maintain --task}, metrics tags and {@code maintenance_runs.task}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known tasks */
    public static MaintenanceTask ofLabel(String label) {
        for (MaintenanceTask t : values()) {
            if (t.label().equals(label.strip().toLowerCase(Locale.ROOT))) return t;
        }
        throw new IllegalArgumentException("unknown maintenance task " + label + " (known: " + labels() + ")");
    }

    public static String labels() {
        return Arrays.stream(values()).map(MaintenanceTask::label).collect(Collectors.joining(", "));
    }
}
