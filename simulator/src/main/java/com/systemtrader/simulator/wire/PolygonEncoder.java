package com.systemtrader.simulator.wire;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.util.List;

/**
 * Writes normalized events as Polygon stocks WebSocket JSON, with the field names and order of protocols.md §1.5.
 * Used by the simulator and by tests; allocation-free per event (the {@link JsonOut} grows only when full).
 *
 * <p>Rules: a value that is {@link Absent} (or NaN, an empty condition list, a null trade id) is left out, so
 * a trade without conditions has no {@code c} and a non-TRF trade has no {@code trfi}/{@code trft}; {@code otc}
 * is written only when true. Times are written as T/Q/A/AM milliseconds (floor of the nanoseconds), LULD
 * microseconds (like Polygon's own 16-digit example; a decoder detects the unit by magnitude, so a round trip
 * keeps microsecond precision) and NOI nanoseconds. Tape 'A'/'B'/'C' is written as 1/2/3, anything else is left
 * out. Fields Polygon does not have (bar trade count, receive time, source) are dropped; an NOI tape, which the
 * documented example does not show, is written as a trailing {@code z} when present.
 */
public final class PolygonEncoder {
    private PolygonEncoder() {}

    /**
     * Writes one event as a JSON object (with a leading comma when it follows another value in {@code out}).
     *
     * @throws IllegalArgumentException for events Polygon has no stocks stream for (trading status, trade
     *                                  corrections and cancels, bars other than SECOND/MINUTE) and for a quote
     *                                  with more than one condition; nothing is written then
     */
    public static void writeEvent(MarketEvent event, JsonOut out) {
        switch (event) {
            case Trade t -> writeTrade(t, out);
            case Quote q -> writeQuote(q, out);
            case Bar b -> writeBar(b, out);
            case LuldBand l -> writeLuld(l, out);
            case Imbalance i -> writeImbalance(i, out);
            case TradingStatus s -> throw noStream("trading status");
            case TradeCorrection c -> throw noStream("trade corrections");
            case TradeCancel c -> throw noStream("trade cancels");
        }
    }

    /**
     * Writes {@code [event,...]}. If an event cannot be written, {@code out} is cut back to its length before the
     * call and the exception is rethrown.
     */
    public static void writeFrame(List<? extends MarketEvent> events, JsonOut out) {
        int start = out.length();
        try {
            out.beginArray();
            for (int i = 0; i < events.size(); i++) writeEvent(events.get(i), out);
            out.endArray();
        } catch (RuntimeException e) {
            out.truncate(start);
            throw e;
        }
    }

    /** Writes {@code {"ev":"status","status":..,"message":..}}. */
    public static void writeStatus(String status, String message, JsonOut out) {
        out.beginObject().field("ev", "status").field("status", status).field("message", message).endObject();
    }

    public static void writeStatus(PolygonStatus status, JsonOut out) {
        writeStatus(status.status(), status.message(), out);
    }

    /** Writes a status as the server sends it: alone in its own array. */
    public static void writeStatusFrame(PolygonStatus status, JsonOut out) {
        out.beginArray();
        writeStatus(status, out);
        out.endArray();
    }

    public static void writeTrade(Trade t, JsonOut out) {
        out.beginObject().field("ev", "T").field("sym", t.symbol());
        optInt(out, "x", t.exchange());
        if (t.tradeId() != null) out.field("i", t.tradeId());
        tape(out, t.tape());
        optDouble(out, "p", t.price());
        optLong(out, "s", t.size());
        codes(out, "c", t.conditions());
        out.field("t", millis(t.eventTimeNs()));
        optLong(out, "q", t.sequence());
        optInt(out, "trfi", t.trfId());
        if (!Absent.isAbsent(t.trfTimeNs())) out.field("trft", millis(t.trfTimeNs()));
        out.endObject();
    }

