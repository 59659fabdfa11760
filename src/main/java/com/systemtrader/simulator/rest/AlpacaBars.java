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
    static final int DEFAULT_LIMIT = 1000;

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
        out.beginObject().name("bars").beginObject();
        for (Map.Entry<String, List<Bar>> e : page.bars.entrySet()) {
            AlpacaJson.key(out, e.getKey()).beginArray();
            for (Bar b : e.getValue()) AlpacaJson.bar(out, b);
            out.endArray();
        }
        out.endObject();
        nextPageToken(out, page.next);
        out.endObject();
    }

    void single(RestRequest r, JsonOut out) {
        String symbol = AlpacaParams.symbol(r.segment(2), "symbol");
        Page page = page(r, List.of(symbol));
        out.beginObject().name("bars").beginArray();
        for (Bar b : page.bars.getOrDefault(symbol, List.of())) AlpacaJson.bar(out, b);
        out.endArray().field("symbol", symbol);
        nextPageToken(out, page.next);
        out.endObject();
    }

    private record Page(Map<String, List<Bar>> bars, Cursor.PageToken next) {}

    private Page page(RestRequest r, List<String> symbols) {
        long intervalNs = AlpacaParams.timeframe(r);
        String s = r.param("start");
        long start = s != null ? MarketTime.alpacaTime(s, false, "start")
                : MarketTime.nyMidnight(MarketTime.nyDate(r.nowNs));
        String e = r.param("end");
        long end = e != null ? MarketTime.alpacaTime(e, true, "end") : r.nowNs;
        if (end < start) throw RestException.badParameter("end", "end should not be before start");
        int limit = r.intParam("limit", Math.min(DEFAULT_LIMIT, config.alpacaMaxLimit()), 1, config.alpacaMaxLimit());
        boolean desc = r.choiceParam("sort", "asc", "asc", "desc").equals("desc");
        AlpacaParams.feed(r);
        AlpacaParams.adjustment(r);
        String tokenText = r.param("page_token");
        Cursor.PageToken token = tokenText == null ? null : Cursor.PageToken.decode(tokenText, "page_token");
        if (token != null && !symbols.contains(token.symbol())) {
            throw RestException.badParameter("page_token", "invalid page_token: it does not belong to these symbols");
        }

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

    private static void nextPageToken(JsonOut out, Cursor.PageToken next) {
        if (next == null) out.name("next_page_token").ascii("null");
        else out.field("next_page_token", next.encode());
    }
}
