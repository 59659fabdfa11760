package com.systemtrader.service;

import com.systemtrader.backfill.BackfillRequest;
import com.systemtrader.backfill.BackfillResult;
import com.systemtrader.backfill.RecentBackfills;
import com.systemtrader.cache.RedisCacheWriter;
import com.systemtrader.clean.QualityReport;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.collector.Gap;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradingStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The dashboard's view of a set of collectors, storage and Redis, built once a second by {@link DashboardStream}'s
 * thread (one caller; synchronized all the same). It keeps the previous counts to turn them into rates, and when each
 * symbol last had a suspicious print. Reads only what the collectors already keep (counters, latest values); the
 * quality reports are given to it (taken on another thread: each is a cut a pipeline thread takes).
 */
final class DashboardSnapshot {
    /** A symbol with no trade or quote this long is flagged stale. */
    static final double STALE_SECONDS = 10;
    /** A symbol stays flagged suspicious this long after the cleaner flagged one of its prints. */
    static final long SUSPICIOUS_NS = 60_000_000_000L;
    /** The newest gaps shown. */
    static final int GAPS = 50;

    private final Map<String, WebsocketCollector> collectors;
    private final StorageHealth storage;
    private final RedisCacheWriter redis;
    private final RecentBackfills backfills;
    private final Map<String, Map<RecordType, Long>> lastCounts = new HashMap<>();
    private final Map<String, long[]> suspicious = new HashMap<>(); // source/symbol -> {count, when it last rose}
    private long lastNs;

    DashboardSnapshot(Map<String, WebsocketCollector> collectors, StorageHealth storage, RedisCacheWriter redis,
                      RecentBackfills backfills) {
        this.collectors = collectors;
        this.storage = storage;
        this.redis = redis;
        this.backfills = backfills;
    }

