package com.systemtrader.storage;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.EventFingerprint;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/**
 * The {@code event_id} column of {@code websocket_data}: with symbol, data type, time and source it forms the unique
 * key, so that a replayed or re-sent event inserts nothing, while two distinct events never share a key. The one
 * place that says how an event's identity is written:
 * <ul>
 *   <li>a trade with a provider trade id: {@code <exchange>:<trf id, or empty>:<trade id>}, since a trade id is
 *       unique only per symbol, exchange and (Polygon) TRF, the same venue the cleaner's dedupe uses
 *       ({@link com.systemtrader.clean.TradeIdentity});</li>
 *   <li>a quote with a sequence number (Polygon): {@code q<sequence>};</li>
 *   <li>any event without a provider identity (a quote without a sequence, as Alpaca sends them; a trade whose id
 *       is null or empty): {@code t<event ns>:<fingerprint>}, the exact event time and the 16 lower-case hex digits
 *       of its {@link EventFingerprint} (prices, sizes, exchanges, conditions, tape). Distinct events of the same
 *       nanosecond differ in content and so in identity; the same content at the same nanosecond cannot be told
 *       apart and is one event re-sent, so a replay, a reconnect's duplicate or a backfill of it inserts nothing.
 *       The WebSocket decoders (JSON and MessagePack) and the REST history decoders produce the same normalized
 *       record for the same event, hence the same identity.</li>
 * </ul>
 * {@link BatchWrite} writes the same text in place without allocating; its tests hold the two together.
 *
 * <p>Rows stored before this scheme (quotes as {@code t<ns>} alone) keep their ids: the scheme only changes how new
 * rows are keyed, never existing ones.
 */
public final class EventIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventIds() {}

    /** A trade's id: venue-qualified provider id, or {@code t<ns>:<fingerprint>} when it has none. */
    public static String trade(Trade t) {
        if (!t.hasTradeId()) return content(t.eventTimeNs(), EventFingerprint.of(t));
        return trade(t.exchange(), t.trfId(), t.tradeId());
    }

    /** {@code <exchange>:<trf id, or empty>:<trade id>}, e.g. {@code 4:202:52983525029461} or {@code 86::12345}. */
    public static String trade(int exchange, int trfId, String tradeId) {
        StringBuilder b = new StringBuilder(tradeId.length() + 16);
        if (!Absent.isAbsent(exchange)) b.append(exchange);
        b.append(':');
        if (!Absent.isAbsent(trfId)) b.append(trfId);
        return b.append(':').append(tradeId).toString();
    }

    /** The sequence number when sent ({@code q<sequence>}), else {@code t<ns>:<fingerprint>}. */
    public static String quote(Quote q) {
        return Absent.isAbsent(q.sequence()) ? content(q.eventTimeNs(), EventFingerprint.of(q)) : "q" + q.sequence();
    }

    /** {@code t<event ns>:<16 hex digits of the fingerprint>}. */
    static String content(long eventTimeNs, long fingerprint) {
        StringBuilder b = new StringBuilder(38).append('t').append(eventTimeNs).append(':');
        for (int shift = 60; shift >= 0; shift -= 4) b.append(HEX[(int) (fingerprint >>> shift) & 0xF]);
        return b.toString();
    }
}
