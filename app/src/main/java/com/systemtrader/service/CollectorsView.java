package com.systemtrader.service;

import com.systemtrader.backfill.RecentBackfills;
import com.systemtrader.cache.RedisCacheWriter;
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
    private final StorageHealth storage;
    private final RedisCacheWriter redis;
    private final BusHealth bus;
    private final java.util.Set<String> standbys;
    private final DashboardSnapshot dashboard;

    /** @param collectors by name (e.g. {@code polygon/stocks}), in order of preference */
    public CollectorsView(Map<String, WebsocketCollector> collectors) {
        this(collectors, null, null, null, null, java.util.Set.of());
    }

    /**
     * @param storage the storage writer's health, or null when the service stores nothing
     * @param redis   the Redis cache writer, or null without Redis (shown in {@code /health}; a cache that drops or
     *                is away does not make the service unready: the database is the record)
     * @param backfills the gap backfiller's recent outcomes (shown per gap on the dashboard), or null without one
     * @param bus     the Kafka bus's health, or null without a bus
     * @param standbys the collectors waiting for their feed's lease (a live view): shown as {@code STANDBY}, and
     *                 not streaming is then no reason to be unready
     */
    CollectorsView(Map<String, WebsocketCollector> collectors, StorageHealth storage, RedisCacheWriter redis,
                   RecentBackfills backfills, BusHealth bus, java.util.Set<String> standbys) {
        this.standbys = standbys;
        this.collectors = new LinkedHashMap<>(collectors);
        this.storage = storage;
        this.redis = redis;
        this.bus = bus;
        this.dashboard = new DashboardSnapshot(this.collectors, storage, redis, backfills);
    }

    @Override public Map<String, Object> dashboard(List<QualityReport> quality) {
        return dashboard.build(readiness().reasons(), quality);
    }

    @Override public Readiness readiness() {
        List<String> reasons = new ArrayList<>();
        collectors.forEach((name, c) -> {
            if (c.state() != State.STREAMING && !standbys.contains(name)) reasons.add(name + " is " + c.state() + " (" + c.stateDetail() + ")");
        });
        if (storage != null) reasons.addAll(storage.problems());
        if (bus != null) reasons.addAll(bus.problems());
        return new Readiness(reasons.isEmpty(), reasons);
    }

    @Override public Map<String, Object> health() {
        Readiness r = readiness();
        Map<String, Object> components = new LinkedHashMap<>();
        collectors.forEach((name, c) -> components.put(name, standbys.contains(name)
                ? Map.of("state", "STANDBY", "detail", "waiting for the feed's lease (bus.feed_lease)")
                : Map.of("state", c.state().name(), "detail", c.stateDetail())));
        if (storage != null) components.put("storage", storage.details());
        if (bus != null) components.put("bus", bus.details());
        if (redis != null) {
            components.put("redis", Map.of("state", redis.connected() ? "CONNECTED" : "DISCONNECTED",
                    "queue_depth", redis.queueDepth(), "written", redis.written(), "dropped", redis.dropped()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", r.ready() ? "up" : "degraded");
        out.put("reasons", r.reasons());
        out.put("components", components);
        return out;
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
