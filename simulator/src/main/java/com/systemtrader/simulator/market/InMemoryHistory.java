package com.systemtrader.simulator.market;

import com.systemtrader.calendar.NewYorkTime;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The market's memory for the REST endpoints: minute bars (synthesized for {@code historyDays} before start,
 * then recorded from what was streamed), the last {@code tradesPerSymbol} trades, as many quotes (for
 * {@code /v3/quotes}), and the latest trade and quote.
 * Written by the market thread; read by any thread.
 */
public final class InMemoryHistory implements MarketHistory {
    private static final long MINUTE_NS = 60_000_000_000L;
    private static final long DAY_NS = 86_400_000_000_000L;

    private final List<String> symbols;
    private final Map<String, SymbolHistory> bySymbol = new HashMap<>();

    public InMemoryHistory(MarketConfig config, Map<String, Double> startPrices, long startNs) {
        this.symbols = config.symbols();
        int capacity = (config.historyDays() + 3) * 1440;
        for (String s : symbols) {
            SymbolHistory h = new SymbolHistory(capacity, config.tradesPerSymbol());
            synthesizePast(config, s, startPrices.get(s), startNs, h.minutes);
            bySymbol.put(s, h);
        }
    }

    // ---- written by the market thread ----

    /**
     * Records an emitted trade with its {@link com.systemtrader.sip.Eligibility} bits: the minute bar takes the
     * intraday bits (what REST minute aggregates serve), and the minute's daily part takes the consolidated bits
     * (what daily aggregates are built from), so that REST daily bars match the streamed daily bar.
     */
    void recordTrade(Trade t, int eligibility) {
        SymbolHistory h = bySymbol.get(t.symbol());
        synchronized (h) {
            // the last trade is the newest by event time, as the providers' last-trade endpoints answer: a late
            // report recorded afterwards does not replace a newer trade
            Trade last = h.lastTrade;
            if (last == null || t.eventTimeNs() >= last.eventTimeNs()) h.lastTrade = t;
            h.trades[h.tradeHead] = t;
            h.tradeHead = (h.tradeHead + 1) % h.trades.length;
            if (h.tradeCount < h.trades.length) h.tradeCount++;
        }
        long minute = MinuteRing.minuteOf(t.eventTimeNs());
        if (minute > h.currentMinute) rollMinute(h, minute);
        if (minute == h.currentMinute) {
            h.current.addIntraday(t.eventTimeNs(), t.price(), t.size(), eligibility);
            h.currentDaily.addDaily(t.eventTimeNs(), t.price(), t.size(), eligibility);
        } else {
            synchronized (h) {
                h.minutes.mergeLate(minute, t.price(), t.size(), eligibility);
            }
        }
    }

    void recordQuote(Quote q) {
        SymbolHistory h = bySymbol.get(q.symbol());
        synchronized (h) {
            h.lastQuote = q;
            h.quotes[h.quoteHead] = q;
            h.quoteHead = (h.quoteHead + 1) % h.quotes.length;
            if (h.quoteCount < h.quotes.length) h.quoteCount++;
        }
    }

    /** Closes the current minute of every symbol whose minute ended before {@code nowNs}. */
    void advance(long nowNs) {
        long minute = MinuteRing.minuteOf(nowNs);
        for (SymbolHistory h : bySymbol.values()) {
            if (h.currentMinute < minute) rollMinute(h, minute);
        }
    }

    private static void rollMinute(SymbolHistory h, long newMinute) {
        BarAccumulator a = h.current;
        if (a.hasBar()) {
            synchronized (h) {
                h.minutes.put(h.currentMinute, a, h.currentDaily);
                h.lastMinuteBar = a.toBar(h.lastSymbol(), BarInterval.MINUTE, MINUTE_NS);
            }
        }
        h.currentMinute = newMinute;
        a.reset(MinuteRing.startOf(newMinute));
        h.currentDaily.reset(MinuteRing.startOf(newMinute));
    }

    // ---- MarketHistory ----

    @Override public List<String> symbols() { return symbols; }

    @Override public boolean knows(String symbol) { return bySymbol.containsKey(symbol); }

    @Override
    public List<Bar> bars(String symbol, long intervalNs, long fromNs, long toNs) {
        SymbolHistory h = bySymbol.get(symbol);
        List<Bar> out = new ArrayList<>();
        if (h == null || toNs < fromNs) return out;
        if (intervalNs >= DAY_NS) {
            long days = Math.max(1, intervalNs / DAY_NS);
            LocalDate day = NewYorkTime.date(fromNs);
            if (NewYorkTime.midnightNs(day) < fromNs) day = day.plusDays(1);
            synchronized (h) {
                for (; NewYorkTime.midnightNs(day) <= toNs; day = day.plusDays(days)) {
                    long start = NewYorkTime.midnightNs(day);
                    long end = NewYorkTime.midnightNs(day.plusDays(days));
                    Bar b = h.minutes.aggregate(symbol, BarInterval.DAILY, MinuteRing.minuteOf(start),
                            MinuteRing.minuteOf(end), start, end);
                    if (b != null) out.add(b);
                }
            }
            return out;
        }
        long step = Math.max(1, intervalNs / MINUTE_NS);
        long first = Math.floorDiv(Math.floorDiv(fromNs + MINUTE_NS - 1, MINUTE_NS) + step - 1, step) * step;
        long last = Math.floorDiv(toNs, MINUTE_NS);
        synchronized (h) {
            for (long m = first; m <= last; m += step) {
                Bar b = h.minutes.aggregate(symbol, BarInterval.MINUTE, m, m + step, MinuteRing.startOf(m),
                        MinuteRing.startOf(m + step));
                if (b != null) out.add(b);
            }
        }
        return out;
    }

