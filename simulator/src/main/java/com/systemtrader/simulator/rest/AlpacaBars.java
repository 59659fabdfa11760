package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Bar;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alpaca historical bars: {@code /v2/stocks/bars} (symbols in ascending order, then time; {@code limit} counts
 * all symbols together; symbols without bars are left out of the map) and {@code /v2/stocks/{symbol}/bars}
 * ({@code "bars":[]} when empty). {@code start}/{@code end} are inclusive; {@code start} defaults to the
 * beginning of the current New York day and {@code end} to now. {@code next_page_token} names the first bar of
 * the next page, so following it resumes exactly.
 */
final class AlpacaBars {
    private final MarketHistory history;
    private final RestConfig config;

    AlpacaBars(MarketHistory history, RestConfig config) {
        this.history = history;
        this.config = config;
    }

    void multi(RestRequest r, JsonOut out) {
        List<String> symbols = AlpacaParams.symbols(r);
        symbols.sort(null);
        Page page = page(r, symbols);
        AlpacaPage.writeMulti(out, "bars", page.bars, page.next, AlpacaJson::bar);
    }

    void single(RestRequest r, JsonOut out) {
        String symbol = AlpacaParams.symbol(r.segment(2), "symbol");
        Page page = page(r, List.of(symbol));
        AlpacaPage.writeSingle(out, "bars", symbol, page.bars.getOrDefault(symbol, List.of()), page.next, AlpacaJson::bar);
    }

    private record Page(Map<String, List<Bar>> bars, Cursor.PageToken next) {}

    private Page page(RestRequest r, List<String> symbols) {
        long intervalNs = AlpacaParams.timeframe(r);
        AlpacaPage q = AlpacaPage.of(r, config, symbols);
        AlpacaParams.feed(r);
        AlpacaParams.adjustment(r);
        long start = q.start();
        long end = q.end();
        int limit = q.limit();
        boolean desc = q.desc();
        Cursor.PageToken token = q.token();

        Map<String, List<Bar>> out = new LinkedHashMap<>();
        int taken = 0;
        for (String symbol : symbols) {
            if (token != null && symbol.compareTo(token.symbol()) < 0) continue;
            if (!history.knows(symbol)) continue;
            List<Bar> bars = history.bars(symbol, intervalNs, start, end);
            boolean resuming = token != null && symbol.equals(token.symbol());
            int n = bars.size();
            for (int i = 0; i < n; i++) {
                Bar b = bars.get(desc ? n - 1 - i : i);
                if (resuming && (desc ? b.eventTimeNs() > token.timeNs() : b.eventTimeNs() < token.timeNs())) continue;
                if (taken == limit) return new Page(out, new Cursor.PageToken(symbol, b.eventTimeNs()));
                out.computeIfAbsent(symbol, k -> new ArrayList<>()).add(b);
                taken++;
            }
        }
        return new Page(out, null);
    }
}
