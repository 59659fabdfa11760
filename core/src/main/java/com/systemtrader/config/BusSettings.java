package com.systemtrader.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code bus} section: where the Kafka bus is and how the roles use it (docs/DEPLOYMENT.md). An empty
 * {@code bootstrapServers} means no bus: the single-process service.
 *
 * @param bootstrapServers {@code bus.bootstrap_servers}: Kafka's {@code bootstrap.servers}; empty for no bus
 * @param tradesTopic      {@code bus.trades_topic}: trades, corrections and cancels, trading statuses, LULD bands and
 *                         imbalances
 * @param quotesTopic      {@code bus.quotes_topic}
 * @param barsTopic        {@code bus.bars_topic}
 * @param storeGroup       {@code bus.store_group}: the consumer group of the {@code store} role
 * @param cacheGroup       {@code bus.cache_group}: the consumer group of the {@code cache} role
 * @param journalDir       {@code bus.journal_dir}: the collector's spill journal while the broker is away
 * @param journalBudgetMb  {@code bus.journal_budget_mb}: the most disk that journal may use
 * @param readyMaxLag      {@code bus.ready_max_lag}: a {@code store} or {@code cache} process whose group lags by
 *                         more events than this (summed over its partitions) is not ready
 * @param feedLease        {@code bus.feed_lease}: collectors stream a feed only while they hold its lease in Redis,
 *                         so that a standby instance of the same feed and key takes over when the owner dies
 * @param leaseTtl         {@code bus.lease_seconds}: the lease's time to live; renewed every third of it, taken
 *                         over by a standby at most this long (plus its poll interval) after the last renewal
 * @param sessionTimeout   {@code bus.session_timeout_seconds}: how long a consumer group waits for a store or cache
 *                         process that stopped heartbeating before its partitions move to the others (Kafka's
 *                         {@code session.timeout.ms}; the broker allows 6-1800 s by default)
 */
public record BusSettings(String bootstrapServers, String tradesTopic, String quotesTopic, String barsTopic,
                          String storeGroup, String cacheGroup, Path journalDir, long journalBudgetMb,
                          long readyMaxLag, boolean feedLease, Duration leaseTtl, Duration sessionTimeout) {
    public static BusSettings defaults() {
        return new BusSettings("", "systemtrader.trades", "systemtrader.quotes", "systemtrader.bars",
                "systemtrader-store", "systemtrader-cache", Path.of("data", "bus-journal"), 4096, 1_000_000, false,
                Duration.ofSeconds(10), Duration.ofSeconds(45));
    }

    /** True when a bus is configured. */
    public boolean enabled() { return !bootstrapServers.isEmpty(); }

    public BusSettings withBootstrapServers(String servers) {
        return new BusSettings(servers, tradesTopic, quotesTopic, barsTopic, storeGroup, cacheGroup, journalDir,
                journalBudgetMb, readyMaxLag, feedLease, leaseTtl, sessionTimeout);
    }
}
