package com.systemtrader.storage.journal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal's counters and gauges. Updated by the journal under its lock, readable from any thread. Meter
 * names (all tagged {@code dir}): {@code storage.journal.bytes.used}, {@code storage.journal.budget.bytes},
 * {@code storage.journal.segments}, {@code storage.journal.batches.pending} (gauges);
 * {@code storage.journal.appends}, {@code storage.journal.append.failures} (tag {@code reason} = {@code budget}
 * or {@code io}), {@code storage.journal.batches.acknowledged}, {@code storage.journal.torn.tails},
 * {@code storage.journal.corrupt.segments} (counters).
 */
final class JournalMetrics {
    final AtomicLong bytesUsed = new AtomicLong();
    final AtomicLong segments = new AtomicLong();
    final AtomicLong pendingBatches = new AtomicLong();
    final AtomicLong appends = new AtomicLong();
    final AtomicLong appendsRejectedFull = new AtomicLong();
    final AtomicLong appendErrors = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong tornTails = new AtomicLong();
    final AtomicLong corruptSegments = new AtomicLong();
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;

    void bindTo(MeterRegistry r, String dir, long budgetBytes) {
        registry = r;
        meters.add(gauge(r, "storage.journal.bytes.used", bytesUsed, dir, "bytes", "disk used by the spill journal"));
        meters.add(Gauge.builder("storage.journal.budget.bytes", () -> budgetBytes).tag("dir", dir).baseUnit("bytes")
                .description("the spill journal's disk budget (storage.journal_budget_mb)").register(r));
        meters.add(gauge(r, "storage.journal.segments", segments, dir, null, "segment files of the spill journal"));
        meters.add(gauge(r, "storage.journal.batches.pending", pendingBatches, dir, null,
                "journaled batches not yet written to the database"));
        meters.add(counter(r, "storage.journal.appends", appends, dir, null, "batches appended to the journal"));
        String failed = "batches the journal could not take, by reason (budget full, I/O error)";
        meters.add(counter(r, "storage.journal.append.failures", appendsRejectedFull, dir, "budget", failed));
        meters.add(counter(r, "storage.journal.append.failures", appendErrors, dir, "io", failed));
        meters.add(counter(r, "storage.journal.batches.acknowledged", acknowledged, dir, null,
                "journaled batches written to the database and acknowledged"));
        meters.add(counter(r, "storage.journal.torn.tails", tornTails, dir, null,
                "incomplete last records cut at open (a crash mid-append)"));
        meters.add(counter(r, "storage.journal.corrupt.segments", corruptSegments, dir, null,
                "segments moved aside as corrupt"));
    }

    void unbind() {
        if (registry != null) meters.forEach(registry::remove);
        meters.clear();
        registry = null;
    }

    private static Meter gauge(MeterRegistry r, String name, AtomicLong v, String dir, String unit, String help) {
        Gauge.Builder<AtomicLong> b = Gauge.builder(name, v, AtomicLong::get).tag("dir", dir).description(help);
        if (unit != null) b.baseUnit(unit);
        return b.register(r);
    }

    private static Meter counter(MeterRegistry r, String name, AtomicLong v, String dir, String reason, String help) {
        FunctionCounter.Builder<AtomicLong> b = FunctionCounter.builder(name, v, AtomicLong::get).tag("dir", dir)
                .description(help);
        if (reason != null) b.tag("reason", reason);
        return b.register(r);
    }
}
