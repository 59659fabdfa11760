package com.systemtrader.simulator.market;

import java.util.List;

/**
 * Settings of the synthetic market.
 *
 * @param seed                 all randomness derives from it; the same seed and symbols give the same market
 * @param symbols              tickers, upper case
 * @param barIntervalMs        length of the streamed "minute" bars (Polygon AM, Alpaca b/u/d); 60000 is real,
 *                             smaller values speed up tests. REST history always uses real minutes.
 * @param historyDays          days of minute history synthesized before start for the REST endpoints
 * @param tradesPerSymbol      trades kept per symbol for {@code /v3/trades}
 * @param haltsPerSymbolHour   expected trading halts per symbol and hour (0 disables halts)
 * @param sessionCalendar      true: data only 04:00-20:00 New York time on weekdays, Form T only outside
 *                             09:30-16:00; false (default): always streaming
 * @param maxLateMs            how late a late trade (sold out of sequence, some TRF reports) may be: between
 *                             min(500 ms, maxLateMs / 2) and maxLateMs behind the market clock; default 9500.
 *                             With short bars, a value below half the bar length puts every late trade into the
 *                             window the market can still send an updated bar for.
 */
public record MarketConfig(long seed, List<String> symbols, long barIntervalMs, int historyDays, int tradesPerSymbol,
                           double haltsPerSymbolHour, boolean sessionCalendar, long maxLateMs) {
    /** Default of {@link #maxLateMs}. */
    public static final long DEFAULT_MAX_LATE_MS = 9_500;

    public MarketConfig {
        symbols = List.copyOf(symbols);
        if (symbols.isEmpty()) throw new IllegalArgumentException("at least one symbol is needed");
        if (barIntervalMs < 100) throw new IllegalArgumentException("barIntervalMs must be at least 100");
        if (historyDays < 0) throw new IllegalArgumentException("historyDays must not be negative");
        if (tradesPerSymbol < 1) throw new IllegalArgumentException("tradesPerSymbol must be positive");
        if (maxLateMs < 1) throw new IllegalArgumentException("maxLateMs must be positive");
    }

    /** With the default {@link #maxLateMs}. */
    public MarketConfig(long seed, List<String> symbols, long barIntervalMs, int historyDays, int tradesPerSymbol,
                        double haltsPerSymbolHour, boolean sessionCalendar) {
        this(seed, symbols, barIntervalMs, historyDays, tradesPerSymbol, haltsPerSymbolHour, sessionCalendar,
                DEFAULT_MAX_LATE_MS);
    }

    public static MarketConfig defaults(long seed, List<String> symbols) {
        return new MarketConfig(seed, symbols, 60_000, 10, 50_000, 0.5, false);
    }

    public MarketConfig withBarIntervalMs(long ms) {
        return new MarketConfig(seed, symbols, ms, historyDays, tradesPerSymbol, haltsPerSymbolHour, sessionCalendar,
                maxLateMs);
    }

    public MarketConfig withHalts(double perSymbolHour) {
        return new MarketConfig(seed, symbols, barIntervalMs, historyDays, tradesPerSymbol, perSymbolHour,
                sessionCalendar, maxLateMs);
    }

    public MarketConfig withMaxLateMs(long ms) {
        return new MarketConfig(seed, symbols, barIntervalMs, historyDays, tradesPerSymbol, haltsPerSymbolHour,
                sessionCalendar, ms);
    }
}
