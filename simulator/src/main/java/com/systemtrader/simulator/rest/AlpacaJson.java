package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.SipCodes;

/**
 * Alpaca REST object writers (protocols.md section 3.2): RFC 3339 times, exchange and condition letters from
 * {@link SipCodes}. A trade without conditions is a regular sale, written {@code ["@"]}; quotes carry
 * {@code ["R"]} (regular two-sided), since the simulated market only quotes regularly.
 */
final class AlpacaJson {
    private AlpacaJson() {}

    /** {@code "SYMBOL":} as an escaped object key. */
    static JsonOut key(JsonOut out, String symbol) {
        return out.string(symbol).raw(':');
    }

    static void trade(JsonOut out, Trade t) {
        out.beginObject();
        time(out, "t", t.eventTimeNs());
        out.fieldChar("x", SipCodes.exchangeLetter(t.exchange())).field("p", t.price()).field("s", t.size());
        out.name("c").beginArray();
        Conditions c = t.conditions();
        if (c == null || c.isEmpty()) out.string("@");
        else for (int i = 0; i < c.size(); i++) out.stringChar(SipCodes.conditionLetter(c.get(i), t.tape()));
        out.endArray();
        out.field("i", tradeId(t.tradeId()));
        if (t.tape() != Absent.CHAR) out.fieldChar("z", t.tape());
        out.endObject();
    }

    static void quote(JsonOut out, Quote q) {
        out.beginObject();
        time(out, "t", q.eventTimeNs());
        out.fieldChar("ax", SipCodes.exchangeLetter(q.askExchange())).field("ap", q.askPrice()).field("as", q.askSize());
        out.fieldChar("bx", SipCodes.exchangeLetter(q.bidExchange())).field("bp", q.bidPrice()).field("bs", q.bidSize());
        out.name("c").beginArray().string("R").endArray();
        if (q.tape() != Absent.CHAR) out.fieldChar("z", q.tape());
        out.endObject();
    }

    static void bar(JsonOut out, Bar b) {
        out.beginObject();
        time(out, "t", b.eventTimeNs());
        out.field("o", b.open()).field("h", b.high()).field("l", b.low()).field("c", b.close()).field("v", b.volume())
                .field("n", Absent.isAbsent(b.tradeCount()) ? 0 : b.tradeCount())
                .field("vw", Double.isNaN(b.vwap()) ? 0 : b.vwap());
        out.endObject();
    }

    static void time(JsonOut out, String name, long epochNs) {
        out.name(name);
        Timestamps.writeRfc3339Quoted(epochNs, out);
    }

    /** Alpaca ids are int64: numeric Polygon ids pass through, others become a stable non-negative hash. */
    static long tradeId(String id) {
        if (id != null && !id.isEmpty() && id.length() <= 18) {
            long v = 0;
            boolean digits = true;
            for (int i = 0; i < id.length() && digits; i++) {
                char ch = id.charAt(i);
                if (ch < '0' || ch > '9') digits = false;
                else v = v * 10 + (ch - '0');
            }
            if (digits) return v;
        }
        return id == null ? 0 : id.hashCode() & 0x7fff_ffffL;
    }
}
