package com.systemtrader.storage;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.EventFingerprint;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {
    private static final long T = 1_717_081_862_118_233_088L;

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
    void aQuoteWithASequenceIsItsSequence() {
        Quote withSequence = new Quote(DataSource.POLYGON, "AAPL", 1_000L, 2L, 4, 1.0, 1, 4, 1.1, 1, Conditions.NONE,
                Conditions.NONE, 'C', 991L);
        assertThat(EventIds.quote(withSequence)).isEqualTo("q991");
    }

    @Test
    void aQuoteWithoutASequenceIsItsTimeAndContent() {
        Quote q = quote(T, 189.45, 29, 189.46, 1, "R");
        assertThat(EventIds.quote(q)).matches("t" + T + ":[0-9a-f]{16}")
                .isEqualTo(EventIds.content(T, EventFingerprint.of(q)));
    }

    /** The bug this scheme fixes: 20 distinct quotes of one nanosecond were one row. */
    @Test
    void distinctQuotesOfOneNanosecondGetDistinctIds() {
        Set<String> ids = new HashSet<>();
        for (int k = 0; k < 20; k++) ids.add(EventIds.quote(quote(T, 189.45, 29 + k, 189.46, 1, "R")));
        assertThat(ids).hasSize(20);
        // every field of the content counts, one change at a time
        Quote base = quote(T, 189.45, 29, 189.46, 1, "R");
        assertThat(Set.of(EventIds.quote(base),
                EventIds.quote(quote(T, 189.44, 29, 189.46, 1, "R")),
                EventIds.quote(quote(T, 189.45, 29, 189.47, 1, "R")),
                EventIds.quote(quote(T, 189.45, 29, 189.46, 2, "R")),
                EventIds.quote(quote(T, 189.45, 29, 189.46, 1)),
                EventIds.quote(quote(T, 189.45, 29, 189.46, 1, "R", "R")),
                EventIds.quote(quote(T + 1, 189.45, 29, 189.46, 1, "R")),
                EventIds.quote(withExchanges(base, 'K', 'Q')),
                EventIds.quote(withTape(base, 'A')),
                // bid and ask swapped (a crossed quote) is another quote
                EventIds.quote(quote(T, 189.46, 1, 189.45, 29, "R")))).hasSize(10);
    }

    @Test
    void theSameContentAtTheSameNanosecondIsTheSameEvent() {
        Quote live = quote(T, 189.45, 29, 189.46, 1, "R");
        Quote replay = new Quote(DataSource.ALPACA, "AAPL", T, 987_654_321L, 'V', 189.45, 29, 'V', 189.46, 1,
                Conditions.ofLetters("R"), null, 'C', Absent.LONG);
        assertThat(EventIds.quote(replay)).as("receive time and null vs empty lists do not count")
                .isEqualTo(EventIds.quote(live));
        assertThat(EventIds.quote(quote(T, -0.0, 0, 189.46, 1, "R")))
                .isEqualTo(EventIds.quote(quote(T, 0.0, 0, 189.46, 1, "R")));
    }

    @Test
    void aTradeWithoutAnIdIsItsTimeAndContent() {
        Trade nullId = trade(null, 100);
        Trade emptyId = trade("", 100);
        assertThat(EventIds.trade(nullId)).matches("t" + T + ":[0-9a-f]{16}").isEqualTo(EventIds.trade(emptyId));
        assertThat(EventIds.trade(trade("", 200))).isNotEqualTo(EventIds.trade(emptyId));
        assertThat(EventIds.trade(trade("7", 100))).isEqualTo("86::7");
    }

    /**
     * The fingerprint is stored data: it must not change between versions (a change re-keys every event without a
     * provider id). The pinned values were computed by an independent implementation of the algorithm as the
     * {@link EventFingerprint} Javadoc states it (a few lines of Python), not by this code.
     */
    @Test
    void theFingerprintIsStable() {
        assertThat(EventIds.quote(quote(T, 189.45, 29, 189.46, 1, "R")))
                .isEqualTo("t" + T + ":" + PINNED_QUOTE);
        assertThat(EventIds.trade(trade("", 100))).isEqualTo("t" + T + ":" + PINNED_TRADE);
    }

    static final String PINNED_QUOTE = "0611ddbd5be0ad95";
    static final String PINNED_TRADE = "d2047eb5dfb0672e";

    static Quote quote(long t, double bid, long bidSize, double ask, long askSize, String... conditions) {
        return new Quote(DataSource.ALPACA, "AAPL", t, 0L, 'V', bid, bidSize, 'V', ask, askSize,
                Conditions.ofLetters(conditions), Conditions.NONE, 'C', Absent.LONG);
    }

    private static Quote withExchanges(Quote q, char bx, char ax) {
        return new Quote(q.source(), q.symbol(), q.eventTimeNs(), 0L, bx, q.bidPrice(), q.bidSize(), ax, q.askPrice(),
                q.askSize(), q.conditions(), q.indicators(), q.tape(), q.sequence());
    }

    private static Quote withTape(Quote q, char tape) {
        return new Quote(q.source(), q.symbol(), q.eventTimeNs(), 0L, q.bidExchange(), q.bidPrice(), q.bidSize(),
                q.askExchange(), q.askPrice(), q.askSize(), q.conditions(), q.indicators(), tape, q.sequence());
    }

    private static Trade trade(String id, long size) {
        return new Trade(DataSource.ALPACA, "AAPL", T, 0L, 189.43, size, 'V', id, 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.ofLetters("@"));
    }
}
