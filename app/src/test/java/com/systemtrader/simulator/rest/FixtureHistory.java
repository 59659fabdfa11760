package com.systemtrader.simulator.rest;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A small, fixed market for the REST tests (2024-05-30, New York summer time: 09:30 ET = 13:30Z).
 * AAPL: 12 minute bars from 13:30Z, 10 trades (three sharing one timestamp; the last one a TRF print), one quote,
 * daily bars for 05-29 and 05-30. MSFT: 7 minute bars, one trade, daily bars. IDLE: known, no data at all.
 */
final class FixtureHistory implements MarketHistory {
    static final ZoneId NY = ZoneId.of("America/New_York");
    static final long MIN = 60_000_000_000L;
    static final long SEC = 1_000_000_000L;
    static final long DAY = 86_400L * SEC;
    /** 2024-05-30T13:30:00Z. */
    static final long T0 = ns("2024-05-30T13:30:00Z");
    /** The market time tests pass to the router: 2024-05-30T14:00:00Z (10:00 ET). */
    static final long NOW = ns("2024-05-30T14:00:00Z");
    static final long MAY29 = ns("2024-05-29T04:00:00Z");
    static final long MAY30 = ns("2024-05-30T04:00:00Z");
    /** Time of AAPL's last trade (a TRF print). */
    static final long LAST_TRADE_T = T0 + 11 * MIN + 30 * SEC + 123_456_789L;
    static final long LAST_QUOTE_T = T0 + 11 * MIN + 45 * SEC + 500_000_000L;

    private final Map<String, List<Bar>> minuteBars = new TreeMap<>();
    private final Map<String, List<Bar>> dailyBars = new TreeMap<>();
    private final Map<String, List<Trade>> trades = new TreeMap<>();
    private final Map<String, Quote> quotes = new LinkedHashMap<>();

    FixtureHistory() {
        minuteBars.put("AAPL", minuteSeries("AAPL", 12, 100));
        minuteBars.put("MSFT", minuteSeries("MSFT", 7, 400));
        minuteBars.put("IDLE", List.of());
        dailyBars.put("AAPL", List.of(
                daily("AAPL", MAY29, MAY30, 98, 112, 97, 99.5, 50_000, 100.0, 600),
                daily("AAPL", MAY30, ns("2024-05-31T04:00:00Z"), 100, 112, 99, 111.5, 12_066, 105.75, 186)));
        dailyBars.put("MSFT", List.of(
                daily("MSFT", MAY29, MAY30, 398, 410, 397, 399, 70_000, 401.5, 900),
                daily("MSFT", MAY30, ns("2024-05-31T04:00:00Z"), 400, 407, 399, 406.5, 7_021, 403.25, 91)));
        dailyBars.put("IDLE", List.of());

        List<Trade> aapl = new ArrayList<>();
        aapl.add(trade("AAPL", T0 + SEC, 100.1, 100, 12, "1", 11, Conditions.NONE));
        aapl.add(trade("AAPL", T0 + 2 * SEC, 100.2, 200, 11, "2", 12, Conditions.of(37)));
        aapl.add(trade("AAPL", T0 + 2 * SEC, 100.3, 300, 11, "3", 15, Conditions.NONE));
        aapl.add(trade("AAPL", T0 + 2 * SEC, 100.4, 400, 10, "4", 16, Conditions.of(14, 41)));
        aapl.add(trade("AAPL", T0 + 3 * SEC, 100.5, 500, 12, "5", 20, Conditions.NONE));
        aapl.add(trade("AAPL", T0 + 5 * SEC, 100.6, 600, 12, "6", 21, Conditions.NONE));
        aapl.add(trade("AAPL", T0 + 5 * SEC, 100.7, 700, 12, "7", 22, Conditions.NONE));
        aapl.add(trade("AAPL", T0 + 8 * SEC, 100.8, 800, 15, "8", 25, Conditions.NONE));
        aapl.add(trade("AAPL", T0 + 9 * SEC, 100.9, 900, 12, "9", 30, Conditions.NONE));
        aapl.add(new Trade(DataSource.SIMULATOR, "AAPL", LAST_TRADE_T, LAST_TRADE_T, 111.5, 25, 4,
                "71675577320245", 'C', 4502211, 202, LAST_TRADE_T - 29_000, Conditions.of(12, 37)));
        trades.put("AAPL", aapl);
        trades.put("MSFT", List.of(trade("MSFT", T0 + 6 * MIN, 406.5, 50, 10, "77", 5, Conditions.NONE)));
        trades.put("IDLE", List.of());

        quotes.put("AAPL", new Quote(DataSource.SIMULATOR, "AAPL", LAST_QUOTE_T, LAST_QUOTE_T, 11, 111.49, 3,
                12, 111.52, 2, Conditions.of(1), Conditions.of(604), 'C', 98_211_020L));
    }

    static long ns(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * SEC + i.getNano();
    }

