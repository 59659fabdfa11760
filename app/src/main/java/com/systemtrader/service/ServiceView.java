package com.systemtrader.service;

import com.systemtrader.clean.QualityReport;
import com.systemtrader.collector.Gap;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the HTTP API shows of the running service. Implementations are called from the API's I/O threads. */
public interface ServiceView {
    /** Readiness: every enabled collector streaming, storage writable. {@code reasons} empty when ready. */
    record Readiness(boolean ready, List<String> reasons) {}

    Readiness readiness();

    /**
     * Liveness with each component's state: {@code status} is {@code up}, or {@code degraded} when something keeps
     * the service from being ready; {@code components} has one entry per collector and one for storage.
     */
    default Map<String, Object> health() {
        Readiness r = readiness();
        return Map.of("status", r.ready() ? "up" : "degraded", "reasons", r.reasons());
    }

    /**
     * What the dashboard shows now ({@link DashboardStream} sends it once a second): {@code feeds}, {@code symbols},
     * {@code storage}, {@code gaps}, and the {@code quality} reports given (null: none this time; they are taken on
     * another thread, since each is a cut a pipeline thread takes). Called from one thread. This default has the
     * health, the collectors' states and the gaps only.
     */
    default Map<String, Object> dashboard(List<QualityReport> quality) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("time", java.time.Instant.now().toString());
        m.put("health", health());
        m.put("feeds", collectors().entrySet().stream().map(e -> Map.of("name", e.getKey(), "state", e.getValue()))
                .toList());
        m.put("gaps", gaps());
        if (quality != null) m.put("quality", quality);
        return m;
    }

    /** Collector name -> state and detail. */
    Map<String, String> collectors();

    List<QualityReport> quality();

    List<Gap> gaps();

    /** True when anything is known for the symbol (to tell an unknown symbol, 404, from one without this type yet). */
    boolean knows(String symbol);

    /** The latest event of a type for a symbol, from the preferred source, or the given one. */
    Optional<MarketEvent> latest(String symbol, RecordType type, DataSource source);
}
