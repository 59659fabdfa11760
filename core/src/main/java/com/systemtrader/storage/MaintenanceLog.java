package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code maintenance_runs} (db/postgresql/V5__maintenance.sql, db/timescaledb/V3__maintenance.sql): one row
 * per run, the newest {@code keep} rows per task, and the summary {@code db status} shows.
 */
final class MaintenanceLog {
    static final String INSERT = "INSERT INTO maintenance_runs (task, mode, started_at, finished_at, outcome, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    /** Deletes every run of a task older than its {@code keep} newest. */
    static final String TRIM = "DELETE FROM maintenance_runs WHERE task = ? AND id <= (SELECT id FROM maintenance_runs"
            + " WHERE task = ? ORDER BY id DESC OFFSET ? LIMIT 1)";
    /** The last run of each task, with its failures in the last 24 hours. */
    static final String SUMMARY = """
            SELECT r.task, to_char(r.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"'), r.outcome, r.detail,
                   (SELECT count(*) FROM maintenance_runs f WHERE f.task = r.task AND f.outcome = 'failed'
                      AND f.started_at > now() - INTERVAL '24 hours'),
                   (SELECT to_char(max(o.finished_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"')
                      FROM maintenance_runs o WHERE o.task = r.task AND o.outcome <> 'failed')
            FROM (SELECT DISTINCT ON (task) * FROM maintenance_runs ORDER BY task, id DESC) r""";

    /** The last run of a task as {@code db status} shows it. */
    record Last(String task, String finished, String outcome, String detail, long failures24h, String lastSuccess) {
        String line() {
            return String.format("%-12s %-8s %s  %s; %d failed in 24 h%s", task, outcome, finished, detail,
                    failures24h, outcome.equals("failed")
                            ? ", last success " + (lastSuccess == null ? "never" : lastSuccess) : "");
        }
    }

    private MaintenanceLog() {}

    /** Records {@code run} and trims its task to the newest {@code keep} runs, in one transaction. */
    static void record(Connection c, MaintenanceRun run, int keep) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement p = c.prepareStatement(INSERT)) {
                p.setString(1, run.task().label());
                p.setString(2, run.mode() == null ? "unknown" : run.mode().label());
                p.setTimestamp(3, Timestamp.from(run.started()));
                p.setTimestamp(4, Timestamp.from(run.finished()));
                p.setString(5, run.outcome().status().label());
                p.setString(6, run.outcome().detail());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(TRIM)) {
                p.setString(1, run.task().label());
                p.setString(2, run.task().label());
                p.setInt(3, keep);
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the caller re-opens it
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // as above
            }
        }
    }

    /** The last run of each task in task order, or null when the table does not exist (V5/V3 not applied). */
    static List<Last> summary(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('maintenance_runs') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) return null;
        }
        List<Last> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(SUMMARY)) {
            while (r.next()) {
                rows.add(new Last(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                        r.getString(6)));
            }
        }
        List<Last> ordered = new ArrayList<>();
        for (MaintenanceTask t : MaintenanceTask.values()) {
            rows.stream().filter(l -> l.task().equals(t.label())).forEach(ordered::add);
        }
        rows.stream().filter(l -> !ordered.contains(l)).forEach(ordered::add);
        return ordered;
    }
}
