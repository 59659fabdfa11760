package com.systemtrader.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * @param clientProperties {@code bus.client_properties}: Kafka client properties for every client of the bus
 *                         (security, compression...), without secrets: those come from the environment
 *                         ({@link #secretProperties})
 * @param intakeEvents     {@code bus.intake_events}: the most events a collector's bus sink holds in memory while a
 *                         publish step waits for the broker; past it events are lost (counted)
 * @param deliveryTimeout  {@code bus.delivery_timeout_seconds}: how long a publish step waits for the broker's
 *                         acknowledgements before it goes to the spill journal (Kafka's {@code delivery.timeout.ms})
 */
public record BusSettings(String bootstrapServers, String tradesTopic, String quotesTopic, String barsTopic,
                          String storeGroup, String cacheGroup, Path journalDir, long journalBudgetMb,
                          long readyMaxLag, boolean feedLease, Duration leaseTtl, Duration sessionTimeout,
                          Map<String, String> clientProperties, long intakeEvents, Duration deliveryTimeout) {
    /**
     * The Kafka client properties that hold secrets. Never in the file: each comes from its environment variable
     * ({@link #secretEnv}), e.g. {@code SYSTEM_TRADER_BUS_SASL_JAAS_CONFIG}.
     */
    public static final List<String> SECRET_PROPERTIES = List.of("sasl.jaas.config", "ssl.keystore.password",
            "ssl.key.password", "ssl.truststore.password", "ssl.keystore.key");
    /**
     * Kafka client properties System Trader sets itself: the delivery contract (idempotence, acks, in-flight bound,
     * retries, offsets committed after the database commit, one symbol per partition, a new group reading from the
     * start, the poll size the consumer's bound assumes), the byte (de)serializers, and what other {@code bus.*}
     * keys set. {@code bus.client_properties} refuses them.
     */
    public static final Map<String, String> RESERVED_PROPERTIES = Map.ofEntries(
            Map.entry("bootstrap.servers", "bus.bootstrap_servers"), Map.entry("group.id", "bus.store_group and "
                    + "bus.cache_group"), Map.entry("session.timeout.ms", "bus.session_timeout_seconds"),
            Map.entry("heartbeat.interval.ms", "bus.session_timeout_seconds"),
            Map.entry("enable.idempotence", ""), Map.entry("acks", ""), Map.entry("retries", ""),
            Map.entry("max.in.flight.requests.per.connection", ""), Map.entry("enable.auto.commit", ""),
            Map.entry("transactional.id", ""), Map.entry("delivery.timeout.ms", "bus.delivery_timeout_seconds"),
            Map.entry("max.block.ms", "bus.delivery_timeout_seconds"),
            Map.entry("request.timeout.ms", "bus.delivery_timeout_seconds"),
            Map.entry("partitioner.class", ""), Map.entry("partitioner.ignore.keys", ""),
            Map.entry("auto.offset.reset", ""), Map.entry("max.poll.records", ""),
            Map.entry("key.serializer", ""), Map.entry("value.serializer", ""), Map.entry("key.deserializer", ""),
            Map.entry("value.deserializer", ""));

    public BusSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** As the record's, but {@link #clientProperties} by name only (defence in depth: the file holds no secrets). */
    @Override public String toString() {
        return "BusSettings[bootstrapServers=" + bootstrapServers + ", topics=" + List.of(tradesTopic, quotesTopic,
                barsTopic) + ", storeGroup=" + storeGroup + ", cacheGroup=" + cacheGroup + ", journalDir=" + journalDir
                + ", journalBudgetMb=" + journalBudgetMb + ", readyMaxLag=" + readyMaxLag + ", feedLease=" + feedLease
                + ", leaseTtl=" + leaseTtl + ", sessionTimeout=" + sessionTimeout + ", clientProperties="
                + new java.util.TreeSet<>(clientProperties.keySet()) + ", intakeEvents=" + intakeEvents
                + ", deliveryTimeout=" + deliveryTimeout + "]";
    }

    public static BusSettings defaults() {
        return new BusSettings("", "systemtrader.trades", "systemtrader.quotes", "systemtrader.bars",
                "systemtrader-store", "systemtrader-cache", Path.of("data", "bus-journal"), 4096, 1_000_000, false,
                Duration.ofSeconds(10), Duration.ofSeconds(45), Map.of(), 1_000_000, Duration.ofSeconds(10));
    }

    /** True when a bus is configured. */
    public boolean enabled() { return !bootstrapServers.isEmpty(); }

    public BusSettings withBootstrapServers(String servers) {
        return new BusSettings(servers, tradesTopic, quotesTopic, barsTopic, storeGroup, cacheGroup, journalDir,
                journalBudgetMb, readyMaxLag, feedLease, leaseTtl, sessionTimeout, clientProperties, intakeEvents,
                deliveryTimeout);
    }

    /** The environment variable that holds the secret client property {@code property}. */
    public static String secretEnv(String property) {
        return "SYSTEM_TRADER_BUS_" + property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The secret client properties set in {@code env} (see {@link #SECRET_PROPERTIES}), by property name. */
    public static Map<String, String> secretProperties(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : SECRET_PROPERTIES) {
            String v = env.get(secretEnv(p));
            if (v != null && !v.isBlank()) out.put(p, v);
        }
        return out;
    }

    /**
     * Why {@code name} cannot be a {@code bus.client_properties} name (an error message), or null when it can. Never
     * quotes a value.
     */
    public static String refusedProperty(String name) {
        if (!name.matches("[a-z][a-z0-9]*([._-][a-z0-9]+)*")) {
            return "is not a Kafka client property name (lower-case words joined by '.', e.g. security.protocol)";
        }
        if (SECRET_PROPERTIES.contains(name)) {
            return "holds a secret: set the environment variable " + secretEnv(name) + " instead (never the file)";
        }
        if (name.endsWith(".password") || name.contains("secret") || name.contains("jaas")
                || name.contains("passphrase") || name.endsWith(".key")) {
            return "looks like a secret, which does not belong in collector_config.yaml; the secrets System Trader "
                    + "takes from the environment are " + String.join(", ", SECRET_PROPERTIES.stream()
                    .map(BusSettings::secretEnv).toList());
        }
        String setBy = RESERVED_PROPERTIES.get(name);
        if (setBy != null) {
            return "is set by System Trader" + (setBy.isEmpty() ? " (the bus's delivery contract)" : ": use " + setBy);
        }
        return null;
    }
}
