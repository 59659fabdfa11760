package com.systemtrader.cache;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;

/**
 * A series' index within its symbol: one slot per (source, record type), bars one per interval, with
 * {@link BarInterval#UPDATED_MINUTE} sharing MINUTE's (as {@link SeriesKey} does). Lets caches find a series by
 * symbol and then an array index, without building a key per event.
 */
final class SeriesSlot {
    private static final int TYPES = RecordType.values().length;
    private static final BarInterval[] INTERVALS = {BarInterval.SECOND, BarInterval.MINUTE, BarInterval.DAILY};
    private static final int KINDS = TYPES + INTERVALS.length;
    private static final DataSource[] SOURCES = DataSource.values();
    /** Slots per symbol. */
    static final int COUNT = SOURCES.length * KINDS;

    private SeriesSlot() {}

    static int of(MarketEvent e) {
        return of(e.source(), e.type(), e instanceof Bar b ? b.interval() : null);
    }

    static int of(SeriesKey k) {
        return of(k.source(), k.type(), k.interval());
    }

    static int of(DataSource source, RecordType type, BarInterval interval) {
        int kind = type.ordinal();
        if (type == RecordType.BAR) {
            kind = switch (interval) {
                case SECOND -> TYPES;
                case MINUTE, UPDATED_MINUTE -> TYPES + 1;
                case DAILY -> TYPES + 2;
            };
        }
        return source.ordinal() * KINDS + kind;
    }

    /** The record type a slot holds. */
    static RecordType type(int slot) {
        int kind = slot % KINDS;
        return kind < TYPES ? RecordType.values()[kind] : RecordType.BAR;
    }

    /** The series a slot of {@code symbol} holds. */
    static SeriesKey key(String symbol, int slot) {
        int kind = slot % KINDS;
        DataSource source = SOURCES[slot / KINDS];
        return kind < TYPES ? SeriesKey.of(source, symbol, RecordType.values()[kind])
                : SeriesKey.bars(source, symbol, INTERVALS[kind - TYPES]);
    }
}
