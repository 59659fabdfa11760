package com.systemtrader.service;

import com.systemtrader.clean.QualityReport;
import com.systemtrader.collector.Gap;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link ServiceView} of a set of collectors, in order of preference (the first one with an answer wins when
 * no source is asked for). Ready when every collector streams.
 */
public final class CollectorsView implements ServiceView {
    private final Map<String, WebsocketCollector> collectors;

    /** @param collectors by name (e.g. {@code polygon/stocks}), in order of preference */
    public CollectorsView(Map<String, WebsocketCollector> collectors) {
        this.collectors = new LinkedHashMap<>(collectors);
    }

    @Override public Readiness readiness() {
        List<String> reasons = new ArrayList<>();
        collectors.forEach((name, c) -> {
            if (c.state() != State.STREAMING) reasons.add(name + " is " + c.state() + " (" + c.stateDetail() + ")");
        });
        return new Readiness(reasons.isEmpty(), reasons);
    }

    @Override public Map<String, String> collectors() {
        Map<String, String> out = new LinkedHashMap<>();
        collectors.forEach((name, c) -> out.put(name, c.state() + ": " + c.stateDetail()));
        return out;
    }

    @Override public List<QualityReport> quality() {
        return collectors.values().stream().map(WebsocketCollector::qualityReport).toList();
    }

    @Override public List<Gap> gaps() {
        List<Gap> out = new ArrayList<>();
        for (WebsocketCollector c : collectors.values()) out.addAll(c.gapLedger().gaps());
        return out;
    }

    @Override public boolean knows(String symbol) {
        for (WebsocketCollector c : collectors.values()) if (c.hasData(symbol)) return true;
        return false;
    }

    @Override public Optional<MarketEvent> latest(String symbol, RecordType type, DataSource source) {
        for (WebsocketCollector c : collectors.values()) {
            if (source != null && c.source() != source) continue;
            Optional<MarketEvent> e = c.getLatestData(symbol, type);
            if (e.isPresent()) return e;
        }
        return Optional.empty();
    }
}
