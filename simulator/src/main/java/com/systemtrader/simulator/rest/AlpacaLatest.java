package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Alpaca latest values and snapshots. Multi-symbol forms ({@code /v2/stocks/trades/latest?symbols=...} etc.)
 * are maps keyed by symbol that leave out symbols without data; {@code /v2/stocks/snapshots} is an unwrapped map
 * in which unknown symbols are {@code null} (and missing parts of a known symbol are {@code null}). Single-symbol
 * forms wrap as {@code {"symbol":..,"trade":{..}}} and answer 404 when there is nothing to return.
 */
final class AlpacaLatest {
    private final MarketHistory history;

    AlpacaLatest(MarketHistory history) {
        this.history = history;
    }

    void trades(RestRequest r, JsonOut out) {
        multi(r, out, "trades", history::lastTrade, AlpacaJson::trade);
    }

    void quotes(RestRequest r, JsonOut out) {
        multi(r, out, "quotes", history::lastQuote, AlpacaJson::quote);
    }

    void bars(RestRequest r, JsonOut out) {
        multi(r, out, "bars", history::lastMinuteBar, AlpacaJson::bar);
    }

    void trade(RestRequest r, JsonOut out) {
        single(r, out, "trade", history::lastTrade, AlpacaJson::trade);
    }

    void quote(RestRequest r, JsonOut out) {
        single(r, out, "quote", history::lastQuote, AlpacaJson::quote);
    }

    void bar(RestRequest r, JsonOut out) {
        single(r, out, "bar", history::lastMinuteBar, AlpacaJson::bar);
    }

    void snapshots(RestRequest r, JsonOut out) {
        List<String> symbols = AlpacaParams.symbols(r);
        AlpacaParams.feed(r);
        out.beginObject();
        for (String s : symbols) {
            AlpacaJson.key(out, s);
            if (history.knows(s)) snapshotBody(out, s, r.nowNs, null);
            else out.ascii("null");
        }
        out.endObject();
    }

    void snapshot(RestRequest r, JsonOut out) {
        String symbol = AlpacaParams.symbol(r.segment(2), "symbol");
        AlpacaParams.feed(r);
        if (!history.knows(symbol)) throw RestException.notFound("no snapshot found for " + symbol);
        snapshotBody(out, symbol, r.nowNs, symbol);
    }

    private void snapshotBody(JsonOut out, String symbol, long nowNs, String symbolField) {
        out.beginObject();
        if (symbolField != null) out.field("symbol", symbolField);
        part(out, "latestTrade", history.lastTrade(symbol), AlpacaJson::trade);
        part(out, "latestQuote", history.lastQuote(symbol), AlpacaJson::quote);
        part(out, "minuteBar", history.lastMinuteBar(symbol), AlpacaJson::bar);
        part(out, "dailyBar", history.dailyBar(symbol, nowNs), AlpacaJson::bar);
        part(out, "prevDailyBar", history.previousDailyBar(symbol, nowNs), AlpacaJson::bar);
        out.endObject();
    }

    private static <T> void part(JsonOut out, String name, Optional<T> value, BiConsumer<JsonOut, T> writer) {
        out.name(name);
        if (value.isPresent()) writer.accept(out, value.get());
        else out.ascii("null");
    }

    private <T> void multi(RestRequest r, JsonOut out, String wrapper, Function<String, Optional<T>> latest,
                           BiConsumer<JsonOut, T> writer) {
        List<String> symbols = AlpacaParams.symbols(r);
        AlpacaParams.feed(r);
        out.beginObject().name(wrapper).beginObject();
        for (String s : symbols) {
            Optional<T> v = history.knows(s) ? latest.apply(s) : Optional.empty();
            if (v.isEmpty()) continue;
            AlpacaJson.key(out, s);
            writer.accept(out, v.get());
        }
        out.endObject().endObject();
    }

    private <T> void single(RestRequest r, JsonOut out, String field, Function<String, Optional<T>> latest,
                            BiConsumer<JsonOut, T> writer) {
        String symbol = AlpacaParams.symbol(r.segment(2), "symbol");
        AlpacaParams.feed(r);
        Optional<T> v = history.knows(symbol) ? latest.apply(symbol) : Optional.empty();
        if (v.isEmpty()) throw RestException.notFound("no " + field + " found for " + symbol);
        out.beginObject().field("symbol", symbol).name(field);
        writer.accept(out, v.get());
        out.endObject();
    }
}
