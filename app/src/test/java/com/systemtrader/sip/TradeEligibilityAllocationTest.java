package com.systemtrader.sip;

import static com.systemtrader.sip.Times.AFTER_HOURS;
import static com.systemtrader.sip.Times.PRE_MARKET;
import static com.systemtrader.sip.Times.REGULAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The lookups run on the cleaner's hot path: after warm-up they must not allocate. */
class TradeEligibilityAllocationTest {
    private static final int CALLS = 1_000_000;

    private static final Trade[] TRADES = {
        trade(DataSource.POLYGON, 'A', REGULAR, Conditions.NONE),
        trade(DataSource.POLYGON, 'A', REGULAR, Conditions.of(37)),
        trade(DataSource.POLYGON, 'C', PRE_MARKET, Conditions.of(12)),
        trade(DataSource.POLYGON, 'C', AFTER_HOURS, Conditions.of(12, 37)),
        trade(DataSource.SIMULATOR, 'B', REGULAR, Conditions.of(14, 99)),
        trade(DataSource.ALPACA, 'A', REGULAR, Conditions.ofLetters("B")),
        trade(DataSource.ALPACA, 'C', PRE_MARKET, Conditions.ofLetters("T", "I")),
        trade(DataSource.ALPACA, 'C', AFTER_HOURS, Conditions.ofLetters("T")),
        trade(DataSource.ALPACA, 'O', REGULAR, Conditions.ofLetters("E", "~")),
    };

    private static Trade trade(DataSource source, char tape, long ns, Conditions c) {
        return new Trade(source, "IBM", ns, 0L, 100.0, 10, 1, "1", tape, Absent.LONG, Absent.INT, Absent.LONG, c);
    }

    private static long run(TradeEligibility rules, int calls) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            Trade t = TRADES[i % TRADES.length];
            sum += eligibilityOf(rules, t);
            sum += rules.ids(t.conditions(), t.eventTimeNs() + i);
            sum += rules.letters(t.conditions(), t.tape(), t.eventTimeNs());
        }
        return sum;
    }

    @Test
    void lookupsDoNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        TradeEligibility rules = TradeEligibility.standard();
        long check = 0;
        for (int k = 0; k < 5; k++) check += run(rules, 200_000); // warm-up: JIT, and the cached day
        long before = mx.getThreadAllocatedBytes(id);
        check += run(rules, CALLS);
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertThat(check).isNotZero();
        // 3M lookups; allow a few hundred bytes for the measurement itself
        assertThat(allocated).as("bytes allocated by %d x 3 lookups", CALLS).isLessThan(1_024);
        assertThat((double) allocated / CALLS).isLessThan(0.001);
    }

    /** A trade's eligibility as the cleaner reads it: through its source's condition codes. */
    private static int eligibilityOf(TradeEligibility rules, Trade t) {
        return com.systemtrader.vendor.VendorModule.conditions(t.source()).eligibility(rules, t);
    }
}
