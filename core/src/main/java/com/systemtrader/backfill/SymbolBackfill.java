package com.systemtrader.backfill;

/**
 * The backfill of one symbol.
 *
 * @param kind     {@code trades}, {@code minute bars} or {@code none}
 * @param fetched  items the REST API returned
 * @param rejected items the cleaner rejected or filtered (duplicates within the fetch, bad prints)
 * @param written  items handed to the storage writer (kept by the cleaner and not already stored)
 * @param newRows  items that were not stored before (counted against {@code websocket_data} just before writing);
 *                 -1 when unknown (database away, or bars, which upsert); the rest of the kept items were already
 *                 stored ({@link #alreadyStored()})
 * @param reason   why it was not filled; empty when filled
 */
public record SymbolBackfill(String symbol, BackfillOutcome outcome, String kind, long fetched, long rejected,
                             long written, long newRows, String reason) {
    /** Items that were stored before (fetched, kept by the cleaner, not new); -1 when not checked. */
    public long alreadyStored() {
        return alreadyStored(fetched, rejected, newRows);
    }

    static long alreadyStored(long fetched, long rejected, long newRows) {
        return newRows < 0 ? -1 : fetched - rejected - newRows;
    }

    /** One line for logs and the CLI: where every fetched item went. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "%-8s %-16s %-12s %s%s", symbol, outcome.label(), kind,
                counts(fetched, rejected, written, newRows), reason.isEmpty() ? "" : " (" + reason + ")");
    }

    /**
     * "fetched F: S already stored, N new, R rejected" when the stored rows were read before writing, else
     * "fetched F: W written, R rejected (already stored: not checked)" (bars upsert; a database away).
     */
    static String counts(long fetched, long rejected, long written, long newRows) {
        if (newRows < 0) {
            return "fetched " + fetched + ": " + written + " written, " + rejected + " rejected (already stored: not checked)";
        }
        return "fetched " + fetched + ": " + alreadyStored(fetched, rejected, newRows) + " already stored, " + newRows + " new, "
                + rejected + " rejected";
    }
}
