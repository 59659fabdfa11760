package com.systemtrader.provider.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.rest.Snapshot;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/**
 * Alpaca market data v2 REST objects (protocols.md section 3.2) to schema records, in the same shape as the
 * WebSocket decoder: RFC 3339 times to epoch ns, exchange and tape letters as char values, condition letters via
 * {@link Conditions#ofLetters}, trade ids as decimal strings.
 */
final class AlpacaRestJson {
    private AlpacaRestJson() {}

    static Trade trade(JsonNode t, String symbol, long rx) {
        return new Trade(DataSource.ALPACA, symbol, time(t), rx, t.path("p").asDouble(), (long) t.path("s").asDouble(),
                letter(t, "x"), t.has("i") ? t.get("i").asText() : "", tape(t), Absent.LONG, Absent.INT, Absent.LONG,
                letters(t.get("c")));
    }

    static Quote quote(JsonNode q, String symbol, long rx) {
        return new Quote(DataSource.ALPACA, symbol, time(q), rx, letter(q, "bx"), q.path("bp").asDouble(),
                (long) q.path("bs").asDouble(), letter(q, "ax"), q.path("ap").asDouble(), (long) q.path("as").asDouble(),
                letters(q.get("c")), Conditions.NONE, tape(q), Absent.LONG);
    }

    static Bar bar(JsonNode b, String symbol, BarInterval interval, long lengthNs, long rx) {
        long start = time(b);
        JsonNode n = b.get("n");
        JsonNode vw = b.get("vw");
        return new Bar(DataSource.ALPACA, symbol, interval, start, start + lengthNs, rx, b.path("o").asDouble(),
                b.path("h").asDouble(), b.path("l").asDouble(), b.path("c").asDouble(), (long) b.path("v").asDouble(),
                vw == null || !vw.isNumber() ? Double.NaN : vw.asDouble(),
                n == null || !n.isNumber() ? Absent.LONG : n.asLong(), Absent.LONG, Double.NaN, Double.NaN,
                Absent.LONG, false);
    }

    static Snapshot snapshot(JsonNode s, String symbol, long rx) {
        Trade trade = present(s, "latestTrade") ? trade(s.get("latestTrade"), symbol, rx) : null;
        Quote quote = present(s, "latestQuote") ? quote(s.get("latestQuote"), symbol, rx) : null;
        Bar minute = present(s, "minuteBar")
                ? bar(s.get("minuteBar"), symbol, BarInterval.MINUTE, BarInterval.MINUTE.nanos(), rx) : null;
        Bar daily = present(s, "dailyBar")
                ? bar(s.get("dailyBar"), symbol, BarInterval.DAILY, BarInterval.DAILY.nanos(), rx) : null;
        Bar prev = present(s, "prevDailyBar")
                ? bar(s.get("prevDailyBar"), symbol, BarInterval.DAILY, BarInterval.DAILY.nanos(), rx) : null;
        long updated = Math.max(trade == null ? 0 : trade.eventTimeNs(), quote == null ? 0 : quote.eventTimeNs());
        return new Snapshot(DataSource.ALPACA, symbol, trade, quote, minute, daily, prev,
                prev == null ? Double.NaN : prev.close(), updated);
    }

    private static boolean present(JsonNode s, String field) {
        JsonNode n = s.get(field);
        return n != null && n.isObject();
    }

    private static long time(JsonNode n) {
        return Timestamps.parseRfc3339(n.path("t").asText());
    }

    private static int letter(JsonNode n, String field) {
        String s = n.path(field).asText("");
        return s.isEmpty() ? Absent.INT : s.charAt(0);
    }

    private static char tape(JsonNode n) {
        String s = n.path("z").asText("");
        return s.isEmpty() ? Absent.CHAR : s.charAt(0);
    }

    /** Condition letters; an entry longer than one character (none occur for stocks) keeps its first letter. */
    static Conditions letters(JsonNode c) {
        if (c == null || !c.isArray() || c.isEmpty()) return Conditions.NONE;
        int[] codes = new int[c.size()];
        int n = 0;
        for (JsonNode x : c) {
            String s = x.asText("");
            if (!s.isEmpty()) codes[n++] = s.charAt(0);
        }
        return Conditions.of(codes, 0, n);
    }
}
