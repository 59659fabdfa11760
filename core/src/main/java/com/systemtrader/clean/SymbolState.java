package com.systemtrader.clean;

import com.systemtrader.schema.Trade;

/**
 * What the cleaner remembers about one symbol. Written by the pipeline thread; {@link #latest} and {@link #counts}
 * are read by any thread. Sub-structures are created on first use, so symbols that only quote cost little.
 */
final class SymbolState {
    private static final int LAST_TRADES = 8;

    final String symbol;
    final boolean testSymbol;
    final boolean badFormat;
    final Counts counts = new Counts();
    TradeIdWindow ids;
    PriceBand band;
    long maxTradeTimeNs = Long.MIN_VALUE;
    double limitUp;
    double limitDown;
    boolean halted;
    /** The latest trade that may set the last price (eligible, not suspicious), by event time. */
    volatile Trade latest;
    /** The last few trades that were {@link #latest}, newest last, to fall back on after a cancel. */
    private final Trade[] history = new Trade[LAST_TRADES];
    private int historySize;

    SymbolState(String symbol, boolean testSymbol) {
        this.symbol = symbol;
        this.testSymbol = testSymbol;
        this.badFormat = !validFormat(symbol);
    }

    /** A ticker: 1-20 characters, an upper-case letter first, then letters, digits and {@code . / - : ^ +}. */
    static boolean validFormat(String s) {
        int n = s.length();
        if (n == 0 || n > 20) return false;
        char first = s.charAt(0);
        if (first < 'A' || first > 'Z') return false;
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '/' || c == '-' || c == ':' || c == '^' || c == '+';
            if (!ok) return false;
        }
        return true;
    }

    /** Offers a trade for the last price; it becomes the latest unless a newer one is already known. */
    void offerLatest(Trade t) {
        Trade cur = latest;
        if (cur != null && t.eventTimeNs() < cur.eventTimeNs()) return;
        if (historySize == LAST_TRADES) {
            System.arraycopy(history, 1, history, 0, LAST_TRADES - 1);
            historySize--;
        }
        history[historySize++] = t;
        latest = t;
    }

    /** Finds a remembered last-price trade by identity; -1 when it is not among them. */
    int findRecent(int exchange, String tradeId) {
        for (int i = historySize - 1; i >= 0; i--) {
            Trade t = history[i];
            if (t.exchange() == exchange && t.tradeId().equals(tradeId)) return i;
        }
        return -1;
    }

    Trade recent(int i) { return history[i]; }

    /** Removes entry {@code i} (cancelled) or replaces it ({@code with} non-null: corrected); the latest is re-derived. */
    void replaceRecent(int i, Trade with) {
        if (with != null) {
            history[i] = with;
        } else {
            System.arraycopy(history, i + 1, history, i, historySize - i - 1);
            history[--historySize] = null;
        }
        Trade best = null;
        for (int j = 0; j < historySize; j++) {
            if (best == null || history[j].eventTimeNs() >= best.eventTimeNs()) best = history[j];
        }
        latest = best;
    }
}
