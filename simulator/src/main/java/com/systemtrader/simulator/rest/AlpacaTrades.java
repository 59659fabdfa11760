package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alpaca historical trades: {@code /v2/stocks/trades} ({@code {"trades":{"AAPL":[...]},"next_page_token":..}};
 * symbols in ascending order, then time; {@code limit} counts all symbols together; symbols without trades,
 * unknown ones included, are left out of the map) and {@code /v2/stocks/{symbol}/trades}
 * ({@code {"trades":[...],"symbol":..,"next_page_token":..}}, {@code "trades":[]} when empty or unknown).
 * {@code start}/{@code end} are inclusive; {@code start} defaults to the beginning of the current New York day
 * and {@code end} to now. Trades sharing a timestamp keep the history's order (time, then sequence; reversed
 * for {@code sort=desc}). {@code next_page_token} names the first trade of the next page by symbol, time and
 * how many trades of that exact time precede it ({@link Cursor.PageToken#skip()}), so following it never skips
 * or repeats a trade even when a page boundary falls inside a group of equal timestamps.
 */
final class AlpacaTrades {
    private final MarketHistory history;
    private final RestConfig config;

    AlpacaTrades(MarketHistory history, RestConfig config) {
        this.history = history;
        this.config = config;
    }

    void multi(RestRequest r, JsonOut out) {
        List<String> symbols = AlpacaParams.symbols(r);
        symbols.sort(null);
        Page page = page(r, symbols);
        AlpacaPage.writeMulti(out, "trades", page.trades, page.next, AlpacaJson::trade);
    }

    void single(RestRequest r, JsonOut out) {
        String symbol = AlpacaParams.symbol(r.segment(2), "symbol");
        Page page = page(r, List.of(symbol));
        AlpacaPage.writeSingle(out, "trades", symbol, page.trades.getOrDefault(symbol, List.of()), page.next, AlpacaJson::trade);
    }

    private record Page(Map<String, List<Trade>> trades, Cursor.PageToken next) {}

    private Page page(RestRequest r, List<String> symbols) {
        AlpacaPage q = AlpacaPage.of(r, config, symbols);
        AlpacaParams.feed(r);
        long start = q.start();
        long end = q.end();
        int limit = q.limit();
        boolean desc = q.desc();
        Cursor.PageToken token = q.token();
        long toExclusive = end == Long.MAX_VALUE ? Long.MAX_VALUE : end + 1; // history windows are [from, to)

        Map<String, List<Trade>> out = new LinkedHashMap<>();
        int taken = 0;
        for (String symbol : symbols) {
            if (token != null && symbol.compareTo(token.symbol()) < 0) continue;
            if (!history.knows(symbol)) continue;
            boolean resuming = token != null && symbol.equals(token.symbol());
            long from = start;
            long to = toExclusive;
            if (resuming) { // narrow the window to what is left; the token's own timestamp stays inside
                if (desc) to = Math.min(to, token.timeNs() == Long.MAX_VALUE ? Long.MAX_VALUE : token.timeNs() + 1);
                else from = Math.max(from, token.timeNs());
            }
            if (from >= to) continue;
            int skip = resuming ? token.skip() : 0;
            // ascending: one more than the page can hold tells whether another page follows
            int want = desc ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, (long) limit - taken + skip + 1);
            List<Trade> trades = history.trades(symbol, from, to, want);
            int n = trades.size();
            long edge = Long.MIN_VALUE; // time of the last trade taken, and how many of that time were taken
            int sameTime = 0;
            for (int i = 0; i < n; i++) {
                Trade t = trades.get(desc ? n - 1 - i : i);
                long time = t.eventTimeNs();
                if (resuming) {
                    if (desc ? time > token.timeNs() : time < token.timeNs()) continue;
                    if (time == token.timeNs() && skip > 0) {
                        skip--;
                        continue;
                    }
                }
                if (taken == limit) {
                    int before = time == edge ? sameTime : 0;
                    if (resuming && time == token.timeNs()) before += token.skip();
                    return new Page(out, new Cursor.PageToken(symbol, time, before));
                }
                out.computeIfAbsent(symbol, k -> new ArrayList<>()).add(t);
                taken++;
                if (time == edge) sameTime++;
                else {
                    edge = time;
                    sameTime = 1;
                }
            }
        }
        return new Page(out, null);
    }
}
