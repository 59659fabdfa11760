package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code system-trader db status} shows: server and TimescaleDB, the mode and schema version, each table with
 * its partitions or chunks, estimated rows and size, the roll-ups, the health of TimescaleDB's jobs, and the last
 * run of each task of the application's maintenance ({@link MaintenanceScheduler}).
 *
 * @param mode     the recorded mode, or null for a database never migrated
 * @param pending  migrations of the mode not yet applied (versioned ones; repeatable ones re-run on config change)
 * @param tables   one line per table
 * @param rollups  one line per roll-up level (PostgreSQL mode: its watermark; TimescaleDB: the cagg)
 * @param jobs     one line per TimescaleDB job, with its last run status, failures and health
 * @param maintenance one line per task of the application's maintenance: its last run, outcome, detail and
 *                 failures in the last 24 hours; null when {@code maintenance_runs} does not exist yet
 */
public record StorageStatus(String server, ServerProbe probe, StorageMode mode, int version, List<String> pending,
                            List<Table> tables, List<String> rollups, List<String> jobs, List<String> maintenance) {
    static final List<String> TABLES = List.of("websocket_data", "market_data", "quarantine", "gap_ledger");

    /**
     * @param parts partitions (PostgreSQL) or chunks (TimescaleDB); compressed chunks among them
     * @param note  what the table's line says instead of parts for a plain table (the quarantine's retention), or null
     */
    public record Table(String name, boolean exists, int parts, int compressed, long rows, long bytes, String note) {}

    public static StorageStatus read(Database db) {
        try (Connection c = db.connect()) {
            return read(c);
        } catch (SQLException e) {
            throw new StorageException("cannot read the status of " + db.where() + ": " + db.scrub(e.getMessage()), null);
        }
    }

    static StorageStatus read(Connection c) throws SQLException {
        ServerProbe probe = ServerProbe.probe(c);
        String server = one(c, "SELECT version()");
        String recorded = MigrationRunner.recordedMode(c);
        if (recorded == null) return new StorageStatus(server, probe, null, 0, List.of(), List.of(), List.of(), List.of(), null);
        StorageMode mode = StorageMode.ofLabel(recorded);
        int version = Integer.parseInt(one(c, "SELECT coalesce(max(version), 0) FROM schema_version"));
        Set<String> applied = new TreeSet<>(strings(c, "SELECT script FROM schema_version"));
        List<String> pending = Migration.load(mode).stream().filter(m -> !m.repeatable())
                .map(Migration::script).filter(s -> !applied.contains(s)).toList();
        List<Table> tables = new ArrayList<>();
        for (String t : TABLES) tables.add(table(c, t, mode));
        List<String> rollups = mode == StorageMode.POSTGRESQL
                ? strings(c, "SELECT 'ohlcv_' || l.name || ': materialized to ' || coalesce(w.refreshed_to::text, 'never')"
                        + " || coalesce(' (refreshed ' || w.refreshed_at::text || ')', '')"
                        + " FROM ohlcv_levels l LEFT JOIN rollup_watermark w USING (name) ORDER BY l.position")
                : strings(c, "SELECT view_name || ': continuous aggregate, materialized_only=' || materialized_only"
                        + " FROM timescaledb_information.continuous_aggregates ORDER BY view_name");
        List<String> jobs = mode == StorageMode.POSTGRESQL
                ? List.of("none on the server: the application's maintenance makes partitions, refreshes roll-ups "
                        + "and applies retention")
                : MaintenanceJobs.read(c).stream().map(MaintenanceJobs.Job::line).toList();
        List<MaintenanceLog.Last> last = MaintenanceLog.summary(c);
        List<String> maintenance = last == null ? null : last.stream().map(MaintenanceLog.Last::line).toList();
        return new StorageStatus(server, probe, mode, version, pending, tables, rollups, jobs, maintenance);
    }

    private static Table table(Connection c, String name, StorageMode mode) throws SQLException {
        if (one(c, "SELECT to_regclass('" + name + "')") == null) return new Table(name, false, 0, 0, 0, 0, null);
        String children = mode == StorageMode.TIMESCALEDB
                ? "SELECT format('%I.%I', chunk_schema, chunk_name)::regclass AS oid, is_compressed"
                  + " FROM timescaledb_information.chunks WHERE hypertable_name = ?"
                : "SELECT inhrelid::regclass AS oid, false AS is_compressed FROM pg_inherits"
                  + " WHERE inhparent = ?::regclass";
        String q = "WITH p AS (" + children + "), r AS (SELECT ?::regclass AS oid, false AS is_compressed"
                + " UNION ALL SELECT oid, is_compressed FROM p)"
                + " SELECT (SELECT count(*) FROM p), (SELECT count(*) FILTER (WHERE is_compressed) FROM p),"
                // n_live_tup counts inserts as they commit; reltuples only moves with ANALYZE or VACUUM, and a table
                // never analyzed (autovacuum off) showed ~0 rows for 192,266
                + " (SELECT coalesce(sum(greatest(c.reltuples, s.n_live_tup, 0)), 0)::bigint FROM r"
                + " JOIN pg_class c ON c.oid = r.oid LEFT JOIN pg_stat_all_tables s ON s.relid = r.oid),"
                + (mode == StorageMode.TIMESCALEDB
                        ? " (SELECT coalesce(hypertable_size(?::regclass), pg_total_relation_size(?::regclass)))"
                        : " (SELECT coalesce(sum(pg_total_relation_size(oid)), 0) FROM r WHERE ? <> '' AND ? <> '')");
        try (PreparedStatement p = c.prepareStatement(q)) {
            for (int i = 1; i <= 4; i++) p.setString(i, name);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return new Table(name, true, r.getInt(1), r.getInt(2), r.getLong(3), r.getLong(4), note(c, name));
            }
        }
    }

    /** The quarantine's retention as last applied by the migrations ({@code storage_settings}); null for the others. */
    private static String note(Connection c, String table) throws SQLException {
        if (!table.equals("quarantine") || one(c, "SELECT to_regclass('storage_settings')") == null) return null;
        String days = one(c, "SELECT value FROM storage_settings WHERE name = 'quarantine_retention_days'");
        return days == null ? null : days.equals("0") ? "kept forever" : "kept " + days + " days";
    }

    /** The report as printed by {@code db status}. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("server:      ").append(server).append('\n');
        b.append("timescaledb: ").append(probe.tsInstalled() != null ? probe.tsInstalled() + " installed ("
                        + probe.tsLicense() + " licence)"
                : probe.tsAvailable() != null ? probe.tsAvailable() + " available, "
                        + (Boolean.TRUE.equals(probe.tsPreloaded()) ? "preloaded" : "not preloaded")
                : "not available").append('\n');
        if (mode == null) {
            return b.append("mode:        none (never migrated; run: system-trader db migrate)\n").toString();
        }
        b.append("mode:        ").append(mode.label()).append('\n');
        b.append("schema:      version ").append(version)
                .append(pending.isEmpty() ? ", up to date" : ", pending: " + String.join(", ", pending)).append('\n');
        b.append("tables:      (~ rows: the server's running estimate, not a count)\n");
        for (Table t : tables) {
            if (!t.exists()) {
                b.append(String.format("  %-15s missing%n", t.name()));
                continue;
            }
            String parts = t.name().equals("websocket_data") || t.name().equals("market_data")
                    ? (mode == StorageMode.TIMESCALEDB ? t.parts() + " chunks (" + t.compressed() + " compressed)"
                    : t.parts() + " partitions") : t.note() != null ? t.note() : "-";
            b.append(String.format("  %-15s %-28s ~%d rows, %s%n", t.name(), parts, t.rows(), size(t.bytes())));
        }
        b.append("roll-ups:\n");
        rollups.forEach(r -> b.append("  ").append(r).append('\n'));
        b.append("jobs:\n");
        if (jobs.isEmpty()) b.append("  none\n");
        jobs.forEach(j -> b.append("  ").append(j).append('\n'));
        b.append("maintenance:\n");
        if (maintenance == null) {
            b.append("  maintenance_runs missing (run: system-trader db migrate)\n");
        } else if (maintenance.isEmpty()) {
            b.append("  never run (the service runs it; once now: system-trader db maintain)\n");
        }
        if (maintenance != null) maintenance.forEach(m -> b.append("  ").append(m).append('\n'));
        return b.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return bytes / 1024 + " kB";
        if (bytes < 1024L * 1024 * 1024) return bytes / (1024 * 1024) + " MB";
        return String.format("%.1f GB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) out.add(r.getString(1));
        }
        return out;
    }
}
