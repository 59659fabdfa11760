package com.systemtrader.service;

import com.systemtrader.storage.StorageWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage writer as {@code /health} and {@code /ready} see it. Not ready while events are being lost (one
 * within {@link #LOSS_WINDOW}) or while the database has not answered for longer than the configured bound (events
 * are then safe in the journal but not in the database). Read from the HTTP API's threads; never waits.
 */
final class StorageHealth {
    /** A loss this recent keeps {@code /ready} false. */
    static final Duration LOSS_WINDOW = Duration.ofSeconds(60);

    private final StorageWriter writer;
    private final Duration maxOutage;

    StorageHealth(StorageWriter writer, Duration maxOutage) {
        this.writer = writer;
        this.maxOutage = maxOutage;
    }

    /** Why storage keeps the service from being ready; empty when it does not. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        if (writer.losses().lostWithin(LOSS_WINDOW)) {
            out.add("storage is losing data: " + writer.eventsLost() + " events lost since start (see "
                    + "storage_writer_lost_events_total)");
        }
        Duration down = writer.databaseDownFor();
        if (down.compareTo(maxOutage) > 0) {
            out.add("database not answering for " + down.toSeconds() + " s (bound " + maxOutage.toSeconds()
                    + " s); " + writer.journal().batchesPending() + " batches wait in the spill journal");
        }
        if (writer.state() == StorageWriter.State.STOPPED) out.add("storage writer is stopped");
        return out;
    }

    /** The writer's state and figures for {@code /health}. */
    Map<String, Object> details() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", writer.state().name());
        m.put("database_down_seconds", writer.databaseDownFor().toSeconds());
        m.put("journal_batches_pending", writer.journal().batchesPending());
        m.put("journal_bytes", writer.journal().bytesUsed());
        m.put("events_in_flight", writer.eventsInFlight());
        m.put("queue_batches", writer.queueDepth());
        m.put("last_write_ms", writer.lastWriteLatencyNanos() / 1e6);
        m.put("events_lost", writer.eventsLost());
        m.put("losing_data", writer.losses().lostWithin(LOSS_WINDOW));
        m.put("events_rejected", writer.eventsRejected());
        return m;
    }
}
