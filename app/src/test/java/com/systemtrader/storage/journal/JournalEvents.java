package com.systemtrader.storage.journal;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.schema.TradingStatus;
import java.util.ArrayList;
import java.util.List;

/** Events for the journal tests: every type, with edge values. */
final class JournalEvents {
    static final long T0 = 1_732_000_000_123_456_789L;

    private JournalEvents() {}

    static Trade trade(long n) {
        return new Trade(DataSource.POLYGON, "AAPL", T0 + n, T0 + n + 1_000, 190.25 + n * 0.01, 100 + n, 4,
                "t" + n, 'C', n, Absent.INT, Absent.LONG, Conditions.of(12, 37));
    }

    /** A batch of {@code size} trades whose sequence numbers start at {@code first}. */
    static List<Trade> trades(long first, int size) {
        List<Trade> b = new ArrayList<>(size);
        for (int i = 0; i < size; i++) b.add(trade(first + i));
        return b;
    }

    /** Every event type, each with its edge values (NaN, Absent, empty and null code lists, long ids, nulls). */
    static List<MarketEvent> everyType() {
        String longId = "9".repeat(300);
        return List.of(
                new Trade(DataSource.POLYGON, "BRK.A", T0, T0 + 5, 612_345.5, Long.MAX_VALUE, 12, longId, '\0',
                        Absent.LONG, 202, T0 - 7, Conditions.of(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE)),
                new Trade(DataSource.ALPACA, "A", Long.MIN_VALUE, 0, Double.NaN, 0, 'V', "", 'A',
                        Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE),
                new Trade(DataSource.SIMULATOR, "ZZZZ", -1, -1, -0.0, -5, Absent.INT, null, Character.MAX_VALUE,
                        Long.MAX_VALUE, Absent.INT, Long.MIN_VALUE, Conditions.ofLetters("@", "I", " ")),
                new Quote(DataSource.POLYGON, "MSFT", T0, T0 + 9, 11, 410.01, 3, 12, 410.02, 7,
                        Conditions.of(1), Conditions.of(604, 605), 'C', 123_456_789_012L),
                new Quote(DataSource.ALPACA, "SPY", T0, T0, Absent.INT, Double.NaN, 0, Absent.INT,
                        Double.POSITIVE_INFINITY, Absent.LONG, Conditions.NONE, null, '\0', Absent.LONG),
                new Bar(DataSource.POLYGON, "QQQ", BarInterval.SECOND, T0, T0 + 1_000_000_000L, T0 + 2, 1, 2, 0.5,
                        1.5, 1000, 1.25, Absent.LONG, 12_345_678L, 0.9, 1.1, 42, true),
                new Bar(DataSource.DERIVED, "IWM", BarInterval.DAILY, T0, T0 + 1, 0, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, 0, Double.NaN, 0, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG,
                        false, DataSource.ALPACA),
                new Bar(DataSource.ALPACA, "X", BarInterval.UPDATED_MINUTE, T0, T0, T0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                        1, false, null),
                new TradingStatus(DataSource.ALPACA, "GME", T0, T0, "H", "Trading Halt", "T1", "News pending — ünïcode", 'C'),
                new TradingStatus(DataSource.ALPACA, "AMC", T0, T0, "3", null, "", null, '\0'),
                new LuldBand(DataSource.POLYGON, "TSLA", T0, T0, 250.5, 230.25, Conditions.of(17, 18), 'C', 99),
                new LuldBand(DataSource.ALPACA, "NVDA", T0, T0, Double.NaN, Double.NaN, Conditions.NONE, '\0', Absent.LONG),
                new TradeCorrection(DataSource.ALPACA, "AMD", T0, T0, 'N', "52983525033527", 120.5, 100,
                        Conditions.ofLetters("@"), "52983525034000", 120.6, 90, Conditions.NONE, 'C'),
                new TradeCorrection(DataSource.ALPACA, "AMD", T0, T0, Absent.INT, null, Double.NaN, Absent.LONG, null,
                        longId, Double.NaN, Absent.LONG, Conditions.of(), '\0'),
                new TradeCancel(DataSource.ALPACA, "F", T0, T0, 'D', "abc", 12.5, 10, 'C', 'A'),
                new TradeCancel(DataSource.ALPACA, "F", T0, T0, Absent.INT, null, Double.NaN, Absent.LONG, 'E', '\0'),
                new Imbalance(DataSource.POLYGON, "KO", T0, T0, 60.1, 5000, 12000, 1600, 'M', 4, 'A'),
                new Imbalance(DataSource.ALPACA, "PEP", T0, T0, Double.NaN, Absent.LONG, Absent.LONG, Absent.INT,
                        '\0', Absent.INT, '\0'));
    }
}
