package com.systemtrader.storage;

import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.EventFingerprint;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.vendor.VendorModule;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one batch in one transaction on one connection. Not thread-safe: one instance per writer connection.
 *
 * <p><b>Trades and quotes, fast path</b> (default, {@link StorageWriterConfig#fastPath()}): binary COPY straight
 * into {@code websocket_data}. Almost every live batch is new rows, and this is as cheap as an ingest can be. When the
 * batch holds a row whose key is already stored, or the same key twice, the COPY fails with {@code unique_violation}
 * (23505); the transaction is rolled back and the batch is written again by the safe path. Because a replay after a
 * crash or an outage mostly re-sends stored rows, a fallback makes the next {@link #SAFE_AFTER_FALLBACK} batches on
 * this connection go straight to the safe path before the fast path is tried again.
 *
 * <p><b>Safe path</b>: binary COPY into the session's TEMP {@code ws_stage} (created once per connection,
 * {@code ON COMMIT DELETE ROWS}), then {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING} into {@code websocket_data}:
 * stored keys and keys repeated inside the batch are skipped.
 *
 * <p><b>Bars</b> (last revision in the batch wins): binary COPY into {@code md_stage} and an upsert on
 * {@code market_data_uq}, in the same transaction. A row without a partition (PostgreSQL mode, SQLSTATE 23514) makes
 * it call {@code ensure_partitions_for} for every day in the batch and retry once.
 *
 * <p><b>Verdicts</b>: {@code flags} holds the cleaner's whole verdict ({@link Flags}), {@code eligibility} its
 * eligibility bits ({@link Flags#ELIGIBILITY_MASK}); bars store the verdict in {@code market_data.flags}.
 *
 * <p><b>Corrections and cancels</b> ({@link TradeCorrection}, {@link TradeCancel}), applied in the same transaction
 * after the batch's inserts, in batch order, so one that arrives with its trade finds it. The stored trade is found
 * by symbol, data type, source and {@code event_id} ({@link EventIds#trade(int, int, String)} of the original id;
 * Alpaca sends no TRF id), or a row already corrected to that id ({@code status = 1, trade_id, exchange}). The
 * records carry the time of the message, not of the original trade, so the search is bounded to that time
 * &plusmn; {@link #MATCH_WINDOW_NS} (one day). A cancel sets {@code status} 2 (action 'C') or 3 (error, 'E') and
 * {@code status_at}; a correction sets {@code status} 1 and {@code status_at}, and replaces price, size,
 * conditions, {@code trade_id} (the corrected id; {@code event_id} keeps the original, so a replay of the original
 * trade still inserts nothing) and the eligibility bits, worked out again for the corrected conditions (quality
 * flags are kept). The original values are not kept. One whose trade is not stored is kept in a pending set of
 * at most {@link #PENDING_CAPACITY} (the oldest is pushed out) and tried again with every later batch this
 * connection writes, for up to {@link #PENDING_MAX_AGE_NS} (two minutes; trades arrive up to ~10 s late); the
 * pending set lives in memory only.
 *
 * <p><b>Roll-ups</b>: no roll-up is refreshed here; the write transaction never waits for one. In PostgreSQL mode
 * (the {@code refresh_ohlcv} procedure exists), once the transaction committed, the minutes of the trades the batch
 * wrote and of those an applied correction or cancel changed are handed to the {@link DirtyRollups} given at
 * construction (a {@link RollupRefresher} in the service), which recomputes the materialized buckets among them (a
 * late trade, a replay after an outage) on its own thread and connection; minutes above the roll-ups' watermark are
 * live in the views and cost it nothing. In TimescaleDB mode nothing is handed over, as before: the continuous
 * aggregates' invalidation log records the changed rows and their refresh policies (or the maintenance scheduler when
 * those fail) recompute them.
 */
final class BatchWrite {
    private static final Logger log = LoggerFactory.getLogger(BatchWrite.class);

    /** Counts shared by the shards of one writer. */
    static final class CorrectionCounts {
        final AtomicLong applied = new AtomicLong();
        final AtomicLong noMatch = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
    }

    /** A correction or cancel matches a stored trade within its message time +- this. */
    static final long MATCH_WINDOW_NS = 86_400_000_000_000L;
    /** Corrections and cancels without a stored trade kept for retry, per connection. */
    static final int PENDING_CAPACITY = 256;
    /** How long an unmatched correction or cancel is retried. */
    static final long PENDING_MAX_AGE_NS = 120_000_000_000L;
    /**
     * The trade a correction or cancel amends: by its original identity, or (a correction of a correction) by the
     * corrected trade id on the same exchange. {@code trade_id} holds the id in both cases, so the lookup goes through
     * the partial index {@code websocket_data_trade_id (symbol, trade_id) WHERE data_type = 'trade'}.
     */
    private static final String MATCH = " symbol = ? AND data_type = 'trade' AND source = ? AND time >= ? AND time <= ?"
            + " AND (event_id = ? OR status = 1) AND trade_id = ? AND exchange IS NOT DISTINCT FROM ?";
    private static final String CANCEL = "UPDATE websocket_data SET status = ?, status_at = now() WHERE" + MATCH
            + " RETURNING time";
    private static final String CORRECTION_FIND = "SELECT time, event_id, event_ns, tape, flags FROM websocket_data"
            + " WHERE" + MATCH + " FOR UPDATE";
    private static final String CORRECTION_SET = "UPDATE websocket_data SET status = 1, status_at = now(), price = ?,"
            + " size = ?, conditions = ?, trade_id = ?, eligibility = ?, flags = ? WHERE symbol = ? AND"
            + " data_type = 'trade' AND time = ? AND source = ? AND event_id = ?";

    /** A correction or cancel waiting for its trade. */
    private record PendingFix(MarketEvent fix, long since) {}

    static final String WS_COLUMNS = "time, event_ns, symbol, data_type, source, event_id, received_at, trade_id,"
            + " exchange, tape, sequence, trf_id, trf_time, price, size, bid_exchange, bid_price, bid_size,"
            + " ask_exchange, ask_price, ask_size, conditions, indicators, eligibility, flags";
    private static final int WS_FIELDS = 25;
    static final String MD_COLUMNS = "time, end_time, symbol, timeframe, source, origin, open, high, low, close,"
            + " volume, vwap, trade_count, accumulated_volume, official_open, day_vwap, average_trade_size, otc,"
            + " flags, received_at";
    private static final int MD_FIELDS = 20;
    private static final String MD_UPSERT = "INSERT INTO market_data (" + MD_COLUMNS + ") SELECT " + MD_COLUMNS
            + " FROM md_stage ON CONFLICT ON CONSTRAINT market_data_uq DO UPDATE SET end_time = EXCLUDED.end_time,"
            + " open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,"
            + " volume = EXCLUDED.volume, vwap = EXCLUDED.vwap, trade_count = EXCLUDED.trade_count,"
            + " accumulated_volume = EXCLUDED.accumulated_volume, official_open = EXCLUDED.official_open,"
            + " day_vwap = EXCLUDED.day_vwap, average_trade_size = EXCLUDED.average_trade_size, otc = EXCLUDED.otc,"
            + " flags = EXCLUDED.flags, received_at = EXCLUDED.received_at";
    private static final String WS_COPY_DIRECT = "COPY websocket_data (" + WS_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final String WS_COPY_STAGE = "COPY ws_stage (" + WS_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final String WS_MERGE = "INSERT INTO websocket_data (" + WS_COLUMNS + ") SELECT " + WS_COLUMNS
            + " FROM ws_stage ON CONFLICT DO NOTHING";
    private static final String MD_COPY_STAGE = "COPY md_stage (" + MD_COLUMNS + ") FROM STDIN (FORMAT binary)";
    /** SQLSTATE of "no partition of relation ... found for row". */
    private static final String NO_PARTITION = "23514";
    /** SQLSTATE duplicate_table: a concurrent session made the partition first. */
    private static final String DUPLICATE_TABLE = "42P07";
    private static final Object PARTITION_LOCK = new Object();
    /** SQLSTATE unique_violation. */
    static final String UNIQUE_VIOLATION = "23505";
    /** Batches written by the safe path after a fast-path fallback before the fast path is tried again. */
    static final int SAFE_AFTER_FALLBACK = 16;
    private static final byte[] TRADE = ascii("trade");
    private static final byte[] QUOTE = ascii("quote");
    private static final byte[][] SOURCE_NAMES = sourceNames();

    private final boolean storeTrades;
    private final boolean storeQuotes;
    private final boolean fastPath;
    private final CorrectionCounts counts;
    private final DirtyRollups dirty;
    private final TradeEligibility eligibility = TradeEligibility.standard();
    private ArrayDeque<PendingFix> pendingFixes = new ArrayDeque<>();
    /** The connection's database has the PostgreSQL-mode roll-ups ({@code refresh_ohlcv}). */
    private boolean rollups;
    private final PgBinaryCopy copy = new PgBinaryCopy();
    private final int[] length = new int[1];
    private final int[] codes = new int[256];
    private int safeBatchesLeft;
    /** Epoch seconds of the one-minute buckets of the trades the current attempt writes. */
    private final TreeSet<Long> tradeMinutes = new TreeSet<>();
    private long lastTradeMinute;

    /** Rows the last {@link #write} sent to websocket_data and market_data (before duplicates were skipped). */
    int lastRows;
    /** True when the last {@link #write} stored its ticks by the fast path. */
    boolean lastFast;
    /** Fast-path attempts that hit a stored or repeated key and were redone by the safe path. */
    long fallbacks;

    BatchWrite(boolean storeTrades, boolean storeQuotes, boolean fastPath) {
        this(storeTrades, storeQuotes, fastPath, new CorrectionCounts(), DirtyRollups.NONE);
    }

    /**
     * @param dirty told (after the commit) the minutes of the trades a batch wrote and of those a correction or cancel
     *              changed
     */
    BatchWrite(boolean storeTrades, boolean storeQuotes, boolean fastPath, CorrectionCounts counts,
               DirtyRollups dirty) {
        this.storeTrades = storeTrades;
        this.storeQuotes = storeQuotes;
        this.fastPath = fastPath;
        this.counts = counts;
        this.dirty = dirty;
    }

    /** Learns what the (prepared) connection's database offers: the PostgreSQL-mode roll-up procedures or not. */
    void connected(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('ohlcv_levels') IS NOT NULL"
                     + " AND to_regprocedure('refresh_ohlcv(text, timestamptz, timestamptz)') IS NOT NULL")) {
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
        int ticks = encodeTicks(batch, flags);
        int rows = ticks;
        if (ticks > 0) {
            byte[] bytes = copy.finish(length);
            if (fast) {
                copyIn(copier, WS_COPY_DIRECT, bytes);
            } else {
                copyIn(copier, WS_COPY_STAGE, bytes);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(WS_MERGE);
                }
            }
        }
        int bars = encodeBars(batch, flags);
        rows += bars;
        if (bars > 0) {
            byte[] bytes = copy.finish(length);
            copyIn(copier, MD_COPY_STAGE, bytes);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(MD_UPSERT);
            }
        }
        Fixes fixes = applyFixes(c, batch);
        c.commit();
        lastRows = rows;
        fixes.settle();
        if (rollups) for (long minute : tradeMinutes) dirty.markMinute(minute);
    }

    /**
     * What one attempt did with the corrections and cancels (pending ones first, then the batch's own, in order);
     * made the writer's state only by {@link #settle()} after the commit, so a rolled-back attempt changes nothing
     * (and no roll-up is marked dirty before its trades' change is visible to the refresher's connection).
     */
    private final class Fixes {
        final ArrayDeque<PendingFix> nextPending = new ArrayDeque<>();
        final TreeSet<Long> minutes = new TreeSet<>(); // epoch seconds of the 1m buckets whose trades changed
        long applied;
        long noMatch;
        long dropped;

        void settle() {
            pendingFixes = nextPending;
            counts.applied.addAndGet(applied);
            counts.noMatch.addAndGet(noMatch);
            counts.dropped.addAndGet(dropped);
            if (rollups) for (long minute : minutes) dirty.markMinute(minute);
        }

        void keep(PendingFix f) {
            if (nextPending.size() >= PENDING_CAPACITY) {
                PendingFix out = nextPending.pollFirst();
                dropped++;
                log.warn("storage writer: pending set full, {} of {} {} given up", out.fix().type(),
                        out.fix().symbol(), idOf(out.fix()));
            }
            nextPending.addLast(f);
        }
    }

    private Fixes applyFixes(Connection c, List<? extends MarketEvent> batch) throws SQLException {
        Fixes fixes = new Fixes();
        if (pendingFixes.isEmpty() && !hasFixes(batch)) return fixes;
        TreeSet<Long> minutes = fixes.minutes;
        long now = System.nanoTime();
        for (PendingFix f : pendingFixes) {
            if (apply(c, f.fix(), minutes)) {
                fixes.applied++;
            } else if (now - f.since() > PENDING_MAX_AGE_NS) {
                fixes.dropped++;
                log.warn("storage writer: no stored trade for {} of {} {} after {} s, given up", f.fix().type(),
                        f.fix().symbol(), idOf(f.fix()), PENDING_MAX_AGE_NS / 1_000_000_000L);
            } else {
                fixes.keep(f);
            }
        }
        for (MarketEvent e : batch) {
            if (!(e instanceof TradeCorrection || e instanceof TradeCancel) || !storeTrades) continue;
            if (apply(c, e, minutes)) fixes.applied++;
            else {
                fixes.noMatch++;
                fixes.keep(new PendingFix(e, now));
            }
        }
        return fixes;
    }

    private static boolean hasFixes(List<? extends MarketEvent> batch) {
        for (MarketEvent e : batch) if (e instanceof TradeCorrection || e instanceof TradeCancel) return true;
        return false;
    }

    private static String idOf(MarketEvent e) {
        return switch (e) {
            case TradeCorrection c -> c.originalId();
            case TradeCancel x -> x.tradeId();
            default -> "";
        };
    }

    /** Applies one correction or cancel; true when it found its trade (the changed rows' minutes go to minutes). */
    private boolean apply(Connection c, MarketEvent e, TreeSet<Long> minutes) throws SQLException {
        return switch (e) {
            case TradeCancel x -> cancel(c, x, minutes);
            case TradeCorrection k -> correct(c, k, minutes);
            default -> false;
        };
    }

    /** Binds {@link #MATCH} from parameter {@code at}. */
    private static void bindMatch(PreparedStatement ps, int at, MarketEvent e, int exchange, String id)
            throws SQLException {
        ps.setString(at, name(e.source()));
        ps.setObject(at + 1, PgTime.of(e.eventTimeNs() - MATCH_WINDOW_NS));
        ps.setObject(at + 2, PgTime.of(e.eventTimeNs() + MATCH_WINDOW_NS));
        ps.setString(at + 3, EventIds.trade(exchange, Absent.INT, id));
        ps.setString(at + 4, id);
        if (Absent.isAbsent(exchange)) ps.setNull(at + 5, java.sql.Types.INTEGER); else ps.setInt(at + 5, exchange);
    }

    private boolean cancel(Connection c, TradeCancel x, TreeSet<Long> minutes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CANCEL)) {
            ps.setShort(1, (short) (x.action() == 'E' ? 3 : 2));
            ps.setString(2, x.symbol());
            bindMatch(ps, 3, x, x.exchange(), x.tradeId());
            boolean found = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found = true;
                    minutes.add(Math.floorDiv(rs.getObject(1, OffsetDateTime.class).toEpochSecond(), 60) * 60);
                }
            }
            return found;
        }
    }

    private boolean correct(Connection c, TradeCorrection k, TreeSet<Long> minutes) throws SQLException {
        record Row(OffsetDateTime time, String eventId, long eventNs, String tape, int flags) {}
        List<Row> rows = new ArrayList<>(1);
        try (PreparedStatement ps = c.prepareStatement(CORRECTION_FIND)) {
            ps.setString(1, k.symbol());
            bindMatch(ps, 2, k, k.exchange(), k.originalId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getLong(3),
                            rs.getString(4), rs.getInt(5)));
                }
            }
        }
        if (rows.isEmpty()) return false;
        try (PreparedStatement ps = c.prepareStatement(CORRECTION_SET)) {
            for (Row r : rows) {
                char tape = r.tape() == null || r.tape().isEmpty() ? Absent.CHAR : r.tape().charAt(0);
                int bits = VendorModule.conditions(k.source()).eligibility(eligibility, k.correctedConditions(), tape,
                        r.eventNs());
                bits &= Flags.ELIGIBILITY_MASK;
                ps.setDouble(1, k.correctedPrice());
                ps.setLong(2, k.correctedSize());
                if (k.correctedConditions() == null) ps.setNull(3, java.sql.Types.ARRAY);
                else ps.setArray(3, c.createArrayOf("int4", boxed(k)));
                ps.setString(4, k.correctedId());
                ps.setShort(5, (short) bits);
                ps.setInt(6, (r.flags() & ~Flags.ELIGIBILITY_MASK) | bits);
                ps.setString(7, k.symbol());
                ps.setObject(8, r.time());
                ps.setString(9, name(k.source()));
                ps.setString(10, r.eventId());
                ps.executeUpdate();
                minutes.add(Math.floorDiv(r.time().toEpochSecond(), 60) * 60);
            }
        }
        return true;
    }

    private static Integer[] boxed(TradeCorrection k) {
        Conditions cc = k.correctedConditions();
        Integer[] out = new Integer[cc.size()];
        for (int i = 0; i < out.length; i++) out[i] = cc.get(i);
        return out;
    }

    /** Epoch nanoseconds as the {@link OffsetDateTime} (UTC, microseconds) PostgreSQL stores. */
    private static final class PgTime {
        static OffsetDateTime of(long epochNs) {
            long micros = Math.floorDiv(epochNs, 1000);
            return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000)
                    .atOffset(java.time.ZoneOffset.UTC);
        }
    }

    private void copyIn(CopyManager copier, String sql, byte[] bytes) throws SQLException {
        try {
            copier.copyIn(sql, new ByteArrayInputStream(bytes, 0, length[0]), 1 << 16);
        } catch (java.io.IOException e) {
            throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
        }
    }

    private int encodeTicks(List<? extends MarketEvent> batch, int[] flags) {
        copy.reset();
        tradeMinutes.clear();
        lastTradeMinute = Long.MIN_VALUE;
        int n = 0;
        for (int i = 0; i < batch.size(); i++) {
            int verdict = flags == null ? 0 : flags[i];
            switch (batch.get(i)) {
                case Trade t when storeTrades -> { trade(t, verdict); n++; tradeMinute(t.eventTimeNs()); }
                case Quote q when storeQuotes -> { quote(q, verdict); n++; }
                default -> { }
            }
        }
        return n;
    }

    private int encodeBars(List<? extends MarketEvent> batch, int[] flags) {
        Map<String, Integer> last = null;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof Bar b) {
                if (last == null) last = new LinkedHashMap<>();
                last.put(b.symbol() + '\0' + timeframe(b) + '\0' + b.eventTimeNs() + '\0' + b.source() + '\0'
                        + b.origin(), i); // ON CONFLICT DO UPDATE cannot touch a row twice: keep the last revision
            }
        }
        if (last == null) return 0;
        copy.reset();
        for (int i : last.values()) bar((Bar) batch.get(i), flags == null ? 0 : flags[i]);
        return last.size();
    }

    /** Adds the one-minute bucket of a written trade to {@link #tradeMinutes} (runs of one minute cost a compare). */
    private void tradeMinute(long eventTimeNs) {
        long minute = Math.floorDiv(eventTimeNs, 60_000_000_000L) * 60;
        if (minute != lastTradeMinute) {
            lastTradeMinute = minute;
            tradeMinutes.add(minute);
        }
    }

    private void trade(Trade t, int verdict) {
        copy.row(WS_FIELDS);
        copy.timestampNs(t.eventTimeNs());
        copy.int8(t.eventTimeNs());
        copy.text(t.symbol());
        copy.text(TRADE);
        copy.text(SOURCE_NAMES[t.source().ordinal()]);
        int id = copy.beginText(); // EventIds.trade(t) written in place
        if (!t.hasTradeId()) {
            copy.appendChar('t'); // no provider id: t<ns>:<fingerprint of the content>, as for quotes
            copy.appendDecimal(t.eventTimeNs());
            copy.appendChar(':');
            copy.appendHex16(EventFingerprint.of(t));
            copy.endText(id);
            copy.timestampNs(received(t));
            if (t.tradeId() == null) copy.nul(); else copy.text(t.tradeId());
        } else {
            // <exchange>:<trf id or empty>:<trade id>
            if (!Absent.isAbsent(t.exchange())) copy.appendDecimal(t.exchange());
            copy.appendChar(':');
            if (!Absent.isAbsent(t.trfId())) copy.appendDecimal(t.trfId());
            copy.appendChar(':');
            copy.appendText(t.tradeId());
            copy.endText(id);
            copy.timestampNs(received(t));
            copy.text(t.tradeId());
        }
        optInt(t.exchange());
        tape(t.tape());
        optLong(t.sequence());
        optInt(t.trfId());
        if (Absent.isAbsent(t.trfTimeNs())) copy.nul(); else copy.timestampNs(t.trfTimeNs());
        optDouble(t.price());
        copy.int8(t.size());
        for (int i = 0; i < 6; i++) copy.nul(); // bid/ask columns
        conditions(t.conditions());
        copy.nul(); // indicators
        copy.int2(verdict & Flags.ELIGIBILITY_MASK);
        copy.int4(verdict);
    }

    private void quote(Quote q, int verdict) {
        copy.row(WS_FIELDS);
        copy.timestampNs(q.eventTimeNs());
        copy.int8(q.eventTimeNs());
        copy.text(q.symbol());
        copy.text(QUOTE);
        copy.text(SOURCE_NAMES[q.source().ordinal()]);
        int id = copy.beginText(); // EventIds.quote(q) written in place
        if (Absent.isAbsent(q.sequence())) {
            copy.appendChar('t');
            copy.appendDecimal(q.eventTimeNs());
            copy.appendChar(':');
            copy.appendHex16(EventFingerprint.of(q));
        } else {
            copy.appendChar('q');
            copy.appendDecimal(q.sequence());
        }
        copy.endText(id);
        copy.timestampNs(received(q));
        copy.nul(); // trade_id
        copy.nul(); // exchange
        tape(q.tape());
        optLong(q.sequence());
        copy.nul(); // trf_id
        copy.nul(); // trf_time
        copy.nul(); // price
        copy.nul(); // size
        optInt(q.bidExchange());
        optDouble(q.bidPrice());
        copy.int8(q.bidSize());
        optInt(q.askExchange());
        optDouble(q.askPrice());
        copy.int8(q.askSize());
        conditions(q.conditions());
        conditions(q.indicators());
        copy.int2(verdict & Flags.ELIGIBILITY_MASK);
        copy.int4(verdict);
    }

    private void bar(Bar b, int verdict) {
        copy.row(MD_FIELDS);
        copy.timestampNs(b.eventTimeNs());
        copy.timestampNs(b.endTimeNs());
        copy.text(b.symbol());
        copy.text(timeframe(b));
        copy.text(name(b.source()));
        copy.text(name(b.origin()));
        copy.float8(b.open());
        copy.float8(b.high());
        copy.float8(b.low());
        copy.float8(b.close());
        copy.int8(b.volume());
        optDouble(b.vwap());
        optLong(b.tradeCount());
        optLong(b.accumulatedVolume());
        optDouble(b.officialOpen());
        optDouble(b.dayVwap());
        optLong(b.averageTradeSize());
        copy.bool(b.otc());
        copy.int4(verdict);
        copy.timestampNs(received(b));
    }

    static String timeframe(Bar b) {
        return switch (b.interval()) {
            case SECOND -> "1s";
            case MINUTE, UPDATED_MINUTE -> "1m";
            case DAILY -> "1d";
        };
    }

    static String name(DataSource s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] sourceNames() {
        DataSource[] all = DataSource.values();
        byte[][] out = new byte[all.length][];
        for (DataSource s : all) out[s.ordinal()] = name(s).getBytes(StandardCharsets.UTF_8);
        return out;
    }

    private static long received(MarketEvent e) {
        return e.receiveTimeNs() != 0 ? e.receiveTimeNs() : e.eventTimeNs();
    }

    private void conditions(Conditions c) {
        if (c == null) {
            copy.nul();
            return;
        }
        int n = c.size();
        int[] into = n <= codes.length ? codes : new int[n];
        for (int i = 0; i < n; i++) into[i] = c.get(i);
        copy.int4Array(into, n);
    }

    private void tape(char tape) {
        if (tape == Absent.CHAR) copy.nul();
        else if (tape < 0x80) copy.textChar(tape);
        else copy.text(String.valueOf(tape));
    }

    private void optInt(int v) { if (Absent.isAbsent(v)) copy.nul(); else copy.int4(v); }

    private void optLong(long v) { if (Absent.isAbsent(v)) copy.nul(); else copy.int8(v); }

    private void optDouble(double v) { if (Double.isNaN(v)) copy.nul(); else copy.float8(v); }

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
