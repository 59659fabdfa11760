package com.systemtrader.storage.journal;

import com.systemtrader.schema.MarketEvent;
import java.util.List;

/**
 * Journaled batches read by {@link SpillJournal#read} and not yet acknowledged, joined into one: their events in
 * append order and the cleaner's verdict of each ({@code flags()[i]} for {@code events().get(i)}, 0 for batches
 * journaled without verdicts). Hand it back to {@link SpillJournal#acknowledge} once it is written downstream.
 */
public final class ReplayBatch {
    /** Where one journaled batch is: its segment, its index there and its offset in the file. */
    record Position(SegmentFile segment, int index, long offset) {}

    private final List<MarketEvent> events;
    private final int[] flags;
    private final List<Position> positions;

    ReplayBatch(List<MarketEvent> events, int[] flags, List<Position> positions) {
        this.events = events;
        this.flags = flags;
        this.positions = List.copyOf(positions);
    }

    public List<MarketEvent> events() { return events; }
    public int[] flags() { return flags; }
    /** How many journaled batches were joined. */
    public int batches() { return positions.size(); }
    List<Position> positions() { return positions; }
}
