package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;

/** A latest trade or quote as the tiers hand it over (trade: price and size; quote: both sides). */
record Tick(DataSource source, long eventNs, double price, long size, double bid, long bidSize, double ask,
            long askSize) {
    static Tick trade(DataSource source, long eventNs, double price, long size) {
        return new Tick(source, eventNs, price, size, Double.NaN, 0, Double.NaN, 0);
    }

    static Tick quote(DataSource source, long eventNs, double bid, long bidSize, double ask, long askSize) {
        return new Tick(source, eventNs, Double.NaN, 0, bid, bidSize, ask, askSize);
    }

    /** A trade or quote event as a tick; null for other types. */
    static Tick of(MarketEvent e) {
        return switch (e) {
            case Trade t -> trade(t.source(), t.eventTimeNs(), t.price(), Math.max(0, t.size()));
            case Quote q -> quote(q.source(), q.eventTimeNs(), q.bidPrice(), Math.max(0, q.bidSize()), q.askPrice(),
                    Math.max(0, q.askSize()));
            default -> null;
        };
    }
}
