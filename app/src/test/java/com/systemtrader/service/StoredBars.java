package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The database's one-minute roll-ups ({@code ohlcv_1m}, materialized by {@code refresh_ohlcv_all}) against bars
 * computed here, in Java, straight from the stored trades: only trades not cancelled (status 0 or 1) and not flagged
 * suspicious (flag 256); open/close from trades with eligibility bit 8, high/low from bit 16, volume, VWAP and count
 * from bit 4 (the SIP rules of {@code sip.Eligibility}). Trade times are ordered by the stored time; when several
 * trades share the first or last time of a minute, open or close may be any of their prices (the providers send
 * Polygon trade times in milliseconds, so such ties are real and their order is not known).
 */
final class StoredBars {
    private StoredBars() {}

    private record T(long timeUs, double price, long size, int eligibility) {}

    /**
     * Compares every minute (call it after the stream stopped: then every minute holds all its trades); returns how
     * many were compared.
     */
    static int assertRollupsMatchStoredTrades(Connection c) throws SQLException {
        Map<String, List<T>> byMinute = new HashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT symbol, source, (extract(epoch FROM time) * 1000000)::bigint, "
                    + "price, size, eligibility FROM websocket_data WHERE data_type = 'trade' AND status IN (0, 1) "
                    + "AND flags & 256 = 0 ORDER BY time")) {
                while (r.next()) {
                    long us = r.getLong(3);
                    long minute = Math.floorDiv(us, 60_000_000L);
                    byMinute.computeIfAbsent(r.getString(1) + "|" + r.getString(2) + "|" + minute, k -> new ArrayList<>())
                            .add(new T(us, r.getDouble(4), r.getLong(5), r.getInt(6)));
                }
            }
            s.execute("CALL refresh_ohlcv_all(now() - interval '2 days', now() + interval '1 day')");
            int compared = 0;
            try (ResultSet r = s.executeQuery("SELECT symbol, source, (extract(epoch FROM bucket) / 60)::bigint, open, "
                    + "high, low, close, volume, vwap, trade_count FROM ohlcv_1m")) {
                while (r.next()) {
                    long minute = r.getLong(3);
                    String key = r.getString(1) + "|" + r.getString(2) + "|" + minute;
                    List<T> ts = byMinute.remove(key);
                    assertThat(ts).as("roll-up %s has stored trades", key).isNotNull();
                    check(key, ts, r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getLong(8),
                            r.getDouble(9), r.getLong(10));
                    compared++;
                }
            }
            for (Map.Entry<String, List<T>> e : byMinute.entrySet()) {
                if (e.getValue().stream().anyMatch(t -> (t.eligibility & 28) != 0)) {
                    throw new AssertionError("stored trades of " + e.getKey() + " have no roll-up");
                }
            }
            return compared;
        }
    }

    private static void check(String key, List<T> ts, double open, double high, double low, double close, long volume,
                              double vwap, long count) {
        List<T> oc = ts.stream().filter(t -> (t.eligibility & 8) != 0).toList();
        List<T> hl = ts.stream().filter(t -> (t.eligibility & 16) != 0).toList();
        List<T> v = ts.stream().filter(t -> (t.eligibility & 4) != 0).toList();
        if (!oc.isEmpty()) {
            long first = oc.getFirst().timeUs;
            long last = oc.getLast().timeUs;
            assertThat(oc.stream().filter(t -> t.timeUs == first).map(T::price).toList()).as("%s open", key).contains(open);
            assertThat(oc.stream().filter(t -> t.timeUs == last).map(T::price).toList()).as("%s close", key).contains(close);
        }
        if (!hl.isEmpty()) {
            assertThat(high).as("%s high", key).isEqualTo(hl.stream().mapToDouble(T::price).max().orElseThrow());
            assertThat(low).as("%s low", key).isEqualTo(hl.stream().mapToDouble(T::price).min().orElseThrow());
        }
        assertThat(volume).as("%s volume", key).isEqualTo(v.stream().mapToLong(T::size).sum());
        assertThat(count).as("%s trade count", key).isEqualTo(v.size());
        if (!v.isEmpty()) {
            double notional = v.stream().mapToDouble(t -> t.price * t.size).sum();
            assertThat(vwap).as("%s vwap", key).isCloseTo(notional / volume, org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
