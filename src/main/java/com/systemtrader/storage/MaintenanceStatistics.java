package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the planner's statistics of the hot tick and bar partitions (or TimescaleDB chunks) fresh: {@code ANALYZE} of
 * every one whose rows changed by more than a tenth since it was last analyzed (by anyone) and that was not analyzed
 * in the last minute. Autovacuum normally does this, but it may be off (it was, on a server these benchmarks ran on)
 * or behind under a sustained ingest, and a never-analyzed partition of 23 million rows made the planner look a
 * correction's trade up through the unique key's time range (seconds per lookup) instead of
 * {@code websocket_data_trade_id} (0.1 ms). An ANALYZE samples 30,000 rows whatever the table's size.
 */
final class MaintenanceStatistics {
    static final String STALE = "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables"
            + " WHERE (relname LIKE 'websocket\\_data\\_p%' OR relname LIKE 'market\\_data\\_p%'"
            + " OR (schemaname = '_timescaledb_internal' AND relname LIKE '\\_hyper\\_%'))"
            + " AND n_mod_since_analyze > 1000 AND n_mod_since_analyze > 0.1 * n_live_tup"
            + " AND coalesce(greatest(last_analyze, last_autoanalyze), '-infinity') < now() - interval '1 minute'"
            + " ORDER BY n_mod_since_analyze DESC LIMIT 8";

    private MaintenanceStatistics() {}

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
