package com.systemtrader.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemoryDataCacheTest {
    private static final long T0 = 1_795_532_400_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final SeriesKey AAPL = SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.TRADE);

    private static Trade trade(String sym, long t, String id) {
        return new Trade(DataSource.POLYGON, sym, t, t, 100, 1, 11, id, 'C', Absent.LONG, Absent.INT, Absent.LONG,
                Conditions.NONE);
    }

    private static Bar bar(DataSource source, BarInterval interval, long start, double close) {
        return new Bar(source, "AAPL", interval, start, start + 60_000 * MS, start, close, close, close, close, 10, close,
                1, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }

    private static List<String> ids(List<MarketEvent> events) {
        return events.stream().map(e -> ((Trade) e).tradeId()).toList();
    }

    @Test void rangesAreOrderedByEventTimeWithInclusiveBoundsAndLimits() {
        MemoryDataCache c = new MemoryDataCache();
        c.addAll(List.of(trade("AAPL", T0 + 1 * MS, "1"), trade("AAPL", T0 + 3 * MS, "3"), trade("AAPL", T0 + 2 * MS, "2"),
                trade("AAPL", T0 + 4 * MS, "4"), trade("MSFT", T0, "m")));
        assertThat(ids(c.range(new RangeQuery(AAPL, T0 + 2 * MS, T0 + 4 * MS, 10, false)))).containsExactly("2", "3", "4");
        assertThat(ids(c.range(new RangeQuery(AAPL, T0 + 2 * MS, T0 + 4 * MS, 2, true)))).containsExactly("4", "3");
        assertThat(ids(c.range(new RangeQuery(AAPL, T0 + 2 * MS, T0 + 4 * MS, 2, false)))).containsExactly("2", "3");
        assertThat(ids(c.range(RangeQuery.all(AAPL, 100, false)))).containsExactly("1", "2", "3", "4");
        assertThat(c.range(new RangeQuery(AAPL, T0 + 5 * MS, T0 + 9 * MS, 10, false))).isEmpty();
        assertThat(c.range(RangeQuery.all(SeriesKey.of(DataSource.ALPACA, "AAPL", RecordType.TRADE), 10, false))).isEmpty();
        assertThat(c.symbols(RecordType.TRADE)).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(c.symbols(RecordType.QUOTE)).isEmpty();
    }

    @Test void equalTimesKeepArrivalOrder() {
        MemoryDataCache c = new MemoryDataCache();
        for (int i = 0; i < 5; i++) c.add(trade("AAPL", T0, "" + i));
        assertThat(ids(c.range(RangeQuery.all(AAPL, 10, false)))).containsExactly("0", "1", "2", "3", "4");
    }

    @Test void theLatestOnlyMovesForwardInEventTime() {
        MemoryDataCache c = new MemoryDataCache();
        c.add(trade("AAPL", T0 + 5 * MS, "new"));
        c.add(trade("AAPL", T0 + 1 * MS, "late"));
        assertThat(((Trade) c.latest(AAPL).orElseThrow()).tradeId()).isEqualTo("new");
        c.add(trade("AAPL", T0 + 5 * MS, "same-time"));
        assertThat(((Trade) c.latest(AAPL).orElseThrow()).tradeId()).isEqualTo("same-time");
        assertThat(c.latest(SeriesKey.of(DataSource.POLYGON, "MSFT", RecordType.TRADE))).isEmpty();
    }

    @Test void windowsAreBoundedByCountAndByAge() {
        MemoryDataCache c = new MemoryDataCache(new MemoryCacheConfig(100, Duration.ofSeconds(10), Duration.ofDays(1)));
        for (int i = 0; i < 1_000; i++) c.add(trade("AAPL", T0 + i * MS, "" + i));
        List<MarketEvent> kept = c.range(RangeQuery.all(AAPL, 1_000, false));
        assertThat(kept).hasSize(100);
        assertThat(ids(kept).get(0)).isEqualTo("900");
        c.add(trade("AAPL", T0 + 20_000 * MS, "later"));
        assertThat(ids(c.range(RangeQuery.all(AAPL, 1_000, false)))).as("10 s window").containsExactly("later");
        c.expire(T0 + 31_000 * MS);
        assertThat(c.range(RangeQuery.all(AAPL, 1_000, false))).isEmpty();
        assertThat(c.latest(AAPL)).isEmpty();
        assertThat(c.evicted()).isEqualTo(1_000 + 1);
    }

    @Test void aLateEventInAFullWindowGoesInPlaceAndTheOldestLeaves() {
        MemoryDataCache c = new MemoryDataCache(new MemoryCacheConfig(3, Duration.ofHours(1), Duration.ofDays(1)));
        c.add(trade("AAPL", T0 + 10 * MS, "a"));
        c.add(trade("AAPL", T0 + 20 * MS, "b"));
        c.add(trade("AAPL", T0 + 30 * MS, "c"));
        c.add(trade("AAPL", T0 + 25 * MS, "late"));
        assertThat(ids(c.range(RangeQuery.all(AAPL, 10, false)))).containsExactly("b", "late", "c");
        c.add(trade("AAPL", T0 + 1 * MS, "too-old"));
        assertThat(ids(c.range(RangeQuery.all(AAPL, 10, false)))).containsExactly("b", "late", "c");
    }

    @Test void aRevisedBarReplacesItsWindowPerSourceAndUpdatedBarsFoldIntoMinutes() {
        MemoryDataCache c = new MemoryDataCache();
        c.add(bar(DataSource.ALPACA, BarInterval.MINUTE, T0, 10));
        c.add(bar(DataSource.ALPACA, BarInterval.UPDATED_MINUTE, T0, 11));
        c.add(bar(DataSource.ALPACA, BarInterval.MINUTE, T0 + 60_000 * MS, 12));
        c.add(bar(DataSource.POLYGON, BarInterval.MINUTE, T0, 20));
        SeriesKey alpaca = SeriesKey.bars(DataSource.ALPACA, "AAPL", BarInterval.MINUTE);
        List<MarketEvent> bars = c.range(RangeQuery.all(alpaca, 10, false));
        assertThat(bars).extracting(e -> ((Bar) e).close()).containsExactly(11.0, 12.0);
        assertThat(((Bar) c.latest(SeriesKey.bars(DataSource.POLYGON, "AAPL", BarInterval.UPDATED_MINUTE))
                .orElseThrow()).close()).isEqualTo(20);
        assertThat(c.range(RangeQuery.all(SeriesKey.bars(DataSource.ALPACA, "AAPL", BarInterval.SECOND), 10, false)))
                .isEmpty();
        assertThat(c.series()).containsExactlyInAnyOrder(alpaca, SeriesKey.bars(DataSource.POLYGON, "AAPL",
                BarInterval.MINUTE));
    }

    @Test void readersSeeOrderedConsistentRangesWhileTheWriterAdds() throws Exception {
        MemoryDataCache c = new MemoryDataCache(new MemoryCacheConfig(1_000, Duration.ofHours(1), Duration.ofDays(1)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < 20_000; i++) {
                    List<MarketEvent> r = c.range(RangeQuery.all(AAPL, 500, true));
                    for (int k = 1; k < r.size(); k++) {
                        if (r.get(k).eventTimeNs() > r.get(k - 1).eventTimeNs()) throw new AssertionError("unordered");
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 200_000; i++) c.add(trade("AAPL", T0 + i * MS - (i % 7 == 0 ? 3 * MS : 0), "" + i));
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(c.range(RangeQuery.all(AAPL, 2_000, false))).hasSize(1_000);
    }

    @Test void seriesKeysCheckTheirShape() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeriesKey.of(DataSource.POLYGON, "AAPL", RecordType.BAR))
                .hasMessageContaining("interval");
        assertThat(SeriesKey.of(new Quote(DataSource.ALPACA, "X", T0, T0, 0, 1, 1, 0, 2, 1, Conditions.NONE,
                Conditions.NONE, 'C', Absent.LONG))).isEqualTo(SeriesKey.of(DataSource.ALPACA, "X", RecordType.QUOTE));
    }
}
