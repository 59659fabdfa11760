package com.systemtrader.schema;

/**
 * A trade print.
 *
 * @param exchange   Polygon exchange id ({@code x}) or the Alpaca exchange letter as a char value
 * @param tradeId    the provider's trade id, unique only per (symbol, exchange[, TRF id])
 * @param tape       'A', 'B', 'C' (or 'O'); Polygon's 1/2/3 are mapped to A/B/C; {@link Absent#CHAR} if absent
 * @param sequence   Polygon per-ticker sequence number ({@code q}); {@link Absent#LONG} for Alpaca
 * @param trfId      Polygon TRF id ({@code trfi}); {@link Absent#INT} if absent
 * @param trfTimeNs  Polygon TRF timestamp in ns; {@link Absent#LONG} if absent
 * @param conditions condition codes in the provider's code space
 */
public record Trade(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs,
                    double price, long size, int exchange, String tradeId, char tape, long sequence,
                    int trfId, long trfTimeNs, Conditions conditions) implements MarketEvent {
    @Override public RecordType type() { return RecordType.TRADE; }

    /**
     * True when the provider gave this trade an id (non-null, non-empty). A trade without one is identified by its
     * content instead ({@link EventFingerprint}); a decoder or the journal may give such a trade {@code null} or
     * {@code ""}, and both mean the same.
     */
    public boolean hasTradeId() {
        return tradeId != null && !tradeId.isEmpty();
    }

    public Trade withReceiveTime(long ns) {
        return new Trade(source, symbol, eventTimeNs, ns, price, size, exchange, tradeId, tape, sequence,
                trfId, trfTimeNs, conditions);
    }
}
