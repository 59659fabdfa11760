package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/**
 * Polygon REST object writers (protocols.md section 3.1). Aggregate times are Unix ms, trade and quote times
 * Unix ns. The simulated market has a single clock, so the participant time ({@code y},
 * {@code participant_timestamp}) equals the SIP time.
 */
final class PolygonJson {
    private PolygonJson() {}

    /** An aggregate: {@code {"v","vw","o","c","h","l","t","n"}} plus {@code "T"} when {@code ticker} is given. */
    static void aggregate(JsonOut out, Bar b, String ticker, long tMillis) {
        out.beginObject();
        if (ticker != null) out.field("T", ticker);
        out.field("v", b.volume());
        if (!Double.isNaN(b.vwap())) out.field("vw", b.vwap());
        out.field("o", b.open()).field("c", b.close()).field("h", b.high()).field("l", b.low());
        out.field("t", tMillis);
        if (!Absent.isAbsent(b.tradeCount())) out.field("n", b.tradeCount());
        if (b.otc()) out.field("otc", true);
        out.endObject();
    }

    /** {@code GET /v2/last/trade} results. */
    static void lastTrade(JsonOut out, Trade t) {
        out.beginObject().field("T", t.symbol());
        conditions(out, "c", t.conditions());
        if (!Absent.isAbsent(t.trfTimeNs())) out.field("f", t.trfTimeNs());
        out.field("i", t.tradeId()).field("p", t.price());
        if (!Absent.isAbsent(t.sequence())) out.field("q", t.sequence());
        if (!Absent.isAbsent(t.trfId())) out.field("r", t.trfId());
        out.field("s", t.size()).field("t", t.eventTimeNs()).field("x", t.exchange()).field("y", t.eventTimeNs());
        tape(out, "z", t.tape());
        out.endObject();
    }

    /** {@code GET /v2/last/nbbo} results. */
    static void lastQuote(JsonOut out, Quote q) {
        out.beginObject().field("T", q.symbol());
        out.field("P", q.askPrice()).field("S", q.askSize()).field("X", q.askExchange());
        conditions(out, "c", q.conditions());
        conditions(out, "i", q.indicators());
        out.field("p", q.bidPrice()).field("s", q.bidSize()).field("x", q.bidExchange());
        if (!Absent.isAbsent(q.sequence())) out.field("q", q.sequence());
        out.field("t", q.eventTimeNs()).field("y", q.eventTimeNs());
        tape(out, "z", q.tape());
        out.endObject();
    }

    /** {@code GET /v3/trades} result item. */
    static void v3Trade(JsonOut out, Trade t) {
        out.beginObject();
        conditions(out, "conditions", t.conditions());
        out.field("exchange", t.exchange()).field("id", t.tradeId());
        out.field("participant_timestamp", t.eventTimeNs()).field("price", t.price());
        if (!Absent.isAbsent(t.sequence())) out.field("sequence_number", t.sequence());
        out.field("sip_timestamp", t.eventTimeNs()).field("size", t.size());
        tape(out, "tape", t.tape());
        if (!Absent.isAbsent(t.trfId())) out.field("trf_id", t.trfId());
        if (!Absent.isAbsent(t.trfTimeNs())) out.field("trf_timestamp", t.trfTimeNs());
        out.endObject();
    }

    /** {@code GET /v3/quotes} result item. */
    static void v3Quote(JsonOut out, Quote q) {
        out.beginObject();
        out.field("ask_exchange", q.askExchange()).field("ask_price", q.askPrice()).field("ask_size", q.askSize());
        out.field("bid_exchange", q.bidExchange()).field("bid_price", q.bidPrice()).field("bid_size", q.bidSize());
        conditions(out, "conditions", q.conditions());
        conditions(out, "indicators", q.indicators());
        out.field("participant_timestamp", q.eventTimeNs());
        if (!Absent.isAbsent(q.sequence())) out.field("sequence_number", q.sequence());
        out.field("sip_timestamp", q.eventTimeNs());
        tape(out, "tape", q.tape());
        out.endObject();
    }

    /** Snapshot {@code lastTrade}: {@code {"c","i","p","s","t","x"}}. */
    static void snapshotTrade(JsonOut out, Trade t) {
        out.beginObject();
        conditions(out, "c", t.conditions());
        out.field("i", t.tradeId()).field("p", t.price()).field("s", t.size()).field("t", t.eventTimeNs())
                .field("x", t.exchange());
        out.endObject();
    }

    /** Snapshot {@code lastQuote}: {@code {"P","S","p","s","t"}}. */
    static void snapshotQuote(JsonOut out, Quote q) {
        out.beginObject().field("P", q.askPrice()).field("S", q.askSize()).field("p", q.bidPrice())
                .field("s", q.bidSize()).field("t", q.eventTimeNs()).endObject();
    }

    /** Polygon tape number: A = 1, B = 2, C = 3; omitted when absent or unknown. */
    static void tape(JsonOut out, String name, char tape) {
        int z = switch (tape) {
            case 'A' -> 1;
            case 'B' -> 2;
            case 'C' -> 3;
            default -> 0;
        };
        if (z != 0) out.field(name, z);
    }

    /** An int array, omitted when empty (Polygon leaves conditions out of plain regular trades). */
    static void conditions(JsonOut out, String name, Conditions c) {
        if (c == null || c.isEmpty()) return;
        out.name(name).beginArray();
        for (int i = 0; i < c.size(); i++) out.number(c.get(i));
        out.endArray();
    }
}
