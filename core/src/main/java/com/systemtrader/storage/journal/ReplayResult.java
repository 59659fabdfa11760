package com.systemtrader.storage.journal;

/**
 * The outcome of one {@link SpillJournal#replay(JournalSink)} call.
 *
 * @param acknowledged batches the sink accepted (and the journal acknowledged durably)
 * @param pending      batches still in the journal afterwards
 * @param complete     true when the journal was drained; false when the sink returned false
 */
public record ReplayResult(long acknowledged, long pending, boolean complete) {}
