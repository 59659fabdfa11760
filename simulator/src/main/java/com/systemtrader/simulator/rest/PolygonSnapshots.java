package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Polygon snapshots: single ticker (404 {@code NOT_FOUND} "Ticker not found." when unknown) and the multi-ticker
 * form ({@code tickers} absent = every ticker; unknown tickers are left out and {@code count} counts the rest).
 * Sections without data ({@code day}, {@code min}, {@code prevDay}) are written with zeros as Polygon does out
 * of hours; {@code lastTrade}/{@code lastQuote} are left out when there is none.
 */
final class PolygonSnapshots {
    private final MarketHistory history;

    PolygonSnapshots(MarketHistory history) {
        this.history = history;
    }

    void ticker(RestRequest r, JsonOut out) {
        String ticker = r.segment(7);
        if (!history.knows(ticker)) throw RestException.notFound("Ticker not found.");
        out.beginObject().field("status", "OK").field("request_id", r.requestId).name("ticker");
        tickerObject(out, ticker, r.nowNs);
        out.endObject();
    }

    void tickers(RestRequest r, JsonOut out) {
        r.boolParam("include_otc", false);
        List<String> asked = r.listParam("tickers");
        Set<String> tickers = new LinkedHashSet<>(asked.isEmpty() ? history.symbols() : asked);
        tickers.removeIf(t -> !history.knows(t));
        out.beginObject().field("status", "OK").field("request_id", r.requestId).field("count", tickers.size());
        out.name("tickers").beginArray();
        for (String t : tickers) tickerObject(out, t, r.nowNs);
        out.endArray().endObject();
    }

    private void tickerObject(JsonOut out, String ticker, long nowNs) {
        Optional<Trade> trade = history.lastTrade(ticker);
        Optional<Quote> quote = history.lastQuote(ticker);
        Optional<Bar> day = history.dailyBar(ticker, nowNs);
        Optional<Bar> min = history.lastMinuteBar(ticker);
        Optional<Bar> prev = history.previousDailyBar(ticker, nowNs);
        double change = 0;
        double changePerc = 0;
        if (trade.isPresent() && prev.isPresent() && prev.get().close() != 0) {
            double prevClose = prev.get().close();
            change = round4(trade.get().price() - prevClose);
            changePerc = round4((trade.get().price() - prevClose) / prevClose * 100.0);
        }
        long updated = Math.max(trade.map(Trade::eventTimeNs).orElse(0L), quote.map(Quote::eventTimeNs).orElse(0L));

        out.beginObject().field("ticker", ticker).field("todaysChange", change).field("todaysChangePerc", changePerc)
                .field("updated", updated);
        out.name("day");
        dayObject(out, day.orElse(null));
        out.name("min").beginObject();
        if (min.isPresent()) {
            Bar m = min.get();
            long av = !Absent.isAbsent(m.accumulatedVolume()) ? m.accumulatedVolume()
                    : day.map(Bar::volume).orElse(m.volume());
            out.field("av", av).field("t", MarketTime.millis(m.eventTimeNs()))
                    .field("n", Absent.isAbsent(m.tradeCount()) ? 0 : m.tradeCount())
                    .field("o", m.open()).field("h", m.high()).field("l", m.low()).field("c", m.close())
                    .field("v", m.volume()).field("vw", nanToZero(m.vwap()));
        } else {
            out.field("av", 0L).field("t", 0L).field("n", 0L).field("o", 0L).field("h", 0L).field("l", 0L)
                    .field("c", 0L).field("v", 0L).field("vw", 0L);
        }
        out.endObject();
        out.name("prevDay");
        dayObject(out, prev.orElse(null));
        if (trade.isPresent()) {
            out.name("lastTrade");
            PolygonJson.snapshotTrade(out, trade.get());
        }
        if (quote.isPresent()) {
            out.name("lastQuote");
            PolygonJson.snapshotQuote(out, quote.get());
        }
        out.endObject();
    }

    private static void dayObject(JsonOut out, Bar b) {
        out.beginObject();
        if (b == null) {
            out.field("o", 0L).field("h", 0L).field("l", 0L).field("c", 0L).field("v", 0L).field("vw", 0L);
        } else {
            out.field("o", b.open()).field("h", b.high()).field("l", b.low()).field("c", b.close())
                    .field("v", b.volume()).field("vw", nanToZero(b.vwap()));
        }
        out.endObject();
    }

    private static double nanToZero(double v) { return Double.isNaN(v) ? 0 : v; }

    static double round4(double v) { return Math.round(v * 10_000.0) / 10_000.0; }
}
