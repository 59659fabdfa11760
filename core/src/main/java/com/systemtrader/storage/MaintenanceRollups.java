package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the OHLCV roll-ups materialized, bottom-up (1m, 5m, 15m, 1h, 1d), each level over the same window as its
 * TimescaleDB refresh policy (db/timescaledb/R__policies.sql): 1m on every run of the task, the levels above at most
 * once per their policy's period (5m every 5 minutes, 15m and 1h every 15, 1d hourly).
 * <ul>
 *   <li>PostgreSQL: {@code CALL refresh_ohlcv(level, from, now - SETTLE)}: every level materializes up to
 *       {@link #SETTLE} before now (buckets whose trades have arrived, TRF reports up to ~10 s late included). The
 *       1-minute level, the only one that reads raw trades, is incremental: each run refreshes from its watermark on;
 *       a trade written below the watermark later (late, replayed from the journal, backfilled, corrected) reaches
 *       the roll-ups through the writer's {@link DirtyRollups} marks and the {@link RollupRefresher}. Only the first
 *       run after start recomputes the whole lookback window, to catch up marks a crash lost. Recomputing the
 *       lookback every minute cost 10-14 s of a backend per run at 50,000 msg/s and grew with the window
 *       (docs/PERFORMANCE.md). The levels above read the level below and recompute their window. A level with no watermark yet starts at the oldest
 *       trade instead, so that the first refresh does not hide older data below the watermark.</li>
 *   <li>TimescaleDB: nothing while the refresh jobs are healthy; for each continuous aggregate whose job fails or is
 *       missing, {@code CALL refresh_continuous_aggregate(view, now - window, now - end offset)} in autocommit mode
 *       (it cannot run inside a transaction block); from the start ({@code NULL}) while the aggregate is empty.</li>
 * </ul>
 * Fields are owned by the maintenance scheduler's thread.
 */
final class MaintenanceRollups implements MaintenanceWork {
    /** A roll-up level with its policy's window and end offset, and its period (ZERO: every run of the task). */
    record Level(String name, Duration width, Duration window, Duration endOffset, Duration every) {
        String view() {
            return "ohlcv_" + name;
        }
    }

    static final List<Level> LEVELS = List.of(
            new Level("1m", Duration.ofMinutes(1), Duration.ofHours(2), Duration.ofMinutes(1), Duration.ZERO),
            new Level("5m", Duration.ofMinutes(5), Duration.ofHours(6), Duration.ofMinutes(5), Duration.ofMinutes(5)),
            new Level("15m", Duration.ofMinutes(15), Duration.ofDays(1), Duration.ofMinutes(15), Duration.ofMinutes(15)),
            new Level("1h", Duration.ofHours(1), Duration.ofDays(3), Duration.ofHours(1), Duration.ofMinutes(15)),
            new Level("1d", Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(1), Duration.ofHours(1)));

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * How far behind now every level materializes: a bucket is closed for the roll-ups once this has passed after
     * its end, so the late trades of normal operation land before it is materialized, not after.
     */
    static final Duration SETTLE = Duration.ofSeconds(15);

    /**
     * Session settings of the connections that refresh roll-ups (the maintenance's, the roll-up refresher's): no
     * parallel workers and no JIT. A refresh of one minute at 100,000 msg/s reads ~6 million rows; with the defaults
     * it took 8-10 s on three backends (two parallel workers, a sort spilled to disk on a row estimate 160 times too
     * low, 60-90 ms of JIT per statement), on a 2-core machine whose other core was the ingest's; serially it takes
     * about 3.4 s of one backend (docs/PERFORMANCE.md). Background work should take one core at most.
     */
    static final List<String> BACKGROUND_SESSION = List.of("SET max_parallel_workers_per_gather = 0", "SET jit = off");

    private final Duration lookback;
    private final Map<String, Long> lastRefresh = new HashMap<>();   // level -> System.nanoTime()
    private boolean reconciled;                                      // the start-up pass over the lookback ran

    MaintenanceRollups(Duration lookback) {
        this.lookback = lookback;
    }

    /**
     * The window a level recomputes: the configured lookback for 1m (TimescaleDB mode, and the first run after start
     * in PostgreSQL mode), at least the policy's window above.
     */
    Duration window(Level l) {
        if (l.name().equals("1m")) return lookback;
        return lookback.compareTo(l.window()) > 0 ? lookback : l.window();
    }

    /**
     * First the hot partitions' statistics (the refresh and the writer's lookups plan with them) and BRIN summaries
     * (the refresh reads through them), then the refresh.
     */
    @Override public MaintenanceOutcome run(Connection c, StorageMode mode) throws SQLException {
        List<String> analyzed = MaintenanceStatistics.refresh(c);
        if (mode == StorageMode.POSTGRESQL) MaintenanceStatistics.summarize(c);
        MaintenanceOutcome o = mode == StorageMode.POSTGRESQL ? refreshTables(c) : refreshCaggs(c);
        return analyzed.isEmpty() ? o
                : new MaintenanceOutcome(o.status(), o.detail() + "; analyzed " + String.join(", ", analyzed));
    }

    private boolean due(Level l, long now) {
        Long last = lastRefresh.get(l.name());
        return last == null || l.every().isZero() || now - last >= l.every().minusSeconds(1).toNanos();
    }

    private MaintenanceOutcome refreshTables(Connection c) throws SQLException {
        Map<String, OffsetDateTime> marks = watermarks(c);
        OffsetDateTime now = one(c, "SELECT now()");
        OffsetDateTime oldest = null;
        boolean oldestRead = false;
        List<String> done = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("CALL refresh_ohlcv(?, ?, ?)")) {
            for (Level l : LEVELS) {
                long t = System.nanoTime();
                if (!due(l, t)) continue;
                boolean incremental = l.name().equals("1m") && reconciled;
                OffsetDateTime to = now.minus(SETTLE);
                // from above the watermark: refresh_ohlcv starts at the watermark, so [watermark, to) is refreshed
                OffsetDateTime from = incremental ? to : now.minus(window(l));
                if (!marks.containsKey(l.name())) {
                    if (!oldestRead) {
                        oldest = one(c, "SELECT min(time) FROM websocket_data WHERE data_type = 'trade'");
                        oldestRead = true;
                    }
                    if (oldest != null && oldest.isBefore(from)) from = oldest;
                }
                p.setString(1, l.name());
                p.setObject(2, from);
                p.setObject(3, to);
                p.execute();
                if (l.name().equals("1m")) reconciled = true;
                lastRefresh.put(l.name(), t);
                done.add(l.name());
            }
        }
        if (done.isEmpty()) return MaintenanceOutcome.skipped("no level due");
        OffsetDateTime mark = watermarks(c).get("1m");
        return MaintenanceOutcome.ok("refreshed " + String.join(", ", done) + "; 1m materialized to "
                + (mark == null ? "never" : UTC.format(mark)));
    }

    private MaintenanceOutcome refreshCaggs(Connection c) throws SQLException {
        List<MaintenanceJobs.Unhealthy> bad = MaintenanceJobs.unhealthy(MaintenanceJobs.read(c),
                MaintenanceJobs.REFRESH, LEVELS.stream().map(Level::view).toList());
        if (bad.isEmpty()) return MaintenanceOutcome.skipped("timescaledb job healthy (continuous aggregate refresh)");
        List<String> done = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (Level l : LEVELS) {
                if (bad.stream().noneMatch(u -> u.target().equals(l.view()))) continue;
                boolean first = neverMaterialized(c, l.view());
                s.execute(refreshSql(l, first ? null : window(l)));
                done.add(l.view() + (first ? " (from the start: first materialization)" : ""));
            }
        }
        return MaintenanceOutcome.ok("refreshed " + String.join(", ", done) + "; jobs not healthy: " + bad);
    }

    /**
     * The direct refresh of one continuous aggregate (autocommit: it cannot run in a transaction block); a null
     * {@code window} refreshes from the start, as the first refresh of an empty aggregate must (otherwise its
     * watermark would hide everything older than the window).
     */
    static String refreshSql(Level l, Duration window) {
        return "CALL refresh_continuous_aggregate('" + l.view() + "', "
                + (window == null ? "NULL" : "now() - INTERVAL '" + window.toSeconds() + " seconds'")
                + ", now() - INTERVAL '" + l.endOffset().toSeconds() + " seconds')";
    }

    /** The continuous aggregate's materialization hypertable holds no row yet. */
    private static boolean neverMaterialized(Connection c, String view) throws SQLException {
        String table;
        try (PreparedStatement p = c.prepareStatement(MATERIALIZATION)) {
            p.setString(1, view);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) return false;
                table = r.getString(1);
            }
        }
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + table + ")")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    static final String MATERIALIZATION = "SELECT format('%I.%I', materialization_hypertable_schema, "
            + "materialization_hypertable_name) FROM timescaledb_information.continuous_aggregates WHERE view_name = ?";

    private static Map<String, OffsetDateTime> watermarks(Connection c) throws SQLException {
        Map<String, OffsetDateTime> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name, refreshed_to FROM rollup_watermark")) {
            while (r.next()) out.put(r.getString(1), r.getObject(2, OffsetDateTime.class));
        }
        return out;
    }

    private static OffsetDateTime one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getObject(1, OffsetDateTime.class);
        }
    }
}
