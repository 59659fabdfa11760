package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
     * Up to {@code n} newest bars of the interval's view for (symbol, source), oldest first. First with a lower
     * bound of {@code fromNs} on the bucket (so the materialized part is a short range scan of its primary key
     * instead of every bucket of the symbol), then, when that gives fewer than {@code n}, without it.
     */
    List<OhlcvBar> bars(String symbol, DataSource source, OhlcvInterval interval, int n, long fromNs) {
        List<OhlcvBar> recent = bars(symbol, source, interval, n, " AND bucket >= ?", fromNs);
        return recent.size() >= n ? recent : bars(symbol, source, interval, n, "", 0);
    }

    private List<OhlcvBar> bars(String symbol, DataSource source, OhlcvInterval interval, int n, String bound, long fromNs) {
        String sql = "SELECT bucket, open, high, low, close, volume, vwap, trade_count FROM " + interval.view()
                + " WHERE symbol = ? AND source = ?" + bound + " ORDER BY bucket DESC LIMIT ?";
        return pool.with(c -> {
            List<OhlcvBar> out = new ArrayList<>(n);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, symbol);
                ps.setString(2, name(source));
                int i = 3;
                if (!bound.isEmpty()) {
                    ps.setObject(i++, java.time.OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(0, fromNs),
                            java.time.ZoneOffset.UTC));
                }
                ps.setInt(i, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        java.time.OffsetDateTime t = rs.getObject(1, java.time.OffsetDateTime.class);
                        long startNs = t.toEpochSecond() * 1_000_000_000L + t.getNano();
                        double open = rs.getDouble(2);
                        if (rs.wasNull()) continue;            // a bucket of volume-only prints
                        double high = rs.getDouble(3), low = rs.getDouble(4), close = rs.getDouble(5);
                        long volume = rs.getLong(6);
                        double vwap = rs.getDouble(7);
                        if (rs.wasNull()) vwap = Double.NaN;
                        long count = rs.getLong(8);
                        out.add(new OhlcvBar(startNs, open, high, low, close, volume, vwap, count, Tier.DATABASE, source));
                    }
                }
            }
            java.util.Collections.reverse(out);
            return out;
        });
    }

    static String name(DataSource s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    @Override public void close() {
        pool.close();
    }
}