    /** Minute bar i of a series: o = base + i, h = o + 1, l = o - 1, c = o + 0.5, v = 1000 + i, n = 10 + i. */
    private static List<Bar> minuteSeries(String symbol, int count, double base) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t = T0 + i * MIN;
            double o = base + i;
            bars.add(new Bar(DataSource.SIMULATOR, symbol, BarInterval.MINUTE, t, t + MIN, t + MIN, o, o + 1, o - 1,
                    o + 0.5, 1000 + i, o + 0.25, 10 + i, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false));
        }
        return bars;
    }

    private static Bar daily(String symbol, long t, long end, double o, double h, double l, double c, long v,
                             double vw, long n) {
        return new Bar(DataSource.SIMULATOR, symbol, BarInterval.DAILY, t, end, end, o, h, l, c, v, vw, n, Absent.LONG,
                Double.NaN, Double.NaN, Absent.LONG, false);
    }

    private static Trade trade(String symbol, long t, double p, long s, int x, String id, long q, Conditions c) {
        return new Trade(DataSource.SIMULATOR, symbol, t, t, p, s, x, id, 'C', q, Absent.INT, Absent.LONG, c);
    }

    List<Bar> minuteBars(String symbol) { return minuteBars.get(symbol); }

    List<Trade> allTrades(String symbol) { return trades.get(symbol); }

    @Override public List<String> symbols() { return List.copyOf(minuteBars.keySet()); }

    @Override public boolean knows(String symbol) { return minuteBars.containsKey(symbol); }

    @Override public List<Bar> bars(String symbol, long intervalNs, long fromNs, long toNs) {
        List<Bar> out = new ArrayList<>();
        if (!knows(symbol)) return out;
        if (intervalNs == DAY) {
            for (Bar b : dailyBars.get(symbol)) if (b.eventTimeNs() >= fromNs && b.eventTimeNs() <= toNs) out.add(b);
            return out;
        }
        Map<Long, List<Bar>> buckets = new TreeMap<>();
        for (Bar b : minuteBars.get(symbol)) {
            buckets.computeIfAbsent(Math.floorDiv(b.eventTimeNs(), intervalNs) * intervalNs, k -> new ArrayList<>()).add(b);
        }
        for (Map.Entry<Long, List<Bar>> e : buckets.entrySet()) {
            long start = e.getKey();
            if (start < fromNs || start > toNs) continue;
            out.add(merge(symbol, start, start + intervalNs, e.getValue()));
        }
        return out;
    }

    static Bar merge(String symbol, long start, long end, List<Bar> parts) {
        double h = Double.NEGATIVE_INFINITY;
        double l = Double.POSITIVE_INFINITY;
        long v = 0;
        long n = 0;
        double pv = 0;
        for (Bar b : parts) {
            h = Math.max(h, b.high());
            l = Math.min(l, b.low());
            v += b.volume();
            n += b.tradeCount();
            pv += b.vwap() * b.volume();
        }
        return new Bar(DataSource.SIMULATOR, symbol, BarInterval.MINUTE, start, end, end, parts.getFirst().open(), h, l,
                parts.getLast().close(), v, pv / v, n, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    @Override public List<Trade> trades(String symbol, long fromNs, long toNs, int limit) {
        List<Trade> out = new ArrayList<>();
        if (!knows(symbol)) return out;
        for (Trade t : trades.get(symbol)) {
            if (out.size() >= limit) break;
            if (t.eventTimeNs() >= fromNs && t.eventTimeNs() < toNs) out.add(t);
        }
        return out;
    }

    @Override public Optional<Trade> lastTrade(String symbol) {
        List<Trade> t = trades.get(symbol);
        return t == null || t.isEmpty() ? Optional.empty() : Optional.of(t.getLast());
    }

    @Override public Optional<Quote> lastQuote(String symbol) { return Optional.ofNullable(quotes.get(symbol)); }

    @Override public Optional<Bar> lastMinuteBar(String symbol) {
        List<Bar> b = minuteBars.get(symbol);
        return b == null || b.isEmpty() ? Optional.empty() : Optional.of(b.getLast());
    }

    @Override public Optional<Bar> dailyBar(String symbol, long nowNs) {
        long midnight = nyMidnight(nowNs);
        List<Bar> d = dailyBars.get(symbol);
        if (d == null) return Optional.empty();
        return d.stream().filter(b -> b.eventTimeNs() == midnight).findFirst();
    }

    @Override public Optional<Bar> previousDailyBar(String symbol, long nowNs) {
        long midnight = nyMidnight(nowNs);
        List<Bar> d = dailyBars.get(symbol);
        if (d == null) return Optional.empty();
        Bar prev = null;
        for (Bar b : d) if (b.eventTimeNs() < midnight) prev = b;
        return Optional.ofNullable(prev);
    }

    private static long nyMidnight(long ns) {
        LocalDate date = Instant.ofEpochSecond(Math.floorDiv(ns, SEC)).atZone(NY).toLocalDate();
        return date.atStartOfDay(NY).toEpochSecond() * SEC;
    }
}
