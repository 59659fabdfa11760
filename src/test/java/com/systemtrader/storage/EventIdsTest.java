package com.systemtrader.storage;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {
    @Test
    void tradeIdsAreQualifiedByExchangeAndTrf() {
        Trade polygon = new Trade(DataSource.POLYGON, "AAPL", 1L, 2L, 1.0, 1, 4, "52983525029461", 'C', 7, 202, 3L,
                Conditions.NONE);
        assertThat(EventIds.trade(polygon)).isEqualTo("4:202:52983525029461");
        Trade alpaca = new Trade(DataSource.ALPACA, "AAPL", 1L, 2L, 1.0, 1, 'V', "12345", 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.NONE);
        assertThat(EventIds.trade(alpaca)).isEqualTo("86::12345");
        assertThat(EventIds.trade(Absent.INT, Absent.INT, "9")).isEqualTo("::9");
    }

    @Test
    void quotesUseTheSequenceOrTheExactTime() {
        Quote withSequence = new Quote(DataSource.POLYGON, "AAPL", 1_000L, 2L, 4, 1.0, 1, 4, 1.1, 1, Conditions.NONE,
                Conditions.NONE, 'C', 991L);
        Quote without = new Quote(DataSource.ALPACA, "AAPL", 1_000L, 2L, 4, 1.0, 1, 4, 1.1, 1, Conditions.NONE,
                Conditions.NONE, 'C', Absent.LONG);
        assertThat(EventIds.quote(withSequence)).isEqualTo("q991");
        assertThat(EventIds.quote(without)).isEqualTo("t1000");
    }
}
