package com.systemtrader.cache;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;

/**
 * One cached time series: a (source, symbol, record type) and, for bars, the interval. Bars we built have source
 * {@link DataSource#DERIVED}. {@link BarInterval#UPDATED_MINUTE} bars are stored as {@link BarInterval#MINUTE}:
 * an update replaces the minute bar of its window.
 */
public record SeriesKey(DataSource source, String symbol, RecordType type, BarInterval interval) {
    public SeriesKey {
        if (source == null || symbol == null || type == null) throw new IllegalArgumentException("source, symbol and type are required");
        if ((type == RecordType.BAR) != (interval != null)) {
            throw new IllegalArgumentException("bars need an interval, other types none: " + type + " " + interval);
        }
        if (interval == BarInterval.UPDATED_MINUTE) interval = BarInterval.MINUTE;
    }

    public static SeriesKey of(DataSource source, String symbol, RecordType type) {
        return new SeriesKey(source, symbol, type, null);
    }

    public static SeriesKey bars(DataSource source, String symbol, BarInterval interval) {
        return new SeriesKey(source, symbol, RecordType.BAR, interval);
    }

    public static SeriesKey of(MarketEvent e) {
        return new SeriesKey(e.source(), e.symbol(), e.type(), e instanceof Bar b ? b.interval() : null);
    }
}
