package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what the planner and the range reads know of the hot tick and bar partitions (or TimescaleDB chunks) fresh.
 * Statistics: {@code ANALYZE} of
 * every one whose rows changed by more than a tenth since it was last analyzed (by anyone) and that was not analyzed
 * in the last minute. Autovacuum normally does this, but it may be off (it was, on a server these benchmarks ran on)
 * or behind under a sustained ingest, and a never-analyzed partition of 23 million rows made the planner look a
 * correction's trade up through the unique key's time range (seconds per lookup) instead of
 * {@code websocket_data_trade_id} (0.1 ms). An ANALYZE samples 30,000 rows whatever the table's size.
 * BRIN summaries (PostgreSQL mode): {@code brin_summarize_new_values} of each partition of
 * {@code websocket_data_time_brin}, which the roll-up refreshes read through; autosummarize needs autovacuum, and
 * a page range not summarized is read by every range scan. Summarizing reads only the pages added since the last
 * run. A partition whose lock is taken (a VACUUM running) is left to the next run.
 */
final class MaintenanceStatistics {
    static final String STALE = "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables"
            + " WHERE (relname LIKE 'websocket\\_data\\_p%' OR relname LIKE 'market\\_data\\_p%'"
            + " OR (schemaname = '_timescaledb_internal' AND relname LIKE '\\_hyper\\_%'))"
            + " AND n_mod_since_analyze > 1000 AND n_mod_since_analyze > 0.1 * n_live_tup"
            + " AND coalesce(greatest(last_analyze, last_autoanalyze), '-infinity') < now() - interval '1 minute'"
            + " ORDER BY n_mod_since_analyze DESC LIMIT 8";

    static final String BRIN_PARTITIONS = "SELECT i.inhrelid::regclass::text FROM pg_inherits i"
            + " WHERE i.inhparent = to_regclass('websocket_data_time_brin') ORDER BY 1";
    /** SQLSTATE lock_not_available (the maintenance connection's lock_timeout ran out). */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private MaintenanceStatistics() {}

    /**
     * Summarizes the new page ranges of every partition's time BRIN index (autocommit connection: one statement
     * each); returns the number of page ranges summarized. Nothing when the index does not exist (TimescaleDB mode).
     */
    static long summarize(Connection c) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(BRIN_PARTITIONS)) {
            while (r.next()) indexes.add(r.getString(1));
        }
        long ranges = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT brin_summarize_new_values(?::regclass)")) {
            for (String index : indexes) {
                p.setString(1, index);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    ranges += r.getLong(1);
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) throw e;
                }
            }
        }
        return ranges;
    }

    /** Analyzes the stale hot tables; returns their names (empty when every one is fresh). */
    static List<String> refresh(Connection c) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(STALE)) {
            while (r.next()) stale.add(r.getString(1));
        }
        try (Statement s = c.createStatement()) {
            for (String table : stale) s.execute("ANALYZE " + table);
        }
        return stale;
    }
}
