package com.systemtrader.clean;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;

/** Events for cleaner and bar tests, at a fixed regular-session instant (2026-11-24 15:00 UTC = 10:00 ET). */
final class Events {
    static final long T0 = 1_795_532_400_000_000_000L;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    private Events() {}

    static Trade trade(String sym, long t, double price, long size, int exchange, String id, int... conditions) {
        return new Trade(DataSource.POLYGON, sym, t, t + MS, price, size, exchange, id, 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.of(conditions));
    }

    static Trade trf(String sym, long t, double price, long size, String id, int trfId, long trfTime) {
        return new Trade(DataSource.POLYGON, sym, t, t + MS, price, size, 4, id, 'C', Absent.LONG, trfId, trfTime,
                Conditions.NONE);
    }

    static Trade alpaca(String sym, long t, double price, long size, char exchange, String id, char tape,
                        String... letters) {
        return new Trade(DataSource.ALPACA, sym, t, t + MS, price, size, exchange, id, tape, Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.ofLetters(letters));
    }

    static Quote quote(String sym, long t, double bid, double ask) {
        return new Quote(DataSource.POLYGON, sym, t, t + MS, 12, bid, 3, 11, ask, 4, Conditions.of(1), Conditions.NONE,
                'C', Absent.LONG);
    }

    static Bar bar(String sym, long start, double o, double h, double l, double c, long v) {
        return new Bar(DataSource.POLYGON, sym, BarInterval.MINUTE, start, start + 60 * S, start + 61 * S, o, h, l, c,
                v, (h + l) / 2, Absent.LONG, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    static LuldBand luld(String sym, long t, double down, double up) {
        return new LuldBand(DataSource.POLYGON, sym, t, t + MS, up, down, Conditions.NONE, 'C', Absent.LONG);
    }

    static TradingStatus status(String sym, long t, String code) {
        return new TradingStatus(DataSource.ALPACA, sym, t, t + MS, code, "", "", "", 'C');
    }

    static TradeCancel cancel(String sym, long t, char exchange, String id, double price, long size) {
        return new TradeCancel(DataSource.ALPACA, sym, t, t + MS, exchange, id, price, size, 'C', 'C');
    }

    static TradeCorrection correction(String sym, long t, char exchange, String id, double price, long size,
                                      String newId, double newPrice, long newSize, String... newLetters) {
        return new TradeCorrection(DataSource.ALPACA, sym, t, t + MS, exchange, id, price, size, Conditions.NONE,
                newId, newPrice, newSize, Conditions.ofLetters(newLetters), 'C');
    }
}
