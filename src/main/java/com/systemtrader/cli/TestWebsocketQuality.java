package com.systemtrader.cli;

import com.systemtrader.collector.GapLedger;
import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-quality checks of {@code test-websocket --check-quality}, as a collector listener:
 * <ul>
 *   <li>structural validity: trades with a non-finite or non-positive price or a non-positive size; quotes with a
 *       non-finite or negative price, one-sided quotes (bid or ask 0), non-positive sizes on a two-sided quote,
 *       crossed (bid &gt; ask) and locked (bid = ask) quotes; bars with a non-positive or non-finite price, high
 *       below low, open or close outside [low, high], or negative volume;</li>
 *   <li>duplicate trades by the provider's identity: symbol + exchange + TRF id + trade id (Alpaca has no TRF id, so
 *       this is symbol + exchange + trade id there), remembered for the last {@value #DEDUPE_WINDOW} trades per
 *       symbol as 64-bit hashes (a false duplicate is about as likely as 1 in 10^9 at that window);</li>
 *   <li>out-of-order trades: a trade whose event time is below the latest trade event time seen for its symbol;</li>
 *   <li>sequence gaps: taken from the collector's {@link GapLedger} when the figures are made.</li>
 * </ul>
 * Called on the collector's pipeline thread only; read {@link #figures} after the collector stopped.
 */
final class TestWebsocketQuality implements MarketDataListener {
    static final int DEDUPE_WINDOW = 100_000;

    private final Map<String, Counts> bySymbol = new HashMap<>();

    /**
     * The totals, and per symbol.
     *
     * @param invalidTrades        trades with a bad price or size
     * @param duplicateTrades      trades whose identity was seen before (within the window)
     * @param outOfOrderTrades     trades older than a trade already seen for the symbol
     * @param invalidQuotes        quotes with a bad price, or a bad size on a two-sided quote
     * @param oneSidedQuotes       quotes with bid or ask 0 (no bid / no offer)
     * @param crossedQuotes        bid above ask
     * @param lockedQuotes         bid equal to ask
     * @param invalidBars          bars with bad prices, inconsistent OHLC or negative volume
     * @param sequenceGaps         jumps in Polygon's per-ticker sequence number (gaps exist by design; evidence only)
     * @param sequenceNumbersMissing numbers skipped in those jumps
     */
    record Figures(long trades, long invalidTrades, long duplicateTrades, long outOfOrderTrades, long quotes,
                   long invalidQuotes, long oneSidedQuotes, long crossedQuotes, long lockedQuotes, long bars,
                   long invalidBars, long sequenceGaps, long sequenceNumbersMissing,
                   Map<String, SymbolFigures> bySymbol) {
        long issues() {
            return invalidTrades + duplicateTrades + outOfOrderTrades + invalidQuotes + crossedQuotes + invalidBars;
        }
    }

    /** One symbol's figures (no sequence gaps: the ledger keeps those). */
    record SymbolFigures(long trades, long invalidTrades, long duplicateTrades, long outOfOrderTrades, long quotes,
                         long invalidQuotes, long oneSidedQuotes, long crossedQuotes, long lockedQuotes, long bars,
                         long invalidBars) {}

    @Override public void onEvent(MarketEvent event) {
        switch (event) {
            case Trade t -> counts(t.symbol()).trade(t);
            case Quote q -> counts(q.symbol()).quote(q);
            case Bar b -> counts(b.symbol()).bar(b);
            default -> { }
        }
    }

    Figures figures(GapLedger ledger) {
        Map<String, SymbolFigures> per = new TreeMap<>();
        long[] t = new long[11];
        bySymbol.forEach((sym, c) -> {
            SymbolFigures f = c.figures();
            per.put(sym, f);
            long[] v = {f.trades(), f.invalidTrades(), f.duplicateTrades(), f.outOfOrderTrades(), f.quotes(),
                    f.invalidQuotes(), f.oneSidedQuotes(), f.crossedQuotes(), f.lockedQuotes(), f.bars(),
                    f.invalidBars()};
            for (int i = 0; i < v.length; i++) t[i] += v[i];
        });
        return new Figures(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], ledger.sequenceGapCount(),
                ledger.sequenceNumbersMissing(), per);
    }

    private Counts counts(String symbol) {
        Counts c = bySymbol.get(symbol);
        if (c == null) bySymbol.put(symbol, c = new Counts());
        return c;
    }

    private static boolean positive(double v) {
        return Double.isFinite(v) && v > 0;
    }

    /** One symbol's counters and dedupe window. */
    private static final class Counts {
        long trades, invalidTrades, duplicates, outOfOrder, quotes, invalidQuotes, oneSided, crossed, locked, bars,
                invalidBars;
        long latestTradeNs = Long.MIN_VALUE;
        final RecentIds ids = new RecentIds(DEDUPE_WINDOW);

        void trade(Trade t) {
            trades++;
            if (!positive(t.price()) || t.size() <= 0) invalidTrades++;
            if (t.tradeId() != null && !t.tradeId().isEmpty() && !ids.add(identity(t))) {
                duplicates++;
                return;   // a repeat is not also counted as out of order
            }
            if (t.eventTimeNs() < latestTradeNs) outOfOrder++;
            else latestTradeNs = t.eventTimeNs();
        }

        void quote(Quote q) {
            quotes++;
            double bid = q.bidPrice();
            double ask = q.askPrice();
            if (!Double.isFinite(bid) || !Double.isFinite(ask) || bid < 0 || ask < 0) {
                invalidQuotes++;
            } else if (bid == 0 || ask == 0) {
                oneSided++;
            } else {
                if (q.bidSize() <= 0 || q.askSize() <= 0) invalidQuotes++;
                if (bid > ask) crossed++;
                else if (bid == ask) locked++;
            }
        }

        void bar(Bar b) {
            bars++;
            boolean prices = positive(b.open()) && positive(b.high()) && positive(b.low()) && positive(b.close());
            if (!prices || b.high() < b.low() || b.open() < b.low() || b.open() > b.high() || b.close() < b.low()
                    || b.close() > b.high() || b.volume() < 0) {
                invalidBars++;
            }
        }

        SymbolFigures figures() {
            return new SymbolFigures(trades, invalidTrades, duplicates, outOfOrder, quotes, invalidQuotes, oneSided,
                    crossed, locked, bars, invalidBars);
        }
    }

    /** 64-bit FNV-1a of exchange, TRF id and trade id, finished with a SplitMix64 mix. */
    static long identity(Trade t) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ t.exchange()) * 0x100000001b3L;
        h = (h ^ t.trfId()) * 0x100000001b3L;
        String id = t.tradeId();
        for (int i = 0; i < id.length(); i++) h = (h ^ id.charAt(i)) * 0x100000001b3L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** The last {@code capacity} ids, oldest evicted first; the ring grows on demand up to the capacity. */
    private static final class RecentIds {
        private final int capacity;
        private final HashSet<Long> set = new HashSet<>();
        private long[] ring = new long[256];
        private int next;
        private int size;

        RecentIds(int capacity) {
            this.capacity = capacity;
        }

        /** False when {@code id} is among the remembered ones. */
        boolean add(long id) {
            if (!set.add(id)) return false;
            if (size == ring.length && size < capacity) {   // full but not yet at capacity: grow, append at the end
                ring = Arrays.copyOf(ring, Math.min(capacity, size * 2));
                next = size;
            }
            if (size == capacity) set.remove(ring[next]);
            else size++;
            ring[next] = id;
            next = (next + 1) % ring.length;
            return true;
        }
    }
}
