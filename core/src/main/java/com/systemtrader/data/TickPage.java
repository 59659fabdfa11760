package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.List;

/**
 * A page of the trades or quotes of one symbol and source in a time range ({@link RealtimeDataProvider#getTrades},
 * {@link RealtimeDataProvider#getQuotes}): in (event time, identity) order, each event once; {@code nextCursor} is
 * null on the last page, else what to pass for the next one.
 *
 * @param parts    which tier answered which part of the range, oldest first
 * @param attempts every tier looked at, with failures
 */
public record TickPage(String symbol, RecordType type, DataSource source, List<MarketEvent> events, String nextCursor,
                       List<Part> parts, List<Attempt> attempts) {
    public TickPage {
        events = List.copyOf(events);
        parts = List.copyOf(parts);
        attempts = List.copyOf(attempts);
    }

    /**
     * The events of {@code [fromNs, toNs)} a tier answered for this page.
     *
     * @param events how many of this page's events it gave
     */
    public record Part(Tier tier, long fromNs, long toNs, int events) {}
}
