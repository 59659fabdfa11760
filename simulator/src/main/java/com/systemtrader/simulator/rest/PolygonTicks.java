package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.List;
import java.util.Optional;

/**
 * Polygon tick endpoints: {@code /v2/last/trade/{ticker}}, {@code /v2/last/nbbo/{ticker}} (404
 * {@code NOT_FOUND} for an unknown ticker or one without data), {@code /v3/trades/{ticker}} and
 * {@code /v3/quotes/{ticker}} with {@code next_url} pagination (unknown ticker: 200 with empty {@code results}).
 */
final class PolygonTicks {
    static final int DEFAULT_TRADES_LIMIT = 1000;

    private final MarketHistory history;
    private final RestConfig config;

    PolygonTicks(MarketHistory history, RestConfig config) {
        this.history = history;
        this.config = config;
    }

    void lastTrade(RestRequest r, JsonOut out) {
        String ticker = r.segment(3);
        Optional<Trade> t = history.knows(ticker) ? history.lastTrade(ticker) : Optional.empty();
        if (t.isEmpty()) throw RestException.notFound("no trade found for ticker " + RestException.shown(ticker));
        out.beginObject().field("status", "OK").field("request_id", r.requestId).name("results");
        PolygonJson.lastTrade(out, t.get());
        out.endObject();
    }

    void lastNbbo(RestRequest r, JsonOut out) {
        String ticker = r.segment(3);
        Optional<Quote> q = history.knows(ticker) ? history.lastQuote(ticker) : Optional.empty();
        if (q.isEmpty()) throw RestException.notFound("no quote found for ticker " + RestException.shown(ticker));
        out.beginObject().field("status", "OK").field("request_id", r.requestId).name("results");
        PolygonJson.lastQuote(out, q.get());
        out.endObject();
    }

    /**
     * Trades in {@code [from, to)}. The cursor holds the window, the page size, the order and how many trades
     * stamped exactly at the window's open edge were already returned, so pages never split or repeat a group
     * of trades sharing one timestamp.
     */
    void trades(RestRequest r, JsonOut out) {
        ticks(r, out, "trades", history::trades, Trade::eventTimeNs, PolygonJson::v3Trade);
    }

    /** Quotes in {@code [from, to)}: the same parameters, order and cursor paging as {@link #trades}. */
    void quotes(RestRequest r, JsonOut out) {
        ticks(r, out, "quotes", history::quotes, Quote::eventTimeNs, PolygonJson::v3Quote);
    }

    /** What a tick endpoint reads from the history: ascending items of {@code [from, to)}, at most limit. */
    private interface Source<T> {
        List<T> get(String symbol, long fromNs, long toNs, int limit);
    }

    private <T> void ticks(RestRequest r, JsonOut out, String kind, Source<T> source,
                           java.util.function.ToLongFunction<T> timeOf,
                           java.util.function.BiConsumer<JsonOut, T> writer) {
        String ticker = r.segment(2);
        long from;
        long to;
        int limit;
        boolean desc;
        int skip;
        String cursorText = r.param("cursor");
        if (cursorText != null) {
            Cursor c = Cursor.decode(cursorText, "cursor");
            from = c.longValue("gte");
            to = c.longValue("lt");
            limit = c.intValue("limit", 1, config.polygonMaxLimit());
            desc = c.string("order").equals("desc");
            skip = c.intValue("skip", 0, Integer.MAX_VALUE);
        } else {
            from = 0;
            to = Long.MAX_VALUE;
            String exact = r.param("timestamp");
            if (exact != null) {
                from = MarketTime.polygonTimestamp(exact, false, "timestamp");
                to = exact.length() == 10 ? MarketTime.polygonTimestamp(exact, true, "timestamp") + 1 : from + 1;
            }
            String s;
            if ((s = r.param("timestamp.gte")) != null) from = Math.max(from, MarketTime.polygonTimestamp(s, false, "timestamp.gte"));
            if ((s = r.param("timestamp.gt")) != null) from = Math.max(from, MarketTime.polygonTimestamp(s, true, "timestamp.gt") + 1);
            if ((s = r.param("timestamp.lt")) != null) to = Math.min(to, MarketTime.polygonTimestamp(s, false, "timestamp.lt"));
            if ((s = r.param("timestamp.lte")) != null) to = Math.min(to, MarketTime.polygonTimestamp(s, true, "timestamp.lte") + 1);
            desc = r.choiceParam("order", "desc", "asc", "desc").equals("desc");
            r.choiceParam("sort", "timestamp", "timestamp");
            limit = Math.min(r.intParam("limit", DEFAULT_TRADES_LIMIT, 1, Integer.MAX_VALUE), config.polygonMaxLimit());
            skip = 0;
        }

        List<T> page;
        boolean more;
        if (from >= to || !history.knows(ticker)) {
            page = List.of();
            more = false;
        } else if (!desc) {
            List<T> got = source.get(ticker, from, to, (int) Math.min(Integer.MAX_VALUE, (long) limit + skip + 1));
            int end = Math.min(got.size(), skip + limit);
            page = skip >= got.size() ? List.of() : got.subList(skip, end);
            more = got.size() > end;
        } else {
            List<T> all = source.get(ticker, from, to, Integer.MAX_VALUE);
            int top = all.size() - skip; // exclusive
            int bottom = Math.max(0, top - limit);
            page = top <= 0 ? List.of() : all.subList(bottom, top).reversed();
            more = bottom > 0;
        }

        out.beginObject().name("results").beginArray();
        for (T t : page) writer.accept(out, t);
        out.endArray().field("status", "OK").field("request_id", r.requestId);
        if (more) {
            long edge = timeOf.applyAsLong(page.getLast());
            int sameTime = 0;
            for (int i = page.size() - 1; i >= 0 && timeOf.applyAsLong(page.get(i)) == edge; i--) sameTime++;
            long nextFrom = desc ? from : edge;
            long nextTo = desc ? edge + 1 : to;
            boolean edgeUnchanged = desc ? edge + 1 == to : edge == from;
            int nextSkip = sameTime + (edgeUnchanged ? skip : 0);
            String cursor = Cursor.encode("gte", nextFrom, "lt", nextTo, "limit", limit, "order", desc ? "desc" : "asc",
                    "skip", nextSkip);
            out.field("next_url", config.baseUrl() + "/v3/" + kind + "/" + pathSegment(ticker) + "?cursor=" + cursor);
        }
        out.endObject();
    }

    /** Percent-encodes what is not safe in a URL path segment. */
    static String pathSegment(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '~';
            if (safe) {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
