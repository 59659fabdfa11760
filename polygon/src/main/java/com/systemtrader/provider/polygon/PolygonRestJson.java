package com.systemtrader.provider.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.rest.Snapshot;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Polygon REST objects (protocols.md section 3.1) to schema records. Aggregate {@code t} is Unix ms, trade and
 * quote times Unix ns; tape 1/2/3 becomes A/B/C as in the WebSocket decoder.
 */
final class PolygonRestJson {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final long MS = 1_000_000L;

    private PolygonRestJson() {}

    /** An aggregate; {@code lengthNs} is multiplier x timespan. */
    static Bar aggregate(JsonNode r, String ticker, BarInterval interval, long lengthNs, long rx) {
        long start = r.path("t").asLong() * MS;
        return bar(r, ticker, interval, start, start + lengthNs, rx);
    }

    /** {@code /v2/aggs/ticker/{t}/prev}: {@code t} is the session's close; the bar starts at its New York midnight. */
    static Bar previousClose(JsonNode r, String ticker, long rx) {
        long start = nyMidnight(r.path("t").asLong() * MS);
        String symbol = text(r, "T", ticker);
        return bar(r, symbol, BarInterval.DAILY, start, start + BarInterval.DAILY.nanos(), rx);
    }

    static Bar bar(JsonNode r, String ticker, BarInterval interval, long start, long end, long rx) {
        return new Bar(DataSource.POLYGON, ticker, interval, start, end, rx, r.path("o").asDouble(),
                r.path("h").asDouble(), r.path("l").asDouble(), r.path("c").asDouble(), (long) r.path("v").asDouble(),
                optDouble(r, "vw"), optLong(r, "n"), optLong(r, "av"), optDouble(r, "op"), optDouble(r, "a"),
                optLong(r, "z"), r.path("otc").asBoolean(false));
    }

    /** {@code /v2/last/trade} results. */
    static Trade lastTrade(JsonNode r, String ticker, long rx) {
        return new Trade(DataSource.POLYGON, text(r, "T", ticker), r.path("t").asLong(), rx, r.path("p").asDouble(),
                size(r, "s"), optInt(r, "x"), r.path("i").asText(""), tape(r, "z"), optLong(r, "q"), optInt(r, "r"),
                optLong(r, "f"), codes(r.get("c")));
    }

    /** {@code /v2/last/nbbo} results. */
    static Quote lastQuote(JsonNode r, String ticker, long rx) {
        return new Quote(DataSource.POLYGON, text(r, "T", ticker), r.path("t").asLong(), rx, optInt(r, "x"),
                r.path("p").asDouble(), size(r, "s"), optInt(r, "X"), r.path("P").asDouble(), size(r, "S"),
                codes(r.get("c")), codes(r.get("i")), tape(r, "z"), optLong(r, "q"));
    }

    /** A {@code /v3/trades} result item. */
    static Trade v3Trade(JsonNode r, String ticker, long rx) {
        return new Trade(DataSource.POLYGON, ticker, r.path("sip_timestamp").asLong(), rx, r.path("price").asDouble(),
                size(r, "size"), optInt(r, "exchange"), r.path("id").asText(""), tape(r, "tape"),
                optLong(r, "sequence_number"), optInt(r, "trf_id"), optLong(r, "trf_timestamp"),
                codes(r.get("conditions")));
    }

    /**
     * A {@code /v3/quotes} result item, as the WebSocket decoder makes the same quote from a {@code Q} message
     * (but with the SIP time in nanoseconds).
     */
    static Quote v3Quote(JsonNode r, String ticker, long rx) {
        return new Quote(DataSource.POLYGON, ticker, r.path("sip_timestamp").asLong(), rx, optInt(r, "bid_exchange"),
                optDouble(r, "bid_price"), optLong(r, "bid_size"), optInt(r, "ask_exchange"), optDouble(r, "ask_price"),
                optLong(r, "ask_size"), codes(r.get("conditions")), codes(r.get("indicators")), tape(r, "tape"),
                optLong(r, "sequence_number"));
    }

    /** A multi-ticker snapshot item. */
    static Snapshot snapshot(JsonNode t, long rx) {
        String symbol = t.path("ticker").asText();
        long updated = t.path("updated").asLong(0);
        JsonNode lt = t.get("lastTrade");
        Trade trade = lt == null || !lt.isObject() ? null : new Trade(DataSource.POLYGON, symbol, lt.path("t").asLong(),
                rx, lt.path("p").asDouble(), size(lt, "s"), optInt(lt, "x"), lt.path("i").asText(""), Absent.CHAR,
                Absent.LONG, Absent.INT, Absent.LONG, codes(lt.get("c")));
        JsonNode lq = t.get("lastQuote");
        Quote quote = lq == null || !lq.isObject() ? null : new Quote(DataSource.POLYGON, symbol, lq.path("t").asLong(),
                rx, optInt(lq, "x"), lq.path("p").asDouble(), size(lq, "s"), optInt(lq, "X"), lq.path("P").asDouble(),
                size(lq, "S"), Conditions.NONE, Conditions.NONE, Absent.CHAR, Absent.LONG);
        JsonNode min = t.get("min");
        Bar minute = empty(min) || min.path("t").asLong(0) == 0 ? null
                : aggregate(min, symbol, BarInterval.MINUTE, BarInterval.MINUTE.nanos(), rx);
        JsonNode day = t.get("day");
        Bar daily = null;
        if (!empty(day) && updated > 0) {
            long start = nyMidnight(updated);
            daily = bar(day, symbol, BarInterval.DAILY, start, start + BarInterval.DAILY.nanos(), rx);
        }
        JsonNode prev = t.get("prevDay");
        double prevClose = empty(prev) ? Double.NaN : prev.path("c").asDouble();
        return new Snapshot(DataSource.POLYGON, symbol, trade, quote, minute, daily, null, prevClose, updated);
    }

    /** Out of hours Polygon writes sections as zeros: treat an all-zero OHLC as absent. */
    private static boolean empty(JsonNode n) {
        return n == null || !n.isObject() || (n.path("o").asDouble() == 0 && n.path("c").asDouble() == 0
                && n.path("h").asDouble() == 0);
    }

    static long nyMidnight(long epochNs) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L));
        Instant m = i.atZone(NEW_YORK).toLocalDate().atStartOfDay(NEW_YORK).toInstant();
        return m.getEpochSecond() * 1_000_000_000L;
    }

    static Conditions codes(JsonNode n) {
        if (n == null || n.isNull()) return Conditions.NONE;
        if (n.isIntegralNumber()) return Conditions.of(n.asInt());
        if (!n.isArray() || n.isEmpty()) return Conditions.NONE;
        int[] c = new int[n.size()];
        for (int i = 0; i < c.length; i++) c[i] = n.get(i).asInt();
        return Conditions.of(c);
    }

    static char tape(JsonNode r, String field) {
        int z = r.path(field).asInt(0);
        return z == 1 ? 'A' : z == 2 ? 'B' : z == 3 ? 'C' : Absent.CHAR;
    }

    /** A size; fractional sizes (Polygon's decimal {@code ds}) are truncated to whole shares. */
    private static long size(JsonNode r, String field) {
        return (long) r.path(field).asDouble();
    }

    private static String text(JsonNode r, String field, String dflt) {
        JsonNode n = r.get(field);
        return n == null || !n.isTextual() ? dflt : n.asText();
    }

    static int optInt(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || !n.isNumber() ? Absent.INT : n.asInt();
    }

    static long optLong(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || !n.isNumber() ? Absent.LONG : n.asLong();
    }

    static double optDouble(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }
}
