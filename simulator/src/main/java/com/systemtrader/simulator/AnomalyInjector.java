package com.systemtrader.simulator;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.util.List;

/**
 * Builds the extra trades and quotes of one session's anomaly faults ({@link Faults#outlierEvery} and the
 * others): after every n-th market trade or quote the session sends, the due elements are appended to the frame
 * being built. They are derived from that trade or quote, never enter the market (bars, history), and injected
 * trades carry ids from a range of their own per session, which the market never reaches. Market thread only.
 */
final class AnomalyInjector {
    /** Exchange test symbols, sent in turn by {@link Faults#testSymbolEvery}. */
    static final List<String> TEST_SYMBOLS = List.of("ZVZZT", "ZXZZT", "NTEST");
    /**
     * First injected trade id: above anything the market issues (its ids start below 2^40 and grow by one per
     * trade), below 2^53 so that every JSON reader keeps it exact, and at most 16 digits.
     */
    static final long ID_BASE = 1_000_000_000_000_000L;
    static final long IDS_PER_SESSION = 1_000_000_000L;
    private static final long HOUR_NS = 3_600_000_000_000L;

    /** Where the injector puts an element: the session's outgoing list, with its anomaly tag. */
    interface Sink {
        void add(MarketEvent e, Anomaly kind);
    }

    private final long idBase;
    private long idsUsed;
    private long trades;
    private long quotes;
    private long outliers;
    private long badPrints;
    private long oneSided;
    private long testSymbols;
    private final long[] testSequences = new long[TEST_SYMBOLS.size()];

    AnomalyInjector(long sessionId) {
        this.idBase = ID_BASE + Math.floorMod(sessionId, 8_000_000L) * IDS_PER_SESSION;
    }

    /**
     * Called after each market trade sent to the session. {@code allTrades}: the session subscribed to every
     * symbol's trades, so a test symbol may be sent to it.
     */
    void afterTrade(Trade t, Faults f, boolean allTrades, Sink out) {
        trades++;
        if (due(trades, f.outlierEvery)) {
            double factor = outliers++ % 2 == 0 ? 1.6 : 0.4;
            out.add(derived(t, cents(t.price() * factor), t.size(), t.eventTimeNs()), Anomaly.OUTLIER);
        }
        if (due(trades, f.badPrintEvery)) {
            switch ((int) (badPrints++ % 3)) {
                case 0 -> out.add(derived(t, 0, t.size(), t.eventTimeNs()), Anomaly.BAD_PRICE_ZERO);
                case 1 -> out.add(derived(t, cents(t.price()), 0, t.eventTimeNs()), Anomaly.BAD_SIZE_ZERO);
                default -> out.add(derived(t, -cents(t.price()), t.size(), t.eventTimeNs()),
                        Anomaly.BAD_PRICE_NEGATIVE);
            }
        }
        if (due(trades, f.futureTimestampEvery)) {
            out.add(derived(t, t.price(), t.size(), t.eventTimeNs() + HOUR_NS), Anomaly.FUTURE_TIMESTAMP);
        }
        if (allTrades && due(trades, f.testSymbolEvery)) {
            int i = (int) (testSymbols++ % TEST_SYMBOLS.size());
            String symbol = TEST_SYMBOLS.get(i);
            out.add(new Trade(DataSource.SIMULATOR, symbol, t.eventTimeNs(), 0L, cents(t.price()), 100,
                    t.exchange(), nextId(), symbol.startsWith("N") ? 'A' : 'C', ++testSequences[i], Absent.INT,
                    Absent.LONG, Conditions.NONE), Anomaly.TEST_SYMBOL);
        }
    }

    /** Called after each market quote sent to the session. */
    void afterQuote(Quote q, Faults f, Sink out) {
        quotes++;
        if (due(quotes, f.crossedQuoteEvery)) {
            double bid = q.askPrice();
            double ask = q.bidPrice() < bid ? q.bidPrice() : cents(bid - 0.01);
            out.add(quote(q, bid, q.bidSize(), ask, q.askSize()), Anomaly.CROSSED_QUOTE);
        }
        if (due(quotes, f.lockedQuoteEvery)) {
            out.add(quote(q, q.askPrice(), q.bidSize(), q.askPrice(), q.askSize()), Anomaly.LOCKED_QUOTE);
        }
        if (due(quotes, f.oneSidedQuoteEvery)) {
            Quote one = oneSided++ % 2 == 0 ? quote(q, 0, 0, q.askPrice(), q.askSize())
                    : quote(q, q.bidPrice(), q.bidSize(), 0, 0);
            out.add(one, Anomaly.ONE_SIDED_QUOTE);
        }
        if (f.sameTimeQuotes > 0 && due(quotes, f.sameTimeQuoteEvery)) {
            int count = f.sameTimeQuotes;
            for (int k = 1; k <= count; k++) {
                out.add(quote(q, q.bidPrice(), q.bidSize() + k, q.askPrice(), q.askSize() + k),
                        Anomaly.SAME_TIME_QUOTE);
            }
        }
    }

    private static boolean due(long count, int every) {
        return every > 0 && count % every == 0;
    }

    /** A trade like {@code t} (same symbol, exchange, TRF, sequence) with a fresh id and no conditions. */
    private Trade derived(Trade t, double price, long size, long timeNs) {
        long trfTime = Absent.isAbsent(t.trfTimeNs()) ? t.trfTimeNs() : t.trfTimeNs() + (timeNs - t.eventTimeNs());
        return new Trade(DataSource.SIMULATOR, t.symbol(), timeNs, 0L, price, size, t.exchange(), nextId(), t.tape(),
                t.sequence(), t.trfId(), trfTime, Conditions.NONE);
    }

    private static Quote quote(Quote q, double bid, long bidSize, double ask, long askSize) {
        return new Quote(DataSource.SIMULATOR, q.symbol(), q.eventTimeNs(), 0L, q.bidExchange(), bid, bidSize,
                q.askExchange(), ask, askSize, q.conditions(), q.indicators(), q.tape(), q.sequence());
    }

    private String nextId() {
        return Long.toString(idBase + ++idsUsed % IDS_PER_SESSION);
    }

    private static double cents(double p) {
        return Math.round(p * 100.0) / 100.0;
    }
}
