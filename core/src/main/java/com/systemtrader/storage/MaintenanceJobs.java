package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The health of TimescaleDB's own policy jobs (storage.md 1.9: on PostgreSQL 15.20 every background job failed
 * while the same work ran fine from a session). The maintenance does a job's work itself when the job is missing
 * or not healthy; {@code db status} shows the verdict next to each job.
 */
final class MaintenanceJobs {
    static final String REFRESH = "policy_refresh_continuous_aggregate";
    static final String RETENTION = "policy_retention";
    static final String COMPRESSION = "policy_compression";   // also the proc of add_columnstore_policy (2.18+)

    /**
     * Every policy job with its target (hypertable, or the continuous aggregate for refresh and retention jobs on
     * one) and a verdict: {@code paused} (not scheduled), {@code failing} (last run failed), {@code never run}
     * (first run overdue by 5 minutes: no background worker runs it), {@code pending} (created, first run not due),
     * {@code overdue} (no success within two intervals and 5 minutes), {@code healthy}.
     */
    static final String QUERY = """
            SELECT coalesce(ca.view_name::text, j.hypertable_name::text) AS target, j.proc_name::text, j.job_id,
                   CASE WHEN NOT j.scheduled THEN 'paused'
                        WHEN s.last_run_status = 'Failed' THEN 'failing'
                        WHEN coalesce(s.total_runs, 0) = 0 THEN
                             CASE WHEN coalesce(s.next_start, j.next_start) < now() - INTERVAL '5 minutes'
                                  THEN 'never run' ELSE 'pending' END
                        WHEN s.last_successful_finish IS NULL
                          OR s.last_successful_finish < now() - 2 * j.schedule_interval - INTERVAL '5 minutes'
                             THEN 'overdue'
                        ELSE 'healthy' END AS health,
                   j.schedule_interval::text, coalesce(s.last_run_status, 'never'), coalesce(s.total_failures, 0),
                   coalesce(s.total_runs, 0), s.next_start::text
            FROM timescaledb_information.jobs j
            LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
            LEFT JOIN timescaledb_information.continuous_aggregates ca
                   ON ca.materialization_hypertable_schema = j.hypertable_schema
                  AND ca.materialization_hypertable_name = j.hypertable_name
            WHERE j.job_id >= 1000
            ORDER BY j.job_id""";

    private static final Set<String> HEALTHY = Set.of("healthy", "pending");

    /** One policy job. */
    record Job(String target, String proc, int id, String health, String every, String lastStatus, long failures,
               long runs, String nextStart) {
        boolean healthy() {
            return HEALTHY.contains(health);
        }

        /** The line of {@code db status}. */
        String line() {
            return "job " + id + " " + proc + (target == null ? "" : " on " + target) + ": every " + every
                    + ", last run " + lastStatus + ", failures " + failures + "/" + runs
                    + (nextStart == null ? "" : ", next " + nextStart) + ", " + health
                    + (healthy() ? "" : " (the application's maintenance does its work)");
        }
    }

    private MaintenanceJobs() {}

    static List<Job> read(Connection c) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(QUERY)) {
            while (r.next()) {
                out.add(new Job(r.getString(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5),
                        r.getString(6), r.getLong(7), r.getLong(8), r.getString(9)));
            }
        }
        return out;
    }

    /**
     * The targets among {@code targets} whose {@code proc} job is missing or not healthy, each with the reason,
     * e.g. {@code ohlcv_1m (job 1003 failing)} or {@code market_data (no job)}.
     */
    static List<Unhealthy> unhealthy(List<Job> jobs, String proc, Collection<String> targets) {
        List<Unhealthy> out = new ArrayList<>();
        for (String t : targets) {
            Job job = jobs.stream().filter(j -> proc.equals(j.proc()) && t.equals(j.target())).findFirst().orElse(null);
            if (job == null) out.add(new Unhealthy(t, "no job"));
            else if (!job.healthy()) out.add(new Unhealthy(t, "job " + job.id() + " " + job.health()));
        }
        return out;
    }

    /** A target whose job does not do the work. */
    record Unhealthy(String target, String reason) {
        @Override public String toString() {
            return target + " (" + reason + ")";
        }
    }

    /** The TimescaleDB version has the columnstore names (2.18+). */
    static boolean columnstore(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT coalesce((regexp_match(extversion, '^(\\d+)\\.(\\d+)'))[1:2]::int[] >= ARRAY[2, 18], false)"
                        + " FROM pg_extension WHERE extname = 'timescaledb'")) {
            return r.next() && r.getBoolean(1);
        }
    }
}
