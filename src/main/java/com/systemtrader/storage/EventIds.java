package com.systemtrader.storage;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/**
 * The {@code event_id} column of {@code websocket_data}: with symbol, data type, time and source it forms the unique
 * key, so that a replayed or re-sent event inserts nothing. It follows the providers' identity rules: a trade id is
 * unique only per symbol, exchange and (Polygon) TRF, the same venue the cleaner's dedupe uses
 * ({@link com.systemtrader.clean.TradeIdentity}); a quote has no id, so its sequence number identifies it when the
 * provider sends one (Polygon), and its exact event time in nanoseconds otherwise (Alpaca).
 */
public final class EventIds {
    private EventIds() {}

    /** {@code <exchange>:<trf id, or empty>:<trade id>}, e.g. {@code 4:202:52983525029461} or {@code 86::12345}. */
    public static String trade(Trade t) {
        return trade(t.exchange(), t.trfId(), t.tradeId());
    }

    public static String trade(int exchange, int trfId, String tradeId) {
        StringBuilder b = new StringBuilder(tradeId.length() + 16);
        if (!Absent.isAbsent(exchange)) b.append(exchange);
        b.append(':');
        if (!Absent.isAbsent(trfId)) b.append(trfId);
        return b.append(':').append(tradeId).toString();
    }

    /** The sequence number when sent ({@code q<sequence>}), else the event time in ns ({@code t<ns>}). */
    public static String quote(Quote q) {
        return Absent.isAbsent(q.sequence()) ? "t" + q.eventTimeNs() : "q" + q.sequence();
    }
}