    public static void writeQuote(Quote q, JsonOut out) {
        if (q.conditions().size() > 1) {
            throw new IllegalArgumentException("a Polygon quote carries one condition, this one has "
                    + q.conditions().size());
        }
        out.beginObject().field("ev", "Q").field("sym", q.symbol());
        optInt(out, "bx", q.bidExchange());
        optDouble(out, "bp", q.bidPrice());
        optLong(out, "bs", q.bidSize());
        optInt(out, "ax", q.askExchange());
        optDouble(out, "ap", q.askPrice());
        optLong(out, "as", q.askSize());
        if (!q.conditions().isEmpty()) out.field("c", q.conditions().get(0));
        codes(out, "i", q.indicators());
        out.field("t", millis(q.eventTimeNs()));
        optLong(out, "q", q.sequence());
        tape(out, q.tape());
        out.endObject();
    }

    /** {@code A} for SECOND bars, {@code AM} for MINUTE bars. */
    public static void writeBar(Bar b, JsonOut out) {
        String ev = b.interval() == BarInterval.SECOND ? "A" : b.interval() == BarInterval.MINUTE ? "AM" : null;
        if (ev == null) throw noStream(b.interval() + " bars");
        out.beginObject().field("ev", ev).field("sym", b.symbol());
        optLong(out, "v", b.volume());
        optLong(out, "av", b.accumulatedVolume());
        optDouble(out, "op", b.officialOpen());
        optDouble(out, "vw", b.vwap());
        optDouble(out, "o", b.open());
        optDouble(out, "c", b.close());
        optDouble(out, "h", b.high());
        optDouble(out, "l", b.low());
        optDouble(out, "a", b.dayVwap());
        optLong(out, "z", b.averageTradeSize());
        out.field("s", millis(b.eventTimeNs())).field("e", millis(b.endTimeNs()));
        if (b.otc()) out.field("otc", true);
        out.endObject();
    }

    /** {@code t} in microseconds, see the class comment. */
    public static void writeLuld(LuldBand l, JsonOut out) {
        out.beginObject().field("ev", "LULD").field("T", l.symbol());
        optDouble(out, "h", l.limitUp());
        optDouble(out, "l", l.limitDown());
        codes(out, "i", l.indicators());
        tape(out, l.tape());
        out.field("t", Math.floorDiv(l.eventTimeNs(), 1_000L));
        optLong(out, "q", l.sequence());
        out.endObject();
    }

    /** {@code t} in nanoseconds, like Polygon's example. */
    public static void writeImbalance(Imbalance i, JsonOut out) {
        out.beginObject().field("ev", "NOI").field("T", i.symbol()).field("t", i.eventTimeNs());
        optInt(out, "at", i.auctionTime());
        if (i.auctionType() != Absent.CHAR) out.fieldChar("a", i.auctionType());
        optInt(out, "x", i.exchange());
        optLong(out, "o", i.imbalanceQuantity());
        optLong(out, "p", i.pairedQuantity());
        optDouble(out, "b", i.price());
        tape(out, i.tape());
        out.endObject();
    }

    // ---- helpers ----

    private static long millis(long ns) {
        return Math.floorDiv(ns, 1_000_000L);
    }

    private static void optInt(JsonOut out, String name, int v) {
        if (!Absent.isAbsent(v)) out.field(name, v);
    }

    private static void optLong(JsonOut out, String name, long v) {
        if (!Absent.isAbsent(v)) out.field(name, v);
    }

    private static void optDouble(JsonOut out, String name, double v) {
        if (!Double.isNaN(v)) out.field(name, v);
    }

    private static void tape(JsonOut out, char tape) {
        switch (tape) {
            case 'A' -> out.field("z", 1);
            case 'B' -> out.field("z", 2);
            case 'C' -> out.field("z", 3);
            default -> { }
        }
    }

    private static void codes(JsonOut out, String name, Conditions c) {
        if (c.isEmpty()) return;
        out.name(name).beginArray();
        for (int i = 0; i < c.size(); i++) out.number(c.get(i));
        out.endArray();
    }

    private static IllegalArgumentException noStream(String what) {
        return new IllegalArgumentException("Polygon has no stocks WebSocket event for " + what);
    }
}
