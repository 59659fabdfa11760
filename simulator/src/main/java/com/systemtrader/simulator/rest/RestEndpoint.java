package com.systemtrader.simulator.rest;

/** The endpoints the simulator answers, for routing and per-endpoint request counters. */
public enum RestEndpoint {
    /** {@code GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}} */
    POLYGON_AGGS(Provider.POLYGON, "polygon_aggs"),
    /** {@code GET /v2/aggs/ticker/{ticker}/prev} */
    POLYGON_PREV(Provider.POLYGON, "polygon_prev"),
    /** {@code GET /v2/last/trade/{ticker}} */
    POLYGON_LAST_TRADE(Provider.POLYGON, "polygon_last_trade"),
    /** {@code GET /v2/last/nbbo/{ticker}} */
    POLYGON_LAST_NBBO(Provider.POLYGON, "polygon_last_nbbo"),
    /** {@code GET /v2/snapshot/locale/us/markets/stocks/tickers/{ticker}} */
    POLYGON_SNAPSHOT_TICKER(Provider.POLYGON, "polygon_snapshot_ticker"),
    /** {@code GET /v2/snapshot/locale/us/markets/stocks/tickers} */
    POLYGON_SNAPSHOT_TICKERS(Provider.POLYGON, "polygon_snapshot_tickers"),
    /** {@code GET /v3/trades/{ticker}} */
    POLYGON_TRADES(Provider.POLYGON, "polygon_trades"),
    /** {@code GET /v3/quotes/{ticker}} */
    POLYGON_QUOTES(Provider.POLYGON, "polygon_quotes"),
    /** {@code GET /v2/stocks/bars} */
    ALPACA_BARS(Provider.ALPACA, "alpaca_bars"),
    /** {@code GET /v2/stocks/{symbol}/bars} */
    ALPACA_SYMBOL_BARS(Provider.ALPACA, "alpaca_symbol_bars"),
    /** {@code GET /v2/stocks/trades} */
    ALPACA_TRADES(Provider.ALPACA, "alpaca_trades"),
    /** {@code GET /v2/stocks/{symbol}/trades} */
    ALPACA_SYMBOL_TRADES(Provider.ALPACA, "alpaca_symbol_trades"),
    /** {@code GET /v2/stocks/trades/latest} */
    ALPACA_LATEST_TRADES(Provider.ALPACA, "alpaca_latest_trades"),
    /** {@code GET /v2/stocks/quotes/latest} */
    ALPACA_LATEST_QUOTES(Provider.ALPACA, "alpaca_latest_quotes"),
    /** {@code GET /v2/stocks/bars/latest} */
    ALPACA_LATEST_BARS(Provider.ALPACA, "alpaca_latest_bars"),
    /** {@code GET /v2/stocks/snapshots} */
    ALPACA_SNAPSHOTS(Provider.ALPACA, "alpaca_snapshots"),
    /** {@code GET /v2/stocks/{symbol}/trades/latest} */
    ALPACA_SYMBOL_LATEST_TRADE(Provider.ALPACA, "alpaca_symbol_latest_trade"),
    /** {@code GET /v2/stocks/{symbol}/quotes/latest} */
    ALPACA_SYMBOL_LATEST_QUOTE(Provider.ALPACA, "alpaca_symbol_latest_quote"),
    /** {@code GET /v2/stocks/{symbol}/bars/latest} */
    ALPACA_SYMBOL_LATEST_BAR(Provider.ALPACA, "alpaca_symbol_latest_bar"),
    /** {@code GET /v2/stocks/{symbol}/snapshot} */
    ALPACA_SYMBOL_SNAPSHOT(Provider.ALPACA, "alpaca_symbol_snapshot"),
    /** Any other path (answered 404). */
    UNKNOWN(Provider.NONE, "unknown");

    /** Whose protocol an endpoint speaks. */
    public enum Provider { POLYGON, ALPACA, NONE }

    private final Provider provider;
    private final String metricName;

    RestEndpoint(Provider provider, String metricName) {
        this.provider = provider;
        this.metricName = metricName;
    }

    public Provider provider() { return provider; }

    /** A stable snake_case name for metrics labels. */
    public String metricName() { return metricName; }

    /** Finds the endpoint for the decoded, non-empty path segments; {@link #UNKNOWN} if none matches. */
    static RestEndpoint match(String[] s) {
        int n = s.length;
        if (n < 3) return UNKNOWN;
        if (s[0].equals("v3")) {
            if (n != 3) return UNKNOWN;
            return s[1].equals("trades") ? POLYGON_TRADES : s[1].equals("quotes") ? POLYGON_QUOTES : UNKNOWN;
        }
        if (!s[0].equals("v2")) return UNKNOWN;
        switch (s[1]) {
            case "stocks": return matchAlpaca(s);
            case "aggs":
                if (!s[2].equals("ticker")) return UNKNOWN;
                if (n == 9 && s[4].equals("range")) return POLYGON_AGGS;
                return n == 5 && s[4].equals("prev") ? POLYGON_PREV : UNKNOWN;
            case "last":
                if (n != 4) return UNKNOWN;
                return s[2].equals("trade") ? POLYGON_LAST_TRADE : s[2].equals("nbbo") ? POLYGON_LAST_NBBO : UNKNOWN;
            case "snapshot":
                if (n < 7 || !s[2].equals("locale") || !s[3].equals("us") || !s[4].equals("markets")
                        || !s[5].equals("stocks") || !s[6].equals("tickers")) {
                    return UNKNOWN;
                }
                return n == 7 ? POLYGON_SNAPSHOT_TICKERS : n == 8 ? POLYGON_SNAPSHOT_TICKER : UNKNOWN;
            default: return UNKNOWN;
        }
    }

    private static RestEndpoint matchAlpaca(String[] s) {
        int n = s.length;
        if (n == 3) {
            switch (s[2]) {
                case "bars": return ALPACA_BARS;
                case "trades": return ALPACA_TRADES;
                case "snapshots": return ALPACA_SNAPSHOTS;
                default: return UNKNOWN;
            }
        }
        if (n == 4 && s[3].equals("latest")) {
            switch (s[2]) {
                case "trades": return ALPACA_LATEST_TRADES;
                case "quotes": return ALPACA_LATEST_QUOTES;
                case "bars": return ALPACA_LATEST_BARS;
                default: return UNKNOWN;
            }
        }
        if (n == 4) {
            switch (s[3]) {
                case "bars": return ALPACA_SYMBOL_BARS;
                case "trades": return ALPACA_SYMBOL_TRADES;
                case "snapshot": return ALPACA_SYMBOL_SNAPSHOT;
                default: return UNKNOWN;
            }
        }
        if (n == 5 && s[4].equals("latest")) {
            switch (s[3]) {
                case "trades": return ALPACA_SYMBOL_LATEST_TRADE;
                case "quotes": return ALPACA_SYMBOL_LATEST_QUOTE;
                case "bars": return ALPACA_SYMBOL_LATEST_BAR;
                default: return UNKNOWN;
            }
        }
        return UNKNOWN;
    }
}