    @Override
    public List<Trade> trades(String symbol, long fromNs, long toNs, int limit) {
        SymbolHistory h = bySymbol.get(symbol);
        List<Trade> out = new ArrayList<>();
        if (h == null) return out;
        synchronized (h) {
            int n = h.tradeCount;
            int start = Math.floorMod(h.tradeHead - n, h.trades.length);
            for (int k = 0; k < n; k++) {
                Trade t = h.trades[(start + k) % h.trades.length];
                if (t.eventTimeNs() >= fromNs && t.eventTimeNs() < toNs) out.add(t);
            }
        }
        out.sort(Comparator.comparingLong(Trade::eventTimeNs).thenComparingLong(Trade::sequence));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    @Override
    public List<Quote> quotes(String symbol, long fromNs, long toNs, int limit) {
        SymbolHistory h = bySymbol.get(symbol);
        List<Quote> out = new ArrayList<>();
        if (h == null) return out;
        synchronized (h) {
            int n = h.quoteCount;
            int start = Math.floorMod(h.quoteHead - n, h.quotes.length);
            for (int k = 0; k < n; k++) {
                Quote q = h.quotes[(start + k) % h.quotes.length];
                if (q.eventTimeNs() >= fromNs && q.eventTimeNs() < toNs) out.add(q);
            }
        }
        out.sort(Comparator.comparingLong(Quote::eventTimeNs).thenComparingLong(Quote::sequence));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    @Override public Optional<Trade> lastTrade(String symbol) {
        SymbolHistory h = bySymbol.get(symbol);
        return h == null ? Optional.empty() : Optional.ofNullable(h.lastTrade);
    }

    @Override public Optional<Quote> lastQuote(String symbol) {
        SymbolHistory h = bySymbol.get(symbol);
        return h == null ? Optional.empty() : Optional.ofNullable(h.lastQuote);
    }

    @Override public Optional<Bar> lastMinuteBar(String symbol) {
        SymbolHistory h = bySymbol.get(symbol);
        if (h == null) return Optional.empty();
        synchronized (h) {
            return Optional.ofNullable(h.lastMinuteBar);
        }
    }

    @Override public Optional<Bar> dailyBar(String symbol, long nowNs) {
        long start = NewYorkTime.midnightNs(nowNs);
        return daily(symbol, start, start + DAY_NS);
    }

    @Override public Optional<Bar> previousDailyBar(String symbol, long nowNs) {
        SymbolHistory h = bySymbol.get(symbol);
        if (h == null) return Optional.empty();
        LocalDate day = NewYorkTime.date(nowNs).minusDays(1);
        for (int i = 0; i < 7; i++, day = day.minusDays(1)) {
            Optional<Bar> b = daily(symbol, NewYorkTime.midnightNs(day), NewYorkTime.midnightNs(day.plusDays(1)));
            if (b.isPresent()) return b;
        }
        return Optional.empty();
    }

    private Optional<Bar> daily(String symbol, long start, long end) {
        SymbolHistory h = bySymbol.get(symbol);
        if (h == null) return Optional.empty();
        synchronized (h) {
            return Optional.ofNullable(h.minutes.aggregate(symbol, BarInterval.DAILY, MinuteRing.minuteOf(start),
                    MinuteRing.minuteOf(end), start, end));
        }
    }

    /**
     * Minute bars before start, walking backwards from the start price with seeded returns, so that the past
     * joins the live stream without a jump. Deterministic in (seed, symbol, minute).
     */
    private static void synthesizePast(MarketConfig config, String symbol, double startPrice, long startNs,
                                       MinuteRing ring) {
        long startMinute = MinuteRing.minuteOf(startNs);
        double close = startPrice;
        for (long m = startMinute - 1; m >= startMinute - (long) config.historyDays() * 1440; m--) {
            long t = MinuteRing.startOf(m);
            if (config.sessionCalendar() && !NewYorkTime.inExtendedSession(t)) continue;
            SplittableRandom r = new SplittableRandom(config.seed() * 31 + symbol.hashCode() * 1_000_003L + m);
            double ret = r.nextGaussian() * 0.0008;
            double open = Prices.cents(close / Math.exp(ret));
            double c = Prices.cents(close);
            double hi = Prices.cents(Math.max(open, c) * (1 + Math.abs(r.nextGaussian()) * 0.0003));
            double lo = Prices.cents(Math.min(open, c) * (1 - Math.abs(r.nextGaussian()) * 0.0003));
            long vol = 100L * (20 + r.nextInt(400));
            long n = 5 + r.nextInt(200);
            double vw = Prices.cents4((open + hi + lo + c) / 4);
            ring.put(m, open, hi, lo, c, vol, vw, n);
            close = open;
        }
    }

    private static final class SymbolHistory {
        final MinuteRing minutes;
        final Trade[] trades;
        int tradeHead;
        int tradeCount;
        /** The last quotes, as many as trades are kept. */
        final Quote[] quotes;
        int quoteHead;
        int quoteCount;
        /** The current minute under the intraday rules. */
        final BarAccumulator current = new BarAccumulator();
        /** The current minute under the daily rules (only its prices are used). */
        final BarAccumulator currentDaily = new BarAccumulator();
        long currentMinute = Long.MIN_VALUE;
        volatile Trade lastTrade;
        volatile Quote lastQuote;
        Bar lastMinuteBar;

        SymbolHistory(int minuteCapacity, int tradeCapacity) {
            minutes = new MinuteRing(minuteCapacity);
            trades = new Trade[tradeCapacity];
            quotes = new Quote[tradeCapacity];
        }

        String lastSymbol() {
            Trade t = lastTrade;
            return t == null ? "" : t.symbol();
        }
    }
}
