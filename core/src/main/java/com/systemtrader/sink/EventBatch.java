package com.systemtrader.sink;

import com.systemtrader.schema.MarketEvent;
import java.util.List;

/**
 * One batch of cleaned events with the cleaner's verdict of each ({@code clean.Flags}: SIP eligibility and quality
 * bits), as every {@link EventSink} receives it. Immutable and shared by all sinks of a fan-out: a sink may keep it.
 */
public final class EventBatch {
    private final List<MarketEvent> events;
    private final int[] flags;

    /** {@code flags[i]} is the verdict of {@code events.get(i)}; both are copied. */
    public EventBatch(List<? extends MarketEvent> events, int[] flags) {
        this(events, flags, 0);
    }

    /** {@code flags[from + i]} is the verdict of {@code events.get(i)}; both are copied (the fan-out's buffer). */
    EventBatch(List<? extends MarketEvent> events, int[] flags, int from) {
        if (from < 0 || flags.length - from < events.size()) {
            throw new IllegalArgumentException((flags.length - from) + " flags for " + events.size() + " events");
        }
        this.events = List.copyOf(events);
        this.flags = java.util.Arrays.copyOfRange(flags, from, from + events.size());
    }

    public List<MarketEvent> events() { return events; }

    public int size() { return events.size(); }

    public MarketEvent event(int i) { return events.get(i); }

    /** The verdict of event {@code i}. */
    public int flags(int i) { return flags[i]; }

    /** A copy of the verdicts, parallel to {@link #events()}. */
    public int[] flags() { return flags.clone(); }
}
