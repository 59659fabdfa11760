package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Bar;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.List;
import java.util.Optional;

/**
 * Polygon aggregates: {@code /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}} with
 * {@code next_url} pagination, and {@code /v2/aggs/ticker/{ticker}/prev}. Unknown tickers and empty windows
 * answer 200 {@code "status":"OK"} with {@code resultsCount} 0 and no {@code results}, as Polygon does.
 */
final class PolygonAggs {
    static final int DEFAULT_LIMIT = 5000;

    private final MarketHistory history;
    private final RestConfig config;

    PolygonAggs(MarketHistory history, RestConfig config) {
        this.history = history;
        this.config = config;
    }

    void aggs(RestRequest r, JsonOut out) {
        String ticker = r.segment(3);
        int multiplier = multiplier(r.segment(5));
        String timespan = r.segment(6);
        long unitNs = switch (timespan) {
            case "second" -> MarketTime.SECOND_NS;
            case "minute" -> MarketTime.MINUTE_NS;
            case "hour" -> MarketTime.HOUR_NS;
            case "day" -> MarketTime.DAY_NS;
            case "week", "month", "quarter", "year" -> throw RestException.badParameter("timespan",
                    "timespan '" + timespan + "' is not supported by the simulator: use second, minute, hour or day");
            default -> throw RestException.badParameter("timespan", "invalid timespan '"
                    + RestException.shown(timespan) + "': must be one of second, minute, hour, day, week, month, quarter, year");
        };
        if (unitNs == MarketTime.DAY_NS && multiplier != 1) {
            throw RestException.badParameter("multiplier", "the simulator serves day aggregates with multiplier 1 only");
        }
        long intervalNs = unitNs * multiplier;

        long from;
        long to;
        int limit;
        boolean desc;
        boolean adjusted;
        String cursorText = r.param("cursor");
        if (cursorText != null) {
            Cursor c = Cursor.decode(cursorText, "cursor");
            from = c.longValue("start");
            to = c.longValue("end");
            limit = c.intValue("limit", 1, config.polygonMaxLimit());
            desc = c.string("sort").equals("desc");
            adjusted = c.bool("adjusted");
        } else {
            from = MarketTime.polygonDateOrMillis(r.segment(7), false, "from");
            to = MarketTime.polygonDateOrMillis(r.segment(8), true, "to");
            adjusted = r.boolParam("adjusted", true);
            desc = r.choiceParam("sort", "asc", "asc", "desc").equals("desc");
            limit = Math.min(r.intParam("limit", DEFAULT_LIMIT, 1, Integer.MAX_VALUE), config.polygonMaxLimit());
        }

        // The simulated market keeps minute history only: second aggregates are always empty.
        List<Bar> bars = unitNs == MarketTime.SECOND_NS || from > to || !history.knows(ticker)
                ? List.of() : history.bars(ticker, intervalNs, from, to);
        int n = bars.size();
        int count = Math.min(limit, n);

        header(out, ticker, adjusted, count, r.requestId);
        if (count > 0) {
            out.name("results").beginArray();
            for (int i = 0; i < count; i++) {
                Bar b = bars.get(desc ? n - 1 - i : i);
                PolygonJson.aggregate(out, b, null, MarketTime.millis(b.eventTimeNs()));
            }
            out.endArray();
        }
        if (n > limit) {
            Bar last = bars.get(desc ? n - count : count - 1);
            // The cursor is exact (one nanosecond past the last bar returned); the path shows the next window.
            long nextFrom = desc ? from : last.eventTimeNs() + 1;
            long nextTo = desc ? last.eventTimeNs() - 1 : to;
            long pathFrom = desc ? from
                    : last.endTimeNs() > last.eventTimeNs() ? last.endTimeNs() : last.eventTimeNs() + intervalNs;
            String cursor = Cursor.encode("start", nextFrom, "end", nextTo, "limit", limit,
                    "sort", desc ? "desc" : "asc", "adjusted", adjusted);
            out.field("next_url", config.baseUrl() + "/v2/aggs/ticker/" + PolygonTicks.pathSegment(ticker)
                    + "/range/" + multiplier + "/" + timespan + "/" + MarketTime.millis(pathFrom) + "/"
                    + MarketTime.millis(nextTo) + "?cursor=" + cursor);
        }
        out.endObject();
    }

    /**
     * The last completed session's daily bar; {@code t} is 16:00 New York time of that session, as in the
     * official mock (aggregate day bars use midnight instead).
     */
    void prev(RestRequest r, JsonOut out) {
        String ticker = r.segment(3);
        boolean adjusted = r.boolParam("adjusted", true);
        Optional<Bar> bar = history.knows(ticker) ? history.previousDailyBar(ticker, r.nowNs) : Optional.empty();
        int count = bar.isPresent() ? 1 : 0;
        header(out, ticker, adjusted, count, r.requestId);
        if (bar.isPresent()) {
            Bar b = bar.get();
            out.name("results").beginArray();
            PolygonJson.aggregate(out, b, ticker, MarketTime.millis(MarketTime.sessionCloseNs(b.eventTimeNs())));
            out.endArray();
        }
        out.endObject();
    }

    /** The fields before {@code results}, in Polygon's order. {@code queryCount} equals {@code resultsCount}. */
    private static void header(JsonOut out, String ticker, boolean adjusted, int count, String requestId) {
        out.beginObject().field("ticker", ticker).field("adjusted", adjusted).field("queryCount", count)
                .field("resultsCount", count).field("status", "OK").field("request_id", requestId);
    }

    private static int multiplier(String s) {
        int m;
        try {
            m = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw RestException.badParameter("multiplier", "invalid multiplier '" + RestException.shown(s)
                    + "': not an integer");
        }
        if (m < 1 || m > 100_000) {
            throw RestException.badParameter("multiplier", "invalid multiplier " + m + ": must be between 1 and 100000");
        }
        return m;
    }
}
