package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How the {@link RollupRefresher} recomputes the roll-up buckets of written ranges, by storage mode; chosen from what
 * the database has ({@link #of}). Each runs on the refresher's thread and connection.
 */
interface RollupRanges {
    /**
     * Recomputes the buckets of every level that overlap {@code ranges} ({@code [from, to)} in epoch seconds, sorted
     * and merged); returns how many buckets it recomputed.
     */
    long refresh(Connection c, List<long[]> ranges, long nowEpochSecond) throws SQLException;

    /** The strategy for the database behind {@code c}, or null when it has no roll-ups (yet: not migrated). */
    static RollupRanges of(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT to_regprocedure("
                    + "'refresh_ohlcv_buckets(text, timestamptz[], timestamptz[])') IS NOT NULL")) {
                r.next();
                if (r.getBoolean(1)) {
                    List<String> names = new ArrayList<>();
                    try (ResultSet l = s.executeQuery("SELECT name FROM ohlcv_levels ORDER BY position")) {
                        while (l.next()) names.add(l.getString(1));
                    }
                    return new Postgres(names);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT to_regclass('timescaledb_information.continuous_aggregates')"
                    + " IS NOT NULL AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')")) {
                r.next();
                if (!r.getBoolean(1)) return null;
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM timescaledb_information.continuous_aggregates"
                    + " WHERE view_name = 'ohlcv_1m'")) {
                r.next();
                return r.getLong(1) > 0 ? new Timescale() : null;
            }
        }
    }

    private static OffsetDateTime time(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC);
    }

    /**
     * PostgreSQL mode: {@code SELECT refresh_ohlcv_buckets(level, froms, tos)} per level bottom-up, each in a
     * transaction of its own: each materialized bucket overlapping the ranges once; buckets above a level's watermark
     * are live in its view already.
     */
    record Postgres(List<String> levels) implements RollupRanges {
        private static final String REFRESH = "SELECT refresh_ohlcv_buckets(?, ?::timestamptz[], ?::timestamptz[])";

        @Override public long refresh(Connection c, List<long[]> ranges, long nowEpochSecond) throws SQLException {
            OffsetDateTime[] from = new OffsetDateTime[ranges.size()];
            OffsetDateTime[] to = new OffsetDateTime[ranges.size()];
            for (int i = 0; i < ranges.size(); i++) {
                from[i] = time(ranges.get(i)[0]);
                to[i] = time(ranges.get(i)[1]);
            }
            long n = 0;
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(REFRESH)) {
                p.setArray(2, c.createArrayOf("timestamptz", from));
                p.setArray(3, c.createArrayOf("timestamptz", to));
                for (String level : levels) {
                    p.setString(1, level);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        n += r.getInt(1);
                    }
                    c.commit();
                }
            }
            return n;
        }
    }

    /**
     * TimescaleDB mode: a continuous aggregate's refresh policy recomputes only its own window (the last 2 hours of
     * {@code ohlcv_1m}, ... 7 days of {@code ohlcv_1d}: {@link MaintenanceRollups#LEVELS}), and only at its next run
     * (up to an hour away for {@code ohlcv_1d}; on PostgreSQL 15.20 the jobs report failure). A written range older
     * than a level's window would stay out of that level for good, and one inside it stale until the policy ran. So
     * for each level bottom-up, every bucket a range overlaps that the policy would materialize (ended at least the
     * policy's end offset ago) is refreshed now with {@code CALL refresh_continuous_aggregate} (autocommit: it cannot
     * run in a transaction block), consecutive buckets in one call. Buckets newer than that are answered live by the
     * aggregate's real-time part ({@code materialized_only = false}): the writer's marks of live trades cost nothing.
     */
    record Timescale() implements RollupRanges {
        @Override public long refresh(Connection c, List<long[]> ranges, long nowEpochSecond) throws SQLException {
            long n = 0;
            c.setAutoCommit(true);
            try (PreparedStatement p = c.prepareStatement("CALL refresh_continuous_aggregate(?::regclass, ?, ?)")) {
                for (MaintenanceRollups.Level l : MaintenanceRollups.LEVELS) {
                    long w = l.width().toSeconds();
                    long materializable = Math.floorDiv(nowEpochSecond - l.endOffset().toSeconds(), w) * w;
                    long[] open = null;   // consecutive bucket-aligned ranges merged into one call
                    List<long[]> calls = new ArrayList<>();
                    for (long[] r : ranges) {
                        long f = Math.floorDiv(r[0], w) * w;
                        long t = Math.min(-Math.floorDiv(-r[1], w) * w, materializable);
                        if (t <= f) continue;
                        if (open != null && f <= open[1]) {
                            open[1] = Math.max(open[1], t);
                        } else {
                            open = new long[] {f, t};
                            calls.add(open);
                        }
                    }
                    for (long[] call : calls) {
                        p.setString(1, l.view());
                        p.setObject(2, time(call[0]));
                        p.setObject(3, time(call[1]));
                        p.execute();
                        n += (call[1] - call[0]) / w;
                    }
                }
            }
            return n;
        }
    }
}