    /** @param quality the newest quality reports, to send and to note suspicious prints from; null: none new */
    synchronized Map<String, Object> build(List<String> notReady, List<QualityReport> quality) {
        long now = Timestamps.nowNs();
        double seconds = lastNs == 0 ? 0 : (now - lastNs) / 1e9;
        lastNs = now;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.ofEpochSecond(0, now).toString());
        out.put("ready", notReady.isEmpty());
        out.put("reasons", notReady);
        List<Object> feeds = new ArrayList<>();
        collectors.forEach((name, c) -> feeds.add(feed(name, c, seconds)));
        out.put("feeds", feeds);
        if (quality != null) {
            out.put("quality", quality);
            for (QualityReport q : quality) noteSuspicious(q, now);
        }
        out.put("symbols", symbols(now));
        out.put("storage", storage());
        out.put("gaps", gaps());
        return out;
    }

    private Map<String, Object> feed(String name, WebsocketCollector c, double seconds) {
        CollectorSnapshot s = c.stats();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("source", c.source().name().toLowerCase(Locale.ROOT));
        f.put("state", c.state().name());
        f.put("detail", c.stateDetail());
        Map<String, Double> rates = new LinkedHashMap<>();
        Map<RecordType, Long> before = lastCounts.getOrDefault(name, Map.of());
        s.byType().forEach((type, n) -> rates.put(type.name().toLowerCase(Locale.ROOT),
                seconds <= 0 ? 0 : Math.max(0, n - before.getOrDefault(type, n)) / seconds));
        lastCounts.put(name, Map.copyOf(s.byType()));
        f.put("rates", rates);
        f.put("messages", s.messages());
        f.put("latency_ms", Map.of("p50", s.latencyP50Ms(), "p99", s.latencyP99Ms(), "max", s.latencyMaxMs()));
        f.put("reconnects", s.reconnectsByCause().values().stream().mapToLong(Long::longValue).sum());
        f.put("reconnects_by_cause", s.reconnectsByCause());
        f.put("seconds_since_last_message", s.secondsSinceLastMessage());
        f.put("ring", Map.of("depth", s.ringDepth(), "capacity", s.ringCapacity(), "dropped", s.ringDropped()));
        f.put("outages", s.outages());
        f.put("sequence_gaps", s.sequenceGaps());
        return f;
    }

    /** One row per subscribed symbol and feed: last price, bid/ask, age and flags; no data yet is a row too. */
    private List<Object> symbols(long now) {
        List<Object> rows = new ArrayList<>();
        for (WebsocketCollector c : collectors.values()) {
            TreeSet<String> subscribed = new TreeSet<>();
            c.desiredSubscriptions().values().forEach(subscribed::addAll);
            subscribed.remove("*");
            String source = c.source().name().toLowerCase(Locale.ROOT);
            for (String sym : subscribed) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("symbol", sym);
                r.put("source", source);
                Trade t = (Trade) c.getLatestData(sym, RecordType.TRADE).orElse(null);
                Quote q = (Quote) c.getLatestData(sym, RecordType.QUOTE).orElse(null);
                MarketEvent status = c.getLatestData(sym, RecordType.TRADING_STATUS).orElse(null);
                long newest = Math.max(t == null ? 0 : t.receiveTimeNs(), q == null ? 0 : q.receiveTimeNs());
                double age = newest == 0 ? -1 : Math.max(0, (now - newest) / 1e9);
                if (t != null) r.put("price", t.price());
                if (t != null) r.put("size", t.size());
                if (q != null) {
                    r.put("bid", q.bidPrice());
                    r.put("ask", q.askPrice());
                }
                r.put("age_seconds", age);
                List<String> flags = new ArrayList<>();
                if (newest == 0) flags.add("no_data");
                else if (age > STALE_SECONDS || c.state() != State.STREAMING) flags.add("stale");
                if (status instanceof TradingStatus ts && ts.isHalt()) flags.add("halted");
                long[] s = suspicious.get(source + "/" + sym);
                if (s != null && s[1] != 0 && now - s[1] < SUSPICIOUS_NS) flags.add("suspicious");
                r.put("flags", flags);
                rows.add(r);
            }
        }
        return rows;
    }

    private void noteSuspicious(QualityReport q, long now) {
        q.bySymbol().forEach((sym, s) -> {
            long[] seen = suspicious.computeIfAbsent(q.source().toLowerCase(Locale.ROOT) + "/" + sym,
                    k -> new long[] {s.suspicious(), 0});
            if (s.suspicious() > seen[0]) seen[1] = now;
            seen[0] = s.suspicious();
        });
    }

    private Map<String, Object> storage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", storage == null ? Map.of("state", "OFF") : storage.details());
        if (redis == null) {
            m.put("redis", Map.of("state", "OFF"));
        } else {
            m.put("redis", Map.of("state", redis.connected() ? "CONNECTED" : "DISCONNECTED",
                    "queue_depth", redis.queueDepth(), "written", redis.written(), "dropped", redis.dropped(),
                    "reconnects", redis.reconnects()));
        }
        return m;
    }

    /** The newest gaps, newest first, each with the outcome of its backfill. */
    private List<Object> gaps() {
        List<Gap> all = new ArrayList<>();
        for (WebsocketCollector c : collectors.values()) all.addAll(c.gapLedger().gaps());
        all.sort((a, b) -> Long.compare(b.startNs(), a.startNs()));
        List<BackfillResult> results = backfills == null ? List.of() : backfills.snapshot();
        List<Object> out = new ArrayList<>();
        for (Gap g : all.subList(0, Math.min(GAPS, all.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", g.source().name().toLowerCase(Locale.ROOT));
            m.put("feed", g.feed());
            m.put("start", Instant.ofEpochSecond(0, g.startNs()).toString());
            m.put("end", g.isOpen() ? null : Instant.ofEpochSecond(0, g.endNs()).toString());
            m.put("seconds", ((g.isOpen() ? Timestamps.nowNs() : g.endNs()) - g.startNs()) / 1e9);
            m.put("cause", g.cause());
            m.put("symbols", g.symbols());
            m.put("backfill", backfill(g, results));
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> backfill(Gap g, List<BackfillResult> results) {
        if (g.isOpen()) return Map.of("outcome", "open", "detail", "the feed is not streaming yet");
        if (backfills == null) return Map.of("outcome", "none", "detail", "no backfill in this process (it needs storage "
                + "and REST credentials)");
        for (BackfillResult r : results) {
            BackfillRequest q = r.request();
            if (q.trigger() == BackfillRequest.Trigger.GAP && q.source() == g.source() && q.feed().equals(g.feed())
                    && q.startNs() == g.startNs() && q.endNs() == g.endNs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("outcome", r.outcome().label());
                m.put("detail", r.reason() == null || r.reason().isEmpty() ? r.counts() : r.reason());
                m.put("fetched", r.fetched());
                m.put("written", r.written());
                return m;
            }
        }
        return Map.of("outcome", "pending", "detail", "queued or running");
    }
}
