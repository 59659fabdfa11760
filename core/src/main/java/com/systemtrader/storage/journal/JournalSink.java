package com.systemtrader.storage.journal;

import com.systemtrader.schema.MarketEvent;
import java.util.List;

/** Receives journaled batches during {@link SpillJournal#replay(JournalSink)}. */
@FunctionalInterface
public interface JournalSink {
    /**
     * Writes one batch downstream.
     *
     * @return true when the batch is durably written (the journal then acknowledges it); false to stop the replay
     *         with this batch still unacknowledged (for example because the database went away again)
     * @throws Exception also stops the replay with this batch unacknowledged; the exception propagates
     */
    boolean write(List<MarketEvent> batch) throws Exception;

    /**
     * Writes one batch with the cleaner's verdicts ({@code flags[i]} for {@code batch.get(i)}, 0 for batches
     * journaled by codec version 1). The replay calls this one; by default it drops the verdicts.
     */
    default boolean write(List<MarketEvent> batch, int[] flags) throws Exception {
        return write(batch);
    }
}
