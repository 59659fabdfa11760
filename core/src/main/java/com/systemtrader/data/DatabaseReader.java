package com.systemtrader.data;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The provider's SQL: the latest trade or quote of many (symbol, source) pairs in one statement (a LATERAL probe
 * of the unique key {@code (symbol, data_type, time, ...)}, read backwards, per pair), and the newest bars of the
 * {@code ohlcv_*} views (same names and columns in PostgreSQL and TimescaleDB mode). Cancelled and busted prints (status 2, 3) are left out.
 */
final class DatabaseReader implements AutoCloseable {
    private static final String LATEST = """
            SELECT s.sym, src.name, t.event_ns, t.price, t.size, t.bid_price, t.bid_size, t.ask_price, t.ask_size
            FROM unnest(?::text[]) AS s(sym) CROSS JOIN unnest(?::text[]) AS src(name)
            CROSS JOIN LATERAL (
              SELECT w.event_ns, w.price, w.size, w.bid_price, w.bid_size, w.ask_price, w.ask_size
              FROM websocket_data w
              WHERE w.symbol = s.sym AND w.data_type = ? AND w.source = src.name AND w.status IN (0, 1)
              ORDER BY w.time DESC LIMIT 1) t""";

    private final ConnectionPool pool;

    DatabaseReader(ConnectionPool pool) {
        this.pool = pool;
    }


