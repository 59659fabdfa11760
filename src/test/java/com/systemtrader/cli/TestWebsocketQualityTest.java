package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.collector.GapLedger;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import org.junit.jupiter.api.Test;

/** The {@code --check-quality} rules on hand-made events. */
class TestWebsocketQualityTest {
    private final TestWebsocketQuality quality = new TestWebsocketQuality();

    private static Trade trade(String symbol, long timeNs, double price, long size, int exchange, int trf, String id) {
        return new Trade(DataSource.POLYGON, symbol, timeNs, timeNs, price, size, exchange, id, 'A', Absent.LONG, trf,
                Absent.LONG, Conditions.NONE);
    }

    private static Quote quote(double bid, long bidSize, double ask, long askSize) {
        return new Quote(DataSource.ALPACA, "AAPL", 1, 1, 1, bid, bidSize, 1, ask, askSize, Conditions.NONE,
                Conditions.NONE, 'C', Absent.LONG);
    }

    private static Bar bar(double o, double h, double l, double c) {
        return new Bar(DataSource.POLYGON, "AAPL", BarInterval.MINUTE, 0, 60_000_000_000L, 1, o, h, l, c, 100,
                Double.NaN, Absent.LONG, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    @Test void tradesAreCheckedForValidityDuplicatesAndOrder() {
        quality.onEvent(trade("AAPL", 100, 10, 5, 4, Absent.INT, "1"));
        quality.onEvent(trade("AAPL", 100, 10, 5, 4, Absent.INT, "1"));   // duplicate
        quality.onEvent(trade("AAPL", 101, 10, 5, 4, 201, "1"));          // same id, other TRF: distinct
        quality.onEvent(trade("AAPL", 102, 10, 5, 7, Absent.INT, "1"));   // same id, other exchange: distinct
        quality.onEvent(trade("MSFT", 100, 10, 5, 4, Absent.INT, "1"));   // other symbol: distinct
        quality.onEvent(trade("AAPL", 90, 10, 5, 4, Absent.INT, "2"));    // older than 102: out of order
        quality.onEvent(trade("AAPL", 103, Double.NaN, 5, 4, Absent.INT, "3"));
        quality.onEvent(trade("AAPL", 104, 0, 5, 4, Absent.INT, "4"));
        quality.onEvent(trade("AAPL", 105, 10, 0, 4, Absent.INT, "5"));

        TestWebsocketQuality.Figures f = quality.figures(new GapLedger());
        assertThat(f.trades()).isEqualTo(9);
        assertThat(f.duplicateTrades()).isEqualTo(1);
        assertThat(f.outOfOrderTrades()).isEqualTo(1);
        assertThat(f.invalidTrades()).isEqualTo(3);
        assertThat(f.bySymbol().get("AAPL").duplicateTrades()).isEqualTo(1);
        assertThat(f.bySymbol().get("MSFT").trades()).isEqualTo(1);
    }

    @Test void theDuplicateWindowIsBounded() {
        quality.onEvent(trade("AAPL", 1, 10, 1, 4, Absent.INT, "first"));
        for (int i = 0; i < TestWebsocketQuality.DEDUPE_WINDOW; i++) {
            quality.onEvent(trade("AAPL", 2 + i, 10, 1, 4, Absent.INT, "t" + i));
        }
        quality.onEvent(trade("AAPL", Long.MAX_VALUE, 10, 1, 4, Absent.INT, "first"));   // forgotten by now
        String newest = "t" + (TestWebsocketQuality.DEDUPE_WINDOW - 1);
        quality.onEvent(trade("AAPL", Long.MAX_VALUE, 10, 1, 4, Absent.INT, newest));     // still remembered
        assertThat(quality.figures(new GapLedger()).duplicateTrades()).isEqualTo(1);
    }

    @Test void quotesAndBars() {
        quality.onEvent(quote(10.00, 1, 10.01, 1));   // fine
        quality.onEvent(quote(10.02, 1, 10.01, 1));   // crossed
        quality.onEvent(quote(10.01, 1, 10.01, 1));   // locked
        quality.onEvent(quote(0, 0, 10.01, 1));       // one-sided
        quality.onEvent(quote(10.00, 0, 10.01, 1));   // size 0 on a two-sided quote
        quality.onEvent(quote(Double.POSITIVE_INFINITY, 1, 10.01, 1));
        quality.onEvent(bar(10, 11, 9, 10.5));
        quality.onEvent(bar(10, 9, 11, 10));          // high below low
        quality.onEvent(bar(12, 11, 9, 10));          // open above high
        quality.onEvent(bar(0, 11, 9, 10));

        TestWebsocketQuality.Figures f = quality.figures(new GapLedger());
        assertThat(f.quotes()).isEqualTo(6);
        assertThat(f.crossedQuotes()).isEqualTo(1);
        assertThat(f.lockedQuotes()).isEqualTo(1);
        assertThat(f.oneSidedQuotes()).isEqualTo(1);
        assertThat(f.invalidQuotes()).isEqualTo(2);
        assertThat(f.bars()).isEqualTo(4);
        assertThat(f.invalidBars()).isEqualTo(3);
    }
}
