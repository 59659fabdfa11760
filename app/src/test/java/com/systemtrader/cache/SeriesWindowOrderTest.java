package com.systemtrader.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The window against a plain sorted list: late events inserted anywhere, across the ring's wrap-around, with
 * evictions at capacity, keep the window sorted by event time with ties in arrival order.
 */
class SeriesWindowOrderTest {
    @Test void lateEventsAnywhereKeepTheWindowSortedAcrossTheWrapAround() {
        Random random = new Random(7);
        int capacity = 37;
        SeriesWindow w = new SeriesWindow(capacity, Long.MAX_VALUE / 4, false);
        List<MarketEvent> reference = new ArrayList<>();
        long clock = 1_000;
        for (int n = 0; n < 5_000; n++) {
            clock += random.nextInt(3);
            long t = random.nextInt(4) == 0 ? clock - random.nextInt(40) : clock; // a quarter arrive late
            MarketEvent e = new Trade(DataSource.POLYGON, "X", t, t, 1.0 + n, 1, 4, Integer.toString(n), 'C', n,
                    -1, -1, Conditions.NONE);
            w.add(e);
            if (reference.size() == capacity && t < reference.get(0).eventTimeNs()) continue; // evicted at once
            reference.add(e);
            reference.sort(Comparator.comparingLong(MarketEvent::eventTimeNs)); // stable: ties stay in arrival order
            if (reference.size() > capacity) reference.remove(0);
            assertThat(w.range(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, false)).as("after event %d", n)
                    .containsExactlyElementsOf(reference);
        }
    }
}
