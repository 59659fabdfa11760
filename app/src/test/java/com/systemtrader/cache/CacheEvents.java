package com.systemtrader.cache;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradingStatus;

/** Events for the cache tests. Times are ns relative to {@link #T0} (2024-11-23 22:13:20 UTC). */
final class CacheEvents {
    static final long T0 = 1_732_400_000_000_000_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    private CacheEvents() {}

    static Trade trade(String sym, long t, double price, String id) {
        return new Trade(DataSource.POLYGON, sym, t, t + 5 * MS, price, 100, 4, id, 'C', 1000 + Long.parseLong(id),
                Absent.INT, Absent.LONG, Conditions.of(12, 37));
    }

    static Trade alpacaTrade(String sym, long t, double price, String id) {
        return new Trade(DataSource.ALPACA, sym, t, t + 5 * MS, price, 7, 'V', id, 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.ofLetters("@", "I"));
    }

    static Quote quote(String sym, long t, double bid, double ask, long seq) {
        return new Quote(DataSource.POLYGON, sym, t, t + MS, 11, bid, 3, 12, ask, 4, Conditions.of(1),
                Conditions.NONE, 'C', seq);
    }

    static Bar minuteBar(DataSource src, String sym, long start, double close, long volume) {
        return new Bar(src, sym, BarInterval.MINUTE, start, start + 60 * S, start + 61 * S, 100.0, 101.25, 99.5,
                close, volume, 100.4, 42, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    static TradingStatus halt(String sym, long t) {
        return new TradingStatus(DataSource.ALPACA, sym, t, t, "H", "Trading Halt", "T1", "News pending", 'C');
    }

    static LuldBand luld(String sym, long t) {
        return new LuldBand(DataSource.POLYGON, sym, t, t, 115.5, 104.25, Conditions.of(17), 'C', 77);
    }

    static Imbalance imbalance(String sym, long t) {
        return new Imbalance(DataSource.POLYGON, sym, t, t, 110.13, 5000, 120000, 1600, 'C', 10, 'C');
    }
}
