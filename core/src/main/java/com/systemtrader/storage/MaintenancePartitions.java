package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL mode: daily partitions from yesterday to {@code storage.partition_premake_days} ahead of today (UTC),
 * for {@code websocket_data}, {@code market_data} and every other table of the schema partitioned the same way
 * (RANGE on one timestamptz column, partitions named {@code <table>_pYYYYMMDD}). TimescaleDB makes its chunks on
 * insert: not applicable there.
 */
final class MaintenancePartitions implements MaintenanceWork {
    /** The daily-partitioned tables of the current schema. */
    static final String TABLES = """
            SELECT c.relname::text
            FROM pg_partitioned_table p
            JOIN pg_class c ON c.oid = p.partrelid
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
            WHERE c.relnamespace = current_schema()::regnamespace AND NOT c.relispartition
              AND p.partstrat = 'r' AND p.partnatts = 1 AND a.atttypid = 'timestamptz'::regtype
              AND (c.relname IN ('websocket_data', 'market_data')
                   OR EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid
                              WHERE i.inhparent = c.oid AND k.relname ~ ('^' || c.relname || '_p[0-9]{8}$')))
            ORDER BY c.relname""";

    private final int premakeDays;

    MaintenancePartitions(int premakeDays) {
        this.premakeDays = premakeDays;
    }

    @Override public MaintenanceOutcome run(Connection c, StorageMode mode) throws SQLException {
        if (mode == StorageMode.TIMESCALEDB) {
            return MaintenanceOutcome.skipped("not applicable in timescaledb mode (chunks are made on insert)");
        }
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(TABLES)) {
            while (r.next()) tables.add(r.getString(1));
        }
        if (tables.isEmpty()) return MaintenanceOutcome.failed("no partitioned tables found in the current schema");
        int total = 0;
        List<String> per = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT ensure_daily_partitions(?::regclass, (now() AT TIME ZONE 'UTC')::date - 1, ?)")) {
            for (String t : tables) {
                p.setString(1, t);
                p.setInt(2, premakeDays + 2);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    int n = r.getInt(1);
                    total += n;
                    per.add(t + " " + n);
                }
            }
        }
        String through;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT to_char((now() AT TIME ZONE 'UTC')::date + " + premakeDays + ", 'YYYY-MM-DD')")) {
            r.next();
            through = r.getString(1);
        }
        return MaintenanceOutcome.ok(total + (total == 1 ? " partition" : " partitions") + " created ("
                + String.join(", ", per) + "); daily partitions through " + through);
    }
}
