package com.systemtrader.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.systemtrader.schema.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of the provider's answers, shared by {@code query --json} and the HTTP API: values, then the
 * provenance (tier, source, as-of time, staleness, freshness and every tier tried with its outcome).
 */
public final class AnswerJson {
    private AnswerJson() {}

    /** Several symbols' prices, the symbols nothing answered for, and the batches tried. */
    public static ObjectNode prices(MultiPrices m) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode a = o.putArray("prices");
        for (LatestPrice lp : m.prices().values()) a.add(price(lp));
        ArrayNode miss = o.putArray("missing");
        m.missing().forEach(miss::add);
        o.set("attempts", attempts(m.attempts()));
        return o;
    }

    public static ObjectNode provenance(Provenance p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("tier", p.tier().label());
        o.put("source", lower(p.source()));
        o.put("as_of", time(p.asOfNs()));
        o.put("as_of_ns", p.asOfNs());
        o.put("staleness_ms", p.staleness().toNanos() / 1e6);
        o.put("fresh", p.fresh());
        o.set("attempts", attempts(p.attempts()));
        return o;
    }

    public static ArrayNode attempts(List<Attempt> attempts) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Attempt t : attempts) {
            ObjectNode o = a.addObject();
            o.put("tier", t.tier().label());
            o.put("source", lower(t.source()));
            o.put("outcome", t.outcome().label());
            if (!t.detail().isEmpty()) o.put("detail", t.detail());
        }
        return a;
    }

    public static ObjectNode price(LatestPrice p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("symbol", p.symbol());
        o.put("price", p.price());
        o.put("size", p.size());
        o.put("time", time(p.eventTimeNs()));
        o.set("provenance", provenance(p.provenance()));
        return o;
    }

    public static ObjectNode quote(LatestQuote q) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("symbol", q.symbol());
        o.put("bid", q.bidPrice());
        o.put("bid_size", q.bidSize());
        o.put("ask", q.askPrice());
        o.put("ask_size", q.askSize());
        o.put("time", time(q.eventTimeNs()));
        o.set("provenance", provenance(q.provenance()));
        return o;
    }

    /**
     * A page of a time range's series: its first {@code limit} bars, and when more follow, {@code next_cursor} (the
     * next bar's start: ask again with {@code cursor} set to it) — each bar is on exactly one page.
     */
    public static ObjectNode page(OhlcvSeries s, int limit, Instant end) {
        List<OhlcvBar> bars = s.bars();
        boolean more = bars.size() > limit;
        List<OhlcvBar> first = more ? bars.subList(0, limit) : bars;
        ObjectNode o = series(new OhlcvSeries(s.symbol(), s.interval(), s.origin(), first.size(), first,
                OhlcvSeries.partsOf(first), s.complete(), s.gaps(), s.staleness(), s.fresh(), s.attempts()));
        o.put("end", end.toString());
        if (more) o.put("next_cursor", time(bars.get(limit).startNs()));
        return o;
    }

    public static ObjectNode series(OhlcvSeries s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("symbol", s.symbol());
        o.put("interval", s.interval().label());
        o.put("origin", s.origin().label());
        o.put("requested", s.requested());
        o.put("complete", s.complete());
        if (!s.gaps().isEmpty()) o.put("gaps", s.gaps());
        o.put("fresh", s.fresh());
        o.put("staleness_ms", s.staleness().toNanos() / 1e6);
        ArrayNode parts = o.putArray("parts");
        for (SeriesPart p : s.parts()) {
            parts.addObject().put("tier", p.tier().label()).put("source", lower(p.source())).put("from", time(p.fromNs()))
                    .put("to", time(p.toNs())).put("bars", p.bars());
        }
        ArrayNode bars = o.putArray("bars");
        for (OhlcvBar b : s.bars()) {
            ObjectNode x = bars.addObject();
            x.put("time", time(b.startNs()));
            x.put("open", b.open()).put("high", b.high()).put("low", b.low()).put("close", b.close());
            x.put("volume", b.volume());
            if (!Double.isNaN(b.vwap())) x.put("vwap", b.vwap());
            if (b.tradeCount() >= 0) x.put("trade_count", b.tradeCount());
            x.put("state", b.state().label()).put("origin", b.origin().label());
            x.put("tier", b.tier().label()).put("source", lower(b.source()));
        }
        o.set("attempts", attempts(s.attempts()));
        return o;
    }

    /** A page of trades or quotes: each event with its identity ({@code id}, the storage's event id). */
    public static ObjectNode ticks(TickPage p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("symbol", p.symbol());
        o.put("type", p.type().name().toLowerCase(Locale.ROOT));
        o.put("source", lower(p.source()));
        ArrayNode events = o.putArray("events");
        for (com.systemtrader.schema.MarketEvent e : p.events()) {
            ObjectNode x = events.addObject();
            x.put("time", time(e.eventTimeNs())).put("event_ns", e.eventTimeNs()).put("id", TickLookup.id(e));
            switch (e) {
                case com.systemtrader.schema.Trade t -> {
                    x.put("price", t.price()).put("size", t.size());
                    if (!com.systemtrader.schema.Absent.isAbsent(t.exchange())) x.put("exchange", t.exchange());
                    if (t.hasTradeId()) x.put("trade_id", t.tradeId());
                    codes(x, "conditions", t.conditions());
                }
                case com.systemtrader.schema.Quote q -> {
                    x.put("bid_price", q.bidPrice()).put("bid_size", q.bidSize()).put("ask_price", q.askPrice())
                            .put("ask_size", q.askSize());
                    if (!com.systemtrader.schema.Absent.isAbsent(q.bidExchange())) x.put("bid_exchange", q.bidExchange());
                    if (!com.systemtrader.schema.Absent.isAbsent(q.askExchange())) x.put("ask_exchange", q.askExchange());
                    codes(x, "conditions", q.conditions());
                }
                default -> { }
            }
        }
        if (p.nextCursor() != null) o.put("next_cursor", p.nextCursor());
        ArrayNode parts = o.putArray("parts");
        for (TickPage.Part part : p.parts()) {
            parts.addObject().put("tier", part.tier().label()).put("from", time(part.fromNs()))
                    .put("to", time(part.toNs())).put("events", part.events());
        }
        o.set("attempts", attempts(p.attempts()));
        return o;
    }

    private static void codes(ObjectNode x, String name, com.systemtrader.schema.Conditions c) {
        ArrayNode a = x.putArray(name);
        for (int code : c.toArray()) a.add(code);
    }

    private static String lower(DataSource s) {
        return s == null ? "-" : s.name().toLowerCase(Locale.ROOT);
    }

    private static String time(long ns) {
        return Instant.ofEpochSecond(0, ns).toString();
    }
}
