package com.systemtrader.storage;

import java.util.Locale;

/**
 * Which schema the database gets: TimescaleDB hypertables, columnstore and continuous aggregates, or plain
 * PostgreSQL partitions, roll-up tables and the {@code tscompat} functions. Both expose the same tables, views and
 * columns, so queries do not change with the mode.
 */
public enum StorageMode {
    TIMESCALEDB,
    POSTGRESQL;

    /** The configuration and {@code schema_version} spelling: {@code timescaledb} or {@code postgresql}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The classpath folder holding this mode's migrations. */
    String resourceDir() {
        return "db/" + label() + "/";
    }

    public static StorageMode ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
