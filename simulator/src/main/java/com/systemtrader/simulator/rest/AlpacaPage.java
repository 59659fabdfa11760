package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What Alpaca's paged history endpoints ({@link AlpacaBars}, {@link AlpacaTrades}) share: the window, limit, sort and
 * {@code page_token} of the request, and the two response shapes: multi-symbol
 * ({@code {"<name>":{"AAPL":[...]},"next_page_token":..}}) and single-symbol
 * ({@code {"<name>":[...],"symbol":..,"next_page_token":..}}, {@code null} token on the last page).
 *
 * @param start inclusive, epoch ns; defaults to the start of the current New York day
 * @param end   inclusive, epoch ns; defaults to now
 * @param token where to resume, or null
 */
record AlpacaPage(long start, long end, int limit, boolean desc, Cursor.PageToken token) {
    static final int DEFAULT_LIMIT = 1000;

    /** Reads {@code start}, {@code end}, {@code limit}, {@code sort} and {@code page_token} for {@code symbols}. */
    static AlpacaPage of(RestRequest r, RestConfig config, List<String> symbols) {
        String s = r.param("start");
        long start = s != null ? MarketTime.alpacaTime(s, false, "start")
                : MarketTime.nyMidnight(MarketTime.nyDate(r.nowNs));
        String e = r.param("end");
        long end = e != null ? MarketTime.alpacaTime(e, true, "end") : r.nowNs;
        if (end < start) throw RestException.badParameter("end", "end should not be before start");
        int limit = r.intParam("limit", Math.min(DEFAULT_LIMIT, config.alpacaMaxLimit()), 1, config.alpacaMaxLimit());
        boolean desc = r.choiceParam("sort", "asc", "asc", "desc").equals("desc");
        String tokenText = r.param("page_token");
        Cursor.PageToken token = tokenText == null ? null : Cursor.PageToken.decode(tokenText, "page_token");
        if (token != null && !symbols.contains(token.symbol())) {
            throw RestException.badParameter("page_token", "invalid page_token: it does not belong to these symbols");
        }
        return new AlpacaPage(start, end, limit, desc, token);
    }

    static <T> void writeMulti(JsonOut out, String name, Map<String, List<T>> items, Cursor.PageToken next,
                               BiConsumer<JsonOut, T> item) {
        out.beginObject().name(name).beginObject();
        for (Map.Entry<String, List<T>> e : items.entrySet()) {
            AlpacaJson.key(out, e.getKey()).beginArray();
            for (T t : e.getValue()) item.accept(out, t);
            out.endArray();
        }
        out.endObject();
        nextPageToken(out, next);
        out.endObject();
    }

    static <T> void writeSingle(JsonOut out, String name, String symbol, List<T> items, Cursor.PageToken next,
                                BiConsumer<JsonOut, T> item) {
        out.beginObject().name(name).beginArray();
        for (T t : items) item.accept(out, t);
        out.endArray().field("symbol", symbol);
        nextPageToken(out, next);
        out.endObject();
    }

    private static void nextPageToken(JsonOut out, Cursor.PageToken next) {
        if (next == null) out.name("next_page_token").ascii("null");
        else out.field("next_page_token", next.encode());
    }
}
