package com.systemtrader.backfill;

/**
 * The backfill of one symbol.
 *
 * @param kind     {@code trades}, {@code minute bars} or {@code none}
 * @param fetched  items the REST API returned
 * @param rejected items the cleaner rejected or filtered (duplicates within the fetch, bad prints)
 * @param written  items handed to the storage writer (kept by the cleaner and not already stored)
 * @param newRows  trades that were not stored before (counted against {@code websocket_data} just before writing);
 *                 -1 when unknown (database away, or bars, which upsert)
 * @param reason   why it was not filled; empty when filled
 */
public record SymbolBackfill(String symbol, BackfillOutcome outcome, String kind, long fetched, long rejected,
                             long written, long newRows, String reason) {
    /** One line for logs and the CLI. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "%-8s %-16s %-12s fetched %d, rejected %d, written %d, new %s%s",
                symbol, outcome.label(), kind, fetched, rejected, written, newRows < 0 ? "?" : Long.toString(newRows),
                reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
