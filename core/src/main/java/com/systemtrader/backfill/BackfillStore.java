package com.systemtrader.backfill;

import com.systemtrader.schema.DataSource;
import com.systemtrader.storage.StorageWriter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the backfill reads from and records in the database directly (the events themselves go through the
 * {@link StorageWriter}): the {@code gap_ledger} row of each backfill, the trade identities already stored in a
 * window (to count new rows and skip what the live feed already wrote), and the last stored trade per symbol.
 * A connection per call: backfills are rare. Thread-safe.
 */
final class BackfillStore {
    private static final String UPSERT_GAP = """
            INSERT INTO gap_ledger (source, feed, start_time, start_ns, end_time, end_ns, channels, symbols, cause,
                                    backfilled_at, backfill_note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT ON CONSTRAINT gap_ledger_pk DO UPDATE SET end_time = EXCLUDED.end_time,
                end_ns = EXCLUDED.end_ns, backfilled_at = EXCLUDED.backfilled_at,
                backfill_note = EXCLUDED.backfill_note""";
    private static final String STORED_TRADES = """
            SELECT event_id, event_ns FROM websocket_data
            WHERE symbol = ? AND data_type = 'trade' AND source = ? AND time >= ? AND time < ?""";
    private static final String LAST_TRADE = """
            SELECT max(event_ns) FROM websocket_data
            WHERE symbol = ? AND data_type = 'trade' AND source = ? AND time > ? AND received_at < ?""";

    private final StorageWriter.ConnectionSource connections;

    BackfillStore(StorageWriter.ConnectionSource connections) {
        this.connections = connections;
    }

    /** Inserts or updates the request's {@code gap_ledger} row with the outcome. */
    void record(BackfillResult r) throws SQLException {
        BackfillRequest q = r.request();
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(UPSERT_GAP)) {
            s.setString(1, name(q.source()));
            s.setString(2, q.feed());
            s.setObject(3, timestamp(q.startNs()));
            s.setLong(4, q.startNs());
            long end = q.endNs() == 0 ? r.toNs() : q.endNs();
            s.setObject(5, timestamp(end));
            s.setLong(6, end);
            Array channels = c.createArrayOf("text", q.channels().toArray());
            Array symbols = c.createArrayOf("text", q.symbols().toArray());
            s.setArray(7, channels);
            s.setArray(8, symbols);
            s.setString(9, q.cause());
            if (r.outcome() == BackfillOutcome.FAILED) s.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
            else s.setObject(10, timestamp(r.finishedNs()));
            s.setString(11, r.note());
            s.executeUpdate();
        }
    }

    /**
     * The stored trades of {@code symbol} in {@code [fromNs, toNs)} as {@link #key} strings. The window is widened by
     * a millisecond on each side, since stored times are truncated to microseconds.
     */
    Set<String> storedTrades(DataSource source, String symbol, long fromNs, long toNs) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(STORED_TRADES)) {
            s.setString(1, symbol);
            s.setString(2, name(source));
            s.setObject(3, timestamp(fromNs - 1_000_000));
            s.setObject(4, timestamp(toNs + 1_000_000));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(key(rs.getString(1), rs.getLong(2)));
            }
        }
        return out;
    }

    /**
     * The event time of the newest trade of {@code symbol} after {@code notBeforeNs} among those received before
     * {@code receivedBeforeNs} (so that what this process's live feed stored meanwhile does not count), if any.
     */
    OptionalLong lastStoredTrade(DataSource source, String symbol, long notBeforeNs, long receivedBeforeNs)
            throws SQLException {
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement(LAST_TRADE)) {
            s.setString(1, symbol);
            s.setString(2, name(source));
            s.setObject(3, timestamp(notBeforeNs));
            s.setObject(4, timestamp(receivedBeforeNs));
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    long ns = rs.getLong(1);
                    if (!rs.wasNull()) return OptionalLong.of(ns);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The unique key's parts that vary within one symbol's trades: event id and time in microseconds. */
    static String key(String eventId, long eventNs) {
        return eventId + '@' + Math.floorDiv(eventNs, 1_000L);
    }

    static String name(DataSource s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    static OffsetDateTime timestamp(long epochNs) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
                Math.floorMod(epochNs, 1_000_000_000L)), ZoneOffset.UTC);
    }
}
