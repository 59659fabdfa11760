package com.systemtrader.storage;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes one batch in one transaction on one connection: its trades and quotes, its bars, then the corrections and
 * cancels that amend stored trades ({@link TradeFixes}), and after the commit hands the changed minutes to the
 * roll-ups. The rows are encoded by {@link CopyRows}. Not thread-safe: one instance per writer connection.
 *
 * <p>Trades and quotes go by the fast path by default ({@link StorageWriterConfig#fastPath()}): binary COPY straight
 * into {@code websocket_data}, as cheap as an ingest can be, since almost every live batch is new rows. A batch that
 * holds a stored key, or one key twice, fails with {@code unique_violation} (23505), is rolled back and is written
 * again by the safe path: COPY into the session's TEMP {@code ws_stage} ({@code ON COMMIT DELETE ROWS}), then
 * {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}. A replay after a crash or an outage mostly re-sends stored
 * rows, so after a fallback the next {@link #SAFE_AFTER_FALLBACK} batches go straight to the safe path. Bars (the
 * last revision in the batch) go by COPY into {@code md_stage} and an upsert on {@code market_data_uq}. A row without
 * a partition (PostgreSQL mode, SQLSTATE 23514) makes it call {@code ensure_partitions_for} for every day in the batch
 * and retry once.
 *
 * <p>No roll-up is refreshed here; the write transaction never waits for one. In PostgreSQL mode (the
 * {@code refresh_ohlcv} procedure exists), once the transaction committed, the minutes of the trades the batch wrote
 * and of those an applied correction or cancel changed go to the {@link DirtyRollups} given at construction (a
 * {@link RollupRefresher} in the service), which recomputes the materialized buckets among them on its own thread and
 * connection. In TimescaleDB mode nothing is handed over: the continuous aggregates' invalidation log records the
 * changed rows and their refresh policies (or the maintenance scheduler when those fail) recompute them.
 */
final class BatchWrite {
    private static final String MD_UPSERT = "INSERT INTO market_data (" + CopyRows.MD_COLUMNS + ") SELECT "
            + CopyRows.MD_COLUMNS + " FROM md_stage ON CONFLICT ON CONSTRAINT market_data_uq DO UPDATE SET"
            + " end_time = EXCLUDED.end_time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,"
            + " close = EXCLUDED.close,"
            + " volume = EXCLUDED.volume, vwap = EXCLUDED.vwap, trade_count = EXCLUDED.trade_count,"
            + " accumulated_volume = EXCLUDED.accumulated_volume, official_open = EXCLUDED.official_open,"
            + " day_vwap = EXCLUDED.day_vwap, average_trade_size = EXCLUDED.average_trade_size, otc = EXCLUDED.otc,"
            + " flags = EXCLUDED.flags, received_at = EXCLUDED.received_at";
    private static final String WS_COPY_DIRECT = "COPY websocket_data (" + CopyRows.WS_COLUMNS
            + ") FROM STDIN (FORMAT binary)";
    private static final String WS_COPY_STAGE = "COPY ws_stage (" + CopyRows.WS_COLUMNS
            + ") FROM STDIN (FORMAT binary)";
    private static final String WS_MERGE = "INSERT INTO websocket_data (" + CopyRows.WS_COLUMNS + ") SELECT "
            + CopyRows.WS_COLUMNS + " FROM ws_stage ON CONFLICT DO NOTHING";
    private static final String MD_COPY_STAGE = "COPY md_stage (" + CopyRows.MD_COLUMNS
            + ") FROM STDIN (FORMAT binary)";
    /** SQLSTATE of "no partition of relation ... found for row". */
    private static final String NO_PARTITION = "23514";
    /** SQLSTATE duplicate_table: a concurrent session made the partition first. */
    private static final String DUPLICATE_TABLE = "42P07";
    private static final Object PARTITION_LOCK = new Object();
    /** SQLSTATE unique_violation. */
    static final String UNIQUE_VIOLATION = "23505";
    /** Batches written by the safe path after a fast-path fallback before the fast path is tried again. */
    static final int SAFE_AFTER_FALLBACK = 16;

    private final CopyRows rows;
    private final TradeFixes fixes;
    private final boolean fastPath;
    private final DirtyRollups dirty;
    /** The connection's database has the roll-ups ({@code ohlcv_1m} ..., either mode): written minutes are marked. */
    private boolean rollups;
    private int safeBatchesLeft;

    /** Rows the last {@link #write} sent to websocket_data and market_data (before duplicates were skipped). */
    int lastRows;
    /** True when the last {@link #write} stored its ticks by the fast path. */
    boolean lastFast;
    /** Fast-path attempts that hit a stored or repeated key and were redone by the safe path. */
    long fallbacks;

    BatchWrite(boolean storeTrades, boolean storeQuotes, boolean fastPath) {
        this(storeTrades, storeQuotes, fastPath, new TradeFixes.CorrectionCounts(), DirtyRollups.NONE);
    }

    /**
     * @param dirty told (after the commit) the minutes of the trades a batch wrote and of those a correction or cancel
     *              changed
     */
    BatchWrite(boolean storeTrades, boolean storeQuotes, boolean fastPath, TradeFixes.CorrectionCounts counts,
               DirtyRollups dirty) {
        this.rows = new CopyRows(storeTrades, storeQuotes);
        this.fixes = new TradeFixes(storeTrades, counts);
        this.fastPath = fastPath;
        this.dirty = dirty;
    }

    /**
     * Learns what the (prepared) connection's database offers: roll-ups or not (the {@link DirtyRollups} decide what
     * a mark costs: nothing for minutes a TimescaleDB policy or a PostgreSQL-mode live view covers).
     */
    void connected(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('ohlcv_1m') IS NOT NULL")) {
            rs.next();
            rollups = rs.getBoolean(1);
        } finally {
            c.rollback();
        }
    }

    /**
     * Prepares a fresh connection: manual commit, the session's staging tables and, when {@code synchronousCommit}
     * is false, {@code SET synchronous_commit = off} (see {@link StorageWriterConfig#synchronousCommit()}).
     */
    static void prepare(Connection c, boolean synchronousCommit) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS ws_stage (LIKE websocket_data_stage INCLUDING DEFAULTS)"
                    + " ON COMMIT DELETE ROWS");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS md_stage (LIKE market_data_stage INCLUDING DEFAULTS)"
                    + " ON COMMIT DELETE ROWS");
            if (!synchronousCommit) s.execute("SET synchronous_commit = off");
        }
        c.setAutoCommit(false);
    }

    /** Writes {@code batch} and commits; on failure rolls back and throws. */
    void write(Connection c, List<? extends MarketEvent> batch) throws SQLException {
        write(c, batch, null);
    }

    /**
     * Writes {@code batch} with its verdicts ({@code flags[i]} for {@code batch.get(i)}, null = all 0) and
     * commits; on failure rolls back and throws.
     */
    void write(Connection c, List<? extends MarketEvent> batch, int[] flags) throws SQLException {
        boolean fast = fastPath && safeBatchesLeft == 0;
        if (safeBatchesLeft > 0) safeBatchesLeft--;
        if (fast) {
            try {
                writeEnsuringPartitions(c, batch, flags, true);
                lastFast = true;
                return;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                fallbacks++;
                safeBatchesLeft = SAFE_AFTER_FALLBACK;
            }
        }
        writeEnsuringPartitions(c, batch, flags, false);
        lastFast = false;
    }

    private void writeEnsuringPartitions(Connection c, List<? extends MarketEvent> batch, int[] flags, boolean fast)
            throws SQLException {
        try {
            writeOnce(c, batch, flags, fast);
        } catch (SQLException e) {
            rollbackQuietly(c);
            if (!NO_PARTITION.equals(e.getSQLState()) || !String.valueOf(e.getMessage()).contains("no partition")) {
                throw e;
            }
            ensurePartitions(c, batch);
            try {
                writeOnce(c, batch, flags, fast);
            } catch (SQLException again) {
                rollbackQuietly(c);
                throw again;
            }
        }
    }

    private void writeOnce(Connection c, List<? extends MarketEvent> batch, int[] flags, boolean fast)
            throws SQLException {
        CopyManager copier = c.unwrap(PGConnection.class).getCopyAPI();
        int ticks = rows.ticks(batch, flags);
        int written = ticks;
        if (ticks > 0) {
            if (fast) {
                copyIn(copier, WS_COPY_DIRECT);
            } else {
                copyIn(copier, WS_COPY_STAGE);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(WS_MERGE);
                }
            }
        }
        int bars = rows.bars(batch, flags);
        written += bars;
        if (bars > 0) {
            copyIn(copier, MD_COPY_STAGE);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(MD_UPSERT);
            }
        }
        TradeFixes.Attempt fixed = fixes.apply(c, batch);
        c.commit();
        lastRows = written;
        Set<Long> amended = fixed.settle();
        if (rollups) {
            for (long minute : rows.tradeMinutes()) dirty.markMinute(minute);
            for (long minute : amended) dirty.markMinute(minute);
        }
    }

    private void copyIn(CopyManager copier, String sql) throws SQLException {
        try {
            copier.copyIn(sql, rows.stream(), 1 << 16);
        } catch (java.io.IOException e) {
            throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
        }
    }

    /**
     * Makes the partitions the batch's days need. Several writer connections can miss the same partition at once,
     * and {@code ensure_partitions_for} is not safe against itself: in this process the calls take turns (one lock),
     * and a concurrent creation elsewhere ({@code duplicate_table} 42P07, or a unique violation in the catalog) just
     * means the partition now exists, so the caller retries its write.
     */
    private static void ensurePartitions(Connection c, List<? extends MarketEvent> batch) throws SQLException {
        TreeSet<Long> tickDays = new TreeSet<>();
        TreeSet<Long> barDays = new TreeSet<>();
        for (MarketEvent e : batch) {
            long day = Math.floorDiv(e.eventTimeNs(), 86_400_000_000_000L);
            if (e instanceof Bar) barDays.add(day); else tickDays.add(day);
        }
        synchronized (PARTITION_LOCK) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ensure_partitions_for(?::regclass, to_timestamp(? * 86400))")) {
                for (Long d : tickDays) ensure(ps, "websocket_data", d);
                for (Long d : barDays) ensure(ps, "market_data", d);
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                if (!DUPLICATE_TABLE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            }
        }
    }

    private static void ensure(PreparedStatement ps, String table, long day) throws SQLException {
        ps.setString(1, table);
        ps.setLong(2, day);
        ps.execute();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the caller replaces it
        }
    }
}
