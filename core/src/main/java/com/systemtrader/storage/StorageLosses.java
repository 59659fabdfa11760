package com.systemtrader.storage;

import com.systemtrader.support.LogLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events the storage sink received and could not put in the database or the spill journal, by {@link Reason}:
 * counted ({@code storage.writer.lost.events{reason}}), logged at ERROR at a bounded rate (the first loss at once,
 * then at most one summary line per {@link #LOG_INTERVAL} with the counts since the previous line) and remembered
 * for readiness ({@link #lostWithin}). Thread-safe: any thread may {@link #record}.
 */
public final class StorageLosses {
    private static final Logger log = LoggerFactory.getLogger(StorageWriter.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    /** Why events were lost. */
    public enum Reason {
        /** The in-memory queue in front of the storage sink was full (the journal could not keep up). */
        INTAKE_FULL("intake_full"),
        /** The spill journal reached its disk budget while the database could not take the events. */
        JOURNAL_FULL("journal_full"),
        /** The spill journal could not write (an I/O error or a batch above its record limit). */
        JOURNAL_ERROR("journal_error"),
        /** Events handed over after the storage sink was closed. */
        CLOSED("closed");

        final String label;

        Reason(String label) { this.label = label; }

        public String label() { return label; }
    }

    private final Map<Reason, AtomicLong> total = new EnumMap<>(Reason.class);
    private final Map<Reason, AtomicLong> sinceLog = new EnumMap<>(Reason.class);
    private final AtomicLong lastLossNanos = new AtomicLong();
    private final LogLimiter lossLog = new LogLimiter(LOG_INTERVAL);
    private volatile boolean loggedOnce;
    private volatile boolean anyLoss;

    public StorageLosses() {
        for (Reason r : Reason.values()) {
            total.put(r, new AtomicLong());
            sinceLog.put(r, new AtomicLong());
        }
    }

    /** Counts {@code events} lost for {@code reason}; logs when the last summary line is older than the interval. */
    public void record(Reason reason, int events, String detail) {
        if (events <= 0) return;
        total.get(reason).addAndGet(events);
        sinceLog.get(reason).addAndGet(events);
        long now = System.nanoTime();
        lastLossNanos.set(now);
        anyLoss = true;
        if (lossLog.admit() >= 0) {
            boolean first = !loggedOnce;
            loggedOnce = true;
            StringBuilder counts = new StringBuilder();
            long sum = 0;
            for (Reason r : Reason.values()) {
                long n = sinceLog.get(r).getAndSet(0);
                if (n == 0) continue;
                sum += n;
                if (!counts.isEmpty()) counts.append(", ");
                counts.append(r.label).append(' ').append(n);
            }
            log.error("storage: DATA LOST: {} events not stored {} ({}); {} lost since start; last cause: {}", sum,
                    first ? "now" : "in the last " + LOG_INTERVAL.toSeconds() + " s", counts, total(), detail);
        }
    }

    /** Events lost for {@code reason} since start. */
    public long total(Reason reason) { return total.get(reason).get(); }

    /** Events lost for any reason since start. */
    public long total() {
        long sum = 0;
        for (AtomicLong n : total.values()) sum += n.get();
        return sum;
    }

    /** True when an event was lost within {@code window} before now. */
    public boolean lostWithin(Duration window) {
        return anyLoss && System.nanoTime() - lastLossNanos.get() < window.toNanos();
    }

    void register(MeterRegistry r) {
        for (Reason reason : Reason.values()) {
            FunctionCounter.builder("storage.writer.lost.events", total.get(reason), AtomicLong::get)
                    .tags(Tags.of("reason", reason.label))
                    .description("events received for storage that reached neither the database nor the spill "
                            + "journal, by reason")
                    .register(r);
        }
    }
}