    /** symbol -> source -> latest tick (pairs without data absent). */
    Map<String, Map<DataSource, Tick>> latest(List<String> symbols, List<DataSource> sources, RecordType type) {
        String dataType = type == RecordType.TRADE ? "trade" : "quote";
        return pool.with(c -> {
            Map<String, Map<DataSource, Tick>> out = new HashMap<>(symbols.size() * 2);
            String[] srcNames = new String[sources.size()];
            for (int i = 0; i < srcNames.length; i++) srcNames[i] = name(sources.get(i));
            try (PreparedStatement ps = c.prepareStatement(LATEST)) {
                Array syms = c.createArrayOf("text", symbols.toArray());
                Array srcs = c.createArrayOf("text", srcNames);
                ps.setArray(1, syms);
                ps.setArray(2, srcs);
                ps.setString(3, dataType);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        DataSource src = DataSource.valueOf(rs.getString(2).toUpperCase(Locale.ROOT));
                        long ns = rs.getLong(3);
                        Tick t = type == RecordType.TRADE
                                ? Tick.trade(src, ns, rs.getDouble(4), rs.getLong(5))
                                : Tick.quote(src, ns, rs.getDouble(6), rs.getLong(7), rs.getDouble(8), rs.getLong(9));
                        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>(4)).put(src, t);
                    }
                }
            }
            return out;
        });
    }

    /**
     * The newest {@code limit} built bars of the interval's roll-up view ({@code ohlcv_1m} ...) for (symbol, source)
     * starting in {@code [fromNs, toNs)}, oldest first: a range scan of the materialized part's primary key, the
     * live part from the raw trades above the watermark.
     */
    List<OhlcvBar> rollups(String symbol, DataSource source, OhlcvInterval interval, long fromNs, long toNs, int limit,
                           long nowNs) {
        String sql = "SELECT bucket, open, high, low, close, volume, vwap, trade_count FROM " + interval.view()
                + " WHERE symbol = ? AND source = ? AND bucket >= ? AND bucket < ? ORDER BY bucket DESC LIMIT ?";
        return read(sql, symbol, name(source), fromNs, toNs, limit, rs -> {
            long startNs = nanos(rs.getObject(1, OffsetDateTime.class));
            double open = rs.getDouble(2);
            if (rs.wasNull()) return null;            // a bucket of volume-only prints: no bar, as the builder
            double vwap = rs.getDouble(7);
            if (rs.wasNull()) vwap = Double.NaN;
            return new OhlcvBar(startNs, open, rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getLong(6), vwap,
                    rs.getLong(8), BarState.at(startNs, interval.nanos(), nowNs, BarState.FINAL), BarOrigin.BUILT,
                    Tier.DATABASE, source);
        });
    }

    /**
     * The newest {@code limit} of the provider's own bars of {@code timeframe} ({@code 1m}, {@code 1d}) in
     * {@code market_data} for (symbol, source) starting in {@code [fromNs, toNs)}, oldest first.
     */
    List<OhlcvBar> providerBars(String symbol, DataSource source, String timeframe, long fromNs, long toNs, int limit,
                                long nowNs) {
        String sql = "SELECT time, open, high, low, close, volume, vwap, trade_count, end_time FROM market_data"
                + " WHERE symbol = ? AND source = ? AND origin = source AND timeframe = '" + timeframe + "'"
                + " AND time >= ? AND time < ? ORDER BY time DESC LIMIT ?";
        return read(sql, symbol, name(source), fromNs, toNs, limit, rs -> {
            long startNs = nanos(rs.getObject(1, OffsetDateTime.class));
            long endNs = nanos(rs.getObject(9, OffsetDateTime.class));
            double vwap = rs.getDouble(7);
            if (rs.wasNull()) vwap = Double.NaN;
            long count = rs.getLong(8);
            if (rs.wasNull()) count = -1;
            return new OhlcvBar(startNs, rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                    rs.getLong(6), vwap, count, BarState.at(startNs, endNs - startNs, nowNs, BarState.FINAL),
                    BarOrigin.PROVIDER, Tier.DATABASE, source);
        });
    }

    /** The oldest stored event time of the series, in epoch microseconds (the unit of {@code time}). */
    java.util.OptionalLong oldestMicros(String symbol, DataSource source, RecordType type) {
        return pool.with(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT (extract(epoch FROM time) * 1000000)::bigint"
                    + " FROM websocket_data WHERE symbol = ? AND data_type = ? AND source = ? ORDER BY time LIMIT 1")) {
                ps.setString(1, symbol);
                ps.setString(2, type == RecordType.TRADE ? "trade" : "quote");
                ps.setString(3, name(source));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
                }
            }
        });
    }

    /** At most {@code limit} stored trades or quotes with event time in {@code [fromNs, toNs)}, by (event_ns, event_id). */
    List<MarketEvent> ticks(String symbol, DataSource source, RecordType type, long fromNs, long toNs, int limit) {
        boolean trades = type == RecordType.TRADE;
        String sql = "SELECT event_ns, (extract(epoch FROM received_at) * 1000000)::bigint, price, size, exchange,"
                + " trade_id, tape, sequence, trf_id, (extract(epoch FROM trf_time) * 1000000)::bigint, conditions,"
                + " bid_exchange, bid_price, bid_size, ask_exchange, ask_price, ask_size, indicators"
                + " FROM websocket_data WHERE symbol = ? AND data_type = ? AND source = ?"
                + " AND time >= ? AND time < ? AND event_ns >= ? AND event_ns < ? ORDER BY event_ns, event_id LIMIT ?";
        return pool.with(c -> {
            List<MarketEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, symbol);
                ps.setString(2, trades ? "trade" : "quote");
                ps.setString(3, name(source));
                ps.setObject(4, time(Math.floorDiv(fromNs, 1_000L) * 1_000L));
                ps.setObject(5, time(Math.floorDiv(toNs - 1, 1_000L) * 1_000L + 1_000L));
                ps.setLong(6, fromNs);
                ps.setLong(7, toNs);
                ps.setInt(8, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(trades ? trade(rs, symbol, source) : quote(rs, symbol, source));
                }
            }
            return out;
        });
    }

    private static Trade trade(ResultSet rs, String symbol, DataSource source) throws SQLException {
        return new Trade(source, symbol, rs.getLong(1), rs.getLong(2) * 1_000L, rs.getDouble(3), rs.getLong(4),
                optInt(rs, 5), rs.getString(6), optChar(rs, 7), optLong(rs, 8), optInt(rs, 9),
                rs.getObject(10) == null ? Absent.LONG : rs.getLong(10) * 1_000L, conditions(rs, 11));
    }

    private static Quote quote(ResultSet rs, String symbol, DataSource source) throws SQLException {
        return new Quote(source, symbol, rs.getLong(1), rs.getLong(2) * 1_000L, optInt(rs, 12), rs.getDouble(13),
                rs.getLong(14), optInt(rs, 15), rs.getDouble(16), rs.getLong(17), conditions(rs, 11),
                conditions(rs, 18), optChar(rs, 7), optLong(rs, 8));
    }

    private static int optInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? Absent.INT : v;
    }

    private static long optLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? Absent.LONG : v;
    }

    private static char optChar(ResultSet rs, int i) throws SQLException {
        String v = rs.getString(i);
        return v == null || v.isEmpty() ? Absent.CHAR : v.charAt(0);
    }

    private static Conditions conditions(ResultSet rs, int i) throws SQLException {
        Array a = rs.getArray(i);
        if (a == null) return Conditions.of();
        Integer[] codes = (Integer[]) a.getArray();
        int[] out = new int[codes.length];
        for (int j = 0; j < codes.length; j++) out[j] = codes[j];
        return Conditions.of(out);
    }

    /** One row of a bar query; null to skip the row. */
    @FunctionalInterface
    private interface Row {
        OhlcvBar read(ResultSet rs) throws SQLException;
    }

    private List<OhlcvBar> read(String sql, String symbol, String source, long fromNs, long toNs, int limit, Row row) {
        return pool.with(c -> {
            List<OhlcvBar> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, symbol);
                ps.setString(2, source);
                ps.setObject(3, time(fromNs));
                ps.setObject(4, time(toNs));
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        OhlcvBar b = row.read(rs);
                        if (b != null) out.add(b);
                    }
                }
            }
            java.util.Collections.reverse(out);
            return out;
        });
    }

    private static OffsetDateTime time(long ns) {
        // beyond PostgreSQL's range the bound is open: +-infinity would need a cast, a far date does the same
        long clamped = Math.max(-200_000_000_000_000_000L, Math.min(ns, 7_000_000_000_000_000_000L));
        return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(0, clamped), ZoneOffset.UTC);
    }

    private static long nanos(OffsetDateTime t) {
        return t.toEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static String name(DataSource s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    @Override public void close() {
        pool.close();
    }
}
