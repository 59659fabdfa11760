package com.systemtrader.storage;

import com.systemtrader.credentials.Secret;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code storage} section of {@code config/collector_config.yaml}. The password is not part of it (credentials
 * never go into that file): it comes from {@link #PASSWORD_ENV} or, as libpq does, {@code PGPASSWORD}.
 *
 * @param url                 JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/system_trader}
 * @param user                database role
 * @param mode                {@code auto} (detect, storage.md 1.2), {@code timescaledb} or {@code postgresql}
 * @param migrateOnStart      run pending migrations when the service starts
 * @param tickChunkInterval   TimescaleDB chunk interval of {@code websocket_data}
 * @param barChunkInterval    TimescaleDB chunk interval of {@code market_data}
 * @param tickCompressAfter   compress {@code websocket_data} chunks older than this (TimescaleDB)
 * @param barCompressAfter    compress {@code market_data} chunks older than this (TimescaleDB)
 * @param tickRetentionDays   drop ticks older than this many days; 0 keeps them
 * @param barRetentionDays    drop bars older than this many days; 0 keeps them
 * @param rollupRetentionDays drop OHLCV roll-up buckets older than this many days; 0 keeps them
 * @param partitionPremakeDays daily partitions made ahead of today (PostgreSQL mode)
 * @param quarantineRetentionDays delete {@code quarantine} rows older than this many days (both modes, by the
 *                            application's maintenance); 0 keeps them
 */
public record StorageConfig(String url, String user, String mode, boolean migrateOnStart, Duration tickChunkInterval,
                            Duration barChunkInterval, Duration tickCompressAfter, Duration barCompressAfter,
                            int tickRetentionDays, int barRetentionDays, int rollupRetentionDays,
                            int partitionPremakeDays, int quarantineRetentionDays) {
    /** Environment variable holding the database password. */
    public static final String PASSWORD_ENV = "SYSTEM_TRADER_DB_PASSWORD";
    /** Days of quarantined messages kept by default. */
    public static final int DEFAULT_QUARANTINE_RETENTION_DAYS = 30;

    public StorageConfig {
        if (quarantineRetentionDays < 0) {
            throw new IllegalArgumentException("quarantine retention days must be >= 0, got " + quarantineRetentionDays);
        }
    }

    /** With the default quarantine retention ({@link #DEFAULT_QUARANTINE_RETENTION_DAYS}). */
    public StorageConfig(String url, String user, String mode, boolean migrateOnStart, Duration tickChunkInterval,
                         Duration barChunkInterval, Duration tickCompressAfter, Duration barCompressAfter,
                         int tickRetentionDays, int barRetentionDays, int rollupRetentionDays,
                         int partitionPremakeDays) {
        this(url, user, mode, migrateOnStart, tickChunkInterval, barChunkInterval, tickCompressAfter, barCompressAfter,
                tickRetentionDays, barRetentionDays, rollupRetentionDays, partitionPremakeDays,
                DEFAULT_QUARANTINE_RETENTION_DAYS);
    }

    public static StorageConfig defaults() {
        return new StorageConfig("jdbc:postgresql://127.0.0.1:5432/system_trader", "system_trader", "auto", true,
                Duration.ofHours(1), Duration.ofDays(7), Duration.ofHours(2), Duration.ofDays(7), 30, 0, 0, 7,
                DEFAULT_QUARANTINE_RETENTION_DAYS);
    }

    public StorageConfig withQuarantineRetentionDays(int days) {
        return new StorageConfig(url, user, mode, migrateOnStart, tickChunkInterval, barChunkInterval,
                tickCompressAfter, barCompressAfter, tickRetentionDays, barRetentionDays, rollupRetentionDays,
                partitionPremakeDays, days);
    }

    public StorageConfig withUrl(String newUrl) {
        return new StorageConfig(newUrl, user, mode, migrateOnStart, tickChunkInterval, barChunkInterval,
                tickCompressAfter, barCompressAfter, tickRetentionDays, barRetentionDays, rollupRetentionDays,
                partitionPremakeDays, quarantineRetentionDays);
    }

    public StorageConfig withUser(String newUser) {
        return new StorageConfig(url, newUser, mode, migrateOnStart, tickChunkInterval, barChunkInterval,
                tickCompressAfter, barCompressAfter, tickRetentionDays, barRetentionDays, rollupRetentionDays,
                partitionPremakeDays, quarantineRetentionDays);
    }

    public StorageConfig withMode(String newMode) {
        return new StorageConfig(url, user, newMode, migrateOnStart, tickChunkInterval, barChunkInterval,
                tickCompressAfter, barCompressAfter, tickRetentionDays, barRetentionDays, rollupRetentionDays,
                partitionPremakeDays, quarantineRetentionDays);
    }

    /** The password from the environment ({@link #PASSWORD_ENV}, then {@code PGPASSWORD}); empty for trust auth. */
    public static Optional<Secret> password(Map<String, String> env) {
        for (String name : new String[] {PASSWORD_ENV, "PGPASSWORD"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) return Optional.of(Secret.of(v));
        }
        return Optional.empty();
    }

    /** The values the migrations' {@code ${name}} placeholders take. */
    Map<String, String> placeholders(StorageMode m) {
        return Map.of("mode", m.label(),
                "quarantine_retention_days", Integer.toString(quarantineRetentionDays),
                "tick_chunk_interval", interval(tickChunkInterval), "bar_chunk_interval", interval(barChunkInterval),
                "tick_compress_after", interval(tickCompressAfter), "bar_compress_after", interval(barCompressAfter),
                "tick_retention_days", Integer.toString(tickRetentionDays),
                "bar_retention_days", Integer.toString(barRetentionDays),
                "rollup_retention_days", Integer.toString(rollupRetentionDays),
                "partition_premake_days", Integer.toString(partitionPremakeDays));
    }

    /** A PostgreSQL interval literal, e.g. {@code 3600 seconds}. */
    static String interval(Duration d) {
        return d.toSeconds() + " seconds";
    }
}
