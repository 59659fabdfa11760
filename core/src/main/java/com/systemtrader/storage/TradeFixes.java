package com.systemtrader.storage;

import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.vendor.VendorModule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corrections and cancels ({@link TradeCorrection}, {@link TradeCancel}) applied to stored trades in a batch's write
 * transaction, after its inserts, in batch order, so one that arrives with its trade finds it. The stored trade is
 * found by symbol, data type, source and {@code event_id} ({@link EventIds#trade(int, int, String)} of the original
 * id; Alpaca sends no TRF id), or a row already corrected to that id ({@code status = 1, trade_id, exchange}). The
 * records carry the time of the message, not of the original trade, so the search is bounded to that time
 * &plusmn; {@link #MATCH_WINDOW_NS} (one day). A cancel sets {@code status} 2 (action 'C') or 3 (error, 'E') and
 * {@code status_at}; a correction sets {@code status} 1 and {@code status_at}, and replaces price, size,
 * conditions, {@code trade_id} (the corrected id; {@code event_id} keeps the original, so a replay of the original
 * trade still inserts nothing) and the eligibility bits, worked out again for the corrected conditions through the
 * source's condition codes (quality flags are kept). The original values are not kept. One whose trade is not stored
 * is kept in a pending set of at most {@link #PENDING_CAPACITY} (the oldest is pushed out) and tried again with every
 * later batch this connection writes, for up to {@link #PENDING_MAX_AGE_NS} (two minutes; trades arrive up to ~10 s
 * late); the pending set lives in memory only.
 *
 * <p>Not thread-safe: one per writer connection (its {@link BatchWrite}).
 */
final class TradeFixes {
    private static final Logger log = LoggerFactory.getLogger(TradeFixes.class);

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

    private final boolean storeTrades;
    private final CorrectionCounts counts;
    private final TradeEligibility eligibility = TradeEligibility.standard();
    private ArrayDeque<PendingFix> pendingFixes = new ArrayDeque<>();

    /** @param storeTrades whether trades are stored (else corrections and cancels have nothing to amend) */
    TradeFixes(boolean storeTrades, CorrectionCounts counts) {
        this.storeTrades = storeTrades;
        this.counts = counts;
    }

    /**
     * What one attempt did with the corrections and cancels (pending ones first, then the batch's own, in order);
     * made the writer's state only by {@link #settle()} after the commit, so a rolled-back attempt changes nothing
     * (and no roll-up is marked dirty before its trades' change is visible to the refresher's connection).
     */
    final class Attempt {
        final ArrayDeque<PendingFix> nextPending = new ArrayDeque<>();
        final TreeSet<Long> minutes = new TreeSet<>(); // epoch seconds of the 1m buckets whose trades changed
        long applied;
        long noMatch;
        long dropped;

        /** Makes the attempt the connection's state (after its commit); returns the minutes whose trades changed. */
        Set<Long> settle() {
            pendingFixes = nextPending;
            counts.applied.addAndGet(applied);
            counts.noMatch.addAndGet(noMatch);
            counts.dropped.addAndGet(dropped);
            return minutes;
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

    /** Applies the pending corrections and cancels, then the batch's, in the caller's open transaction. */
    Attempt apply(Connection c, List<? extends MarketEvent> batch) throws SQLException {
        Attempt fixes = new Attempt();
        if (pendingFixes.isEmpty() && !hasFixes(batch)) return fixes;
        TreeSet<Long> minutes = fixes.minutes;
        long now = System.nanoTime();
        for (PendingFix f : pendingFixes) {
            if (applyOne(c, f.fix(), minutes)) {
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
            if (applyOne(c, e, minutes)) fixes.applied++;
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
    private boolean applyOne(Connection c, MarketEvent e, TreeSet<Long> minutes) throws SQLException {
        return switch (e) {
            case TradeCancel x -> cancel(c, x, minutes);
            case TradeCorrection k -> correct(c, k, minutes);
            default -> false;
        };
    }

    /** Binds {@link #MATCH} from parameter {@code at}. */
    private static void bindMatch(PreparedStatement ps, int at, MarketEvent e, int exchange, String id)
            throws SQLException {
        ps.setString(at, CopyRows.name(e.source()));
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
                ps.setString(9, CopyRows.name(k.source()));
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
            return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                    Math.floorMod(micros, 1_000_000) * 1000).atOffset(java.time.ZoneOffset.UTC);
        }
    }
}
