package com.systemtrader.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code system-trader run} process does ({@code service.role}, or {@code run --role}). {@link #ALL} is the
 * single-process service; the others split it across processes that meet on the Kafka bus ({@code bus.*}).
 */
public enum ServiceRole {
    /** Everything in one process: collectors, cleaner, caches, database writer, API (and publishing to the bus when
     *  one is configured). */
    ALL,
    /** Collectors and cleaner publishing to the bus; backfill, gap ledger and quarantine go to the database. */
    COLLECTOR,
    /** Consumes the bus in the store group and writes the database (offsets committed after the database commit). */
    STORE,
    /** Consumes the bus in the cache group and writes the memory cache and Redis. */
    CACHE,
    /** The HTTP API only, answering from Redis, the database and the providers' REST APIs. */
    API;

    /** The word used in the file and on the command line. */
    public String token() { return name().toLowerCase(Locale.ROOT); }

    /** Every role's word, in declaration order. */
    public static List<String> tokens() { return Arrays.stream(values()).map(ServiceRole::token).toList(); }

    /** The role named {@code token} (case-insensitive). */
    public static ServiceRole of(String token) {
        for (ServiceRole r : values()) if (r.token().equalsIgnoreCase(token)) return r;
        throw new IllegalArgumentException("unknown role " + token + " (allowed: " + String.join(", ", tokens()) + ")");
    }

    /** True when the process runs the feeds' collectors. */
    public boolean collects() { return this == ALL || this == COLLECTOR; }
}
