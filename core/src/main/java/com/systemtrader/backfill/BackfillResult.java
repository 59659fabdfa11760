package com.systemtrader.backfill;

import com.systemtrader.codec.Timestamps;
import java.util.List;

/**
 * The outcome of one backfill, as the HTTP API shows it and the {@code gap_ledger} records it.
 *
 * @param fromNs     start of the window actually fetched (with margins)
 * @param toNs       end of the window actually fetched (exclusive)
 * @param reason     empty when filled; else why not (the first failures, joined)
 * @param finishedNs epoch ns when the backfill ended
 */
public record BackfillResult(BackfillRequest request, BackfillOutcome outcome, String reason, long fromNs, long toNs,
                             List<SymbolBackfill> symbols, long durationMs, long finishedNs) {
    public BackfillResult {
        symbols = List.copyOf(symbols);
    }

    public long fetched() { return symbols.stream().mapToLong(SymbolBackfill::fetched).sum(); }

    public long written() { return symbols.stream().mapToLong(SymbolBackfill::written).sum(); }

    public long rejected() { return symbols.stream().mapToLong(SymbolBackfill::rejected).sum(); }

    /** Where every fetched item went: already stored, new and rejected (or written, when not checked). */
    public String counts() {
        return SymbolBackfill.counts(fetched(), rejected(), written(), newRows());
    }

    /** Trades new to storage; -1 when any symbol's count is unknown. */
    public long newRows() {
        long n = 0;
        for (SymbolBackfill s : symbols) {
            if (s.newRows() < 0) return -1;
            n += s.newRows();
        }
        return n;
    }

    /** The {@code gap_ledger.backfill_note}: outcome, counts, window, duration and reason. */
    public String note() {
        return outcome.label() + ": " + counts() + " over " + Timestamps.formatRfc3339(fromNs) + " .. "
                + Timestamps.formatRfc3339(toNs) + " in " + durationMs + " ms" + (reason.isEmpty() ? "" : "; " + reason);
    }

    /** A result for a request that never ran (queue full, shutting down). */
    static BackfillResult notRun(BackfillRequest r, String reason) {
        return new BackfillResult(r, BackfillOutcome.FAILED, reason, r.startNs(), r.endNs(), List.of(), 0,
                Timestamps.nowNs());
    }
}
