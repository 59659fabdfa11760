package com.systemtrader.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The maintenance's meters, registered for every task up front: {@code storage.maintenance.runs} (counter, tags
 * {@code task}, {@code outcome} = ok, skipped or failed), {@code storage.maintenance.duration} (timer, tag
 * {@code task}) and {@code storage.maintenance.last.success} (gauge, tag {@code task}: epoch seconds of the last
 * run that did not fail, 0 before the first one).
 */
final class MaintenanceMetrics {
    private final Map<MaintenanceTask, Map<MaintenanceOutcome.Status, Counter>> runs = new EnumMap<>(MaintenanceTask.class);
    private final Map<MaintenanceTask, Timer> durations = new EnumMap<>(MaintenanceTask.class);
    private final Map<MaintenanceTask, AtomicLong> lastSuccess = new EnumMap<>(MaintenanceTask.class);

    MaintenanceMetrics(MeterRegistry registry) {
        for (MaintenanceTask t : MaintenanceTask.values()) {
            Map<MaintenanceOutcome.Status, Counter> byOutcome = new EnumMap<>(MaintenanceOutcome.Status.class);
            for (MaintenanceOutcome.Status s : MaintenanceOutcome.Status.values()) {
                byOutcome.put(s, Counter.builder("storage.maintenance.runs").tag("task", t.label())
                        .tag("outcome", s.label()).description("Runs of a maintenance task by outcome")
                        .register(registry));
            }
            runs.put(t, byOutcome);
            durations.put(t, Timer.builder("storage.maintenance.duration").tag("task", t.label())
                    .description("Duration of a maintenance task's runs").register(registry));
            AtomicLong last = new AtomicLong();
            lastSuccess.put(t, last);
            Gauge.builder("storage.maintenance.last.success", last, AtomicLong::get).tag("task", t.label())
                    .baseUnit("seconds").description("Epoch seconds of the last run that did not fail")
                    .register(registry);
        }
    }

    void record(MaintenanceRun run) {
        runs.get(run.task()).get(run.outcome().status()).increment();
        durations.get(run.task()).record(run.duration());
        if (!run.outcome().failed()) lastSuccess.get(run.task()).set(run.finished().getEpochSecond());
    }
}
