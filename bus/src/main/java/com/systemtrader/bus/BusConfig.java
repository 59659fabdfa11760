package com.systemtrader.bus;

import com.systemtrader.config.BusSettings;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the bus is and how its clients behave; shared by {@link BusSink} (the producer side) and
 * {@link BusConsumer}.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}, e.g. {@code 127.0.0.1:9092}
 * @param tradesTopic      trades, trade corrections and trade cancels, trading statuses, LULD bands and imbalances
 *                         (one topic, so that a symbol's corrections, cancels and halts stay in order with its
 *                         trades in one partition)
 * @param quotesTopic      quotes
 * @param barsTopic        bars (the provider's and the ones System Trader built)
 * @param clientId         Kafka {@code client.id} prefix of this process's clients
 * @param groupId          the consumer group of {@link BusConsumer}
 * @param intakeEvents     the most events waiting in {@link BusSink}'s intake (its overflow: counted lost)
 * @param stepEvents       the most events in one publish step; the next step is sent while the previous one waits
 *                         for its acknowledgements (at most two steps unacknowledged)
 * @param deliveryTimeout  Kafka {@code delivery.timeout.ms} (and {@code max.block.ms}): how long a publish waits
 *                         for the broker before the step counts as failed and goes to the spill journal
 * @param retryMin         the first retry delay after a failed publish (capped exponential, jitter)
 * @param retryMax         the retry delay's cap
 * @param maxUncommittedEvents the most events {@link BusConsumer} has handed to its destination and not yet seen
 *                         durable; above it the consumer pauses its partitions. For the storage writer keep it below
 *                         {@link #forWriterQueue the writer's queue} (one poll, up to
 *                         {@value BusConsumer#MAX_POLL_RECORDS} records, may go past it): what does not fit there
 *                         the writer's intake spills to its journal, and a spilled batch is durable (its offsets
 *                         committed) only once the writer has replayed its journal and is idle
 * @param clientProperties extra Kafka client properties (security settings, compression...), applied to the
 *                         producer, the consumer and the admin client after System Trader's own; never logged nor in
 *                         {@link #toString} (they may hold secrets). The delivery contract (idempotence,
 *                         {@code acks=all}, the in-flight bound, manual offset commits) cannot be overridden.
 * @param sessionTimeout   the consumer's {@code session.timeout.ms}: how long the group waits for a consumer that
 *                         stopped heartbeating (killed, cut off) before its partitions move to the others
 */
public record BusConfig(String bootstrapServers, String tradesTopic, String quotesTopic, String barsTopic,
                        String clientId, String groupId, long intakeEvents, int stepEvents, Duration deliveryTimeout,
                        Duration retryMin, Duration retryMax, long maxUncommittedEvents,
                        Map<String, String> clientProperties, Duration sessionTimeout) {
    /** Records a producer connection has in flight at most (Kafka keeps order with idempotence up to 5). */
    public static final int MAX_IN_FLIGHT = 5;

    public BusConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (intakeEvents < 1 || stepEvents < 1 || maxUncommittedEvents < 1) {
            throw new IllegalArgumentException("intakeEvents, stepEvents and maxUncommittedEvents must be positive");
        }
        if (deliveryTimeout.toMillis() < 1_000) throw new IllegalArgumentException("deliveryTimeout below 1 s");
        clientProperties = Map.copyOf(clientProperties);
        if (sessionTimeout.toMillis() < 1_000) throw new IllegalArgumentException("sessionTimeout below 1 s");
    }

    /** The defaults: the topics and store group of {@link BusSettings#defaults()}. */
    public static BusConfig defaults(String bootstrapServers) {
        return of(BusSettings.defaults().withBootstrapServers(bootstrapServers), BusSettings.defaults().storeGroup(),
                Map.of());
    }

    /**
     * The file's {@code bus} section with the consumer group {@code group} and the default client settings; its
     * {@code client_properties} with the secrets {@code env} holds ({@link BusSettings#secretProperties}).
     */
    public static BusConfig of(BusSettings s, String group, Map<String, String> env) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(s.clientProperties());
        properties.putAll(BusSettings.secretProperties(env));
        return new BusConfig(s.bootstrapServers(), s.tradesTopic(), s.quotesTopic(), s.barsTopic(), "systemtrader",
                group, s.intakeEvents(), 20_000, s.deliveryTimeout(), Duration.ofMillis(250), Duration.ofSeconds(10),
                200_000, properties, s.sessionTimeout());
    }

    /**
     * What Kafka's clients would refuse in {@link #clientProperties}, one line each for the user: a name none of the
     * producer, consumer and admin client knows (Kafka itself only warns and ignores it), a value of the wrong type
     * or out of range, a {@code linger.ms} the delivery timeout cannot hold. Empty when they take them. Values are
     * never quoted (they may be secrets).
     */
    public List<String> problems() {
        List<String> out = new java.util.ArrayList<>();
        java.util.Set<String> known = new java.util.TreeSet<>(org.apache.kafka.clients.producer.ProducerConfig.configNames());
        known.addAll(org.apache.kafka.clients.consumer.ConsumerConfig.configNames());
        known.addAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        for (String name : new java.util.TreeSet<>(clientProperties.keySet())) {
            if (known.contains(name)) continue;
            String near = com.systemtrader.support.Suggestions.closest(name, known);
            out.add("bus.client_properties." + name + ": not a property of Kafka's clients"
                    + (near == null ? "" : " (did you mean " + near + "?)"));
        }
        if (!out.isEmpty()) return out;
        try {
            Map<String, Object> producer = org.apache.kafka.clients.producer.ProducerConfig.configDef()
                    .parse(BusSink.producerProperties(this));
            org.apache.kafka.clients.consumer.ConsumerConfig.configDef().parse(BusConsumer.consumerProperties(this));
            long linger = ((Number) producer.get("linger.ms")).longValue();
            if (linger + deliveryTimeout.toMillis() / 2 > deliveryTimeout.toMillis()) {
                out.add("bus.client_properties.linger.ms: at most half of bus.delivery_timeout_seconds ("
                        + deliveryTimeout.toMillis() / 2 + " ms): Kafka wants the delivery timeout to cover it and "
                        + "the request timeout");
            }
        } catch (org.apache.kafka.common.config.ConfigException e) {
            out.add("bus.client_properties: " + e.getMessage());
        }
        return out;
    }

    /** As the record's, but {@link #clientProperties} by name only: their values may be secrets. */
    @Override public String toString() {
        return "BusConfig[bootstrapServers=" + bootstrapServers + ", topics=" + topics() + ", clientId=" + clientId
                + ", groupId=" + groupId + ", intakeEvents=" + intakeEvents + ", stepEvents=" + stepEvents
                + ", deliveryTimeout=" + deliveryTimeout + ", retry=" + retryMin + ".." + retryMax
                + ", maxUncommittedEvents=" + maxUncommittedEvents + ", clientProperties="
                + new java.util.TreeSet<>(clientProperties.keySet()) + ", sessionTimeout=" + sessionTimeout + "]";
    }

    public BusConfig withTopics(String trades, String quotes, String bars) {
        return new BusConfig(bootstrapServers, trades, quotes, bars, clientId, groupId, intakeEvents, stepEvents,
                deliveryTimeout, retryMin, retryMax, maxUncommittedEvents, clientProperties, sessionTimeout);
    }

    public BusConfig withGroupId(String group) {
        return new BusConfig(bootstrapServers, tradesTopic, quotesTopic, barsTopic, clientId, group, intakeEvents,
                stepEvents, deliveryTimeout, retryMin, retryMax, maxUncommittedEvents, clientProperties, sessionTimeout);
    }

    public BusConfig withDeliveryTimeout(Duration timeout) {
        return new BusConfig(bootstrapServers, tradesTopic, quotesTopic, barsTopic, clientId, groupId, intakeEvents,
                stepEvents, timeout, retryMin, retryMax, maxUncommittedEvents, clientProperties, sessionTimeout);
    }

    public BusConfig withMaxUncommittedEvents(long events) {
        return new BusConfig(bootstrapServers, tradesTopic, quotesTopic, barsTopic, clientId, groupId, intakeEvents,
                stepEvents, deliveryTimeout, retryMin, retryMax, events, clientProperties, sessionTimeout);
    }

    /**
     * This config with {@link #maxUncommittedEvents()} fitted to a storage writer whose queue holds
     * {@code writerQueueEvents} events: that bound less two polls, so that what the consumer hands over always fits
     * the writer's queue and is never spilled (Kafka already keeps it).
     */
    public BusConfig forWriterQueue(long writerQueueEvents) {
        return withMaxUncommittedEvents(Math.max(1, writerQueueEvents - 2L * BusConsumer.MAX_POLL_RECORDS));
    }

    public BusConfig withRetry(Duration min, Duration max) {
        return new BusConfig(bootstrapServers, tradesTopic, quotesTopic, barsTopic, clientId, groupId, intakeEvents,
                stepEvents, deliveryTimeout, min, max, maxUncommittedEvents, clientProperties, sessionTimeout);
    }

    /** The topic an event is published to: quotes and bars to theirs, every other type to the trades topic. */
    public String topicOf(MarketEvent e) {
        if (e instanceof Quote) return quotesTopic;
        if (e instanceof Bar) return barsTopic;
        return tradesTopic;
    }

    /** The three topics. */
    public List<String> topics() {
        return List.of(tradesTopic, quotesTopic, barsTopic);
    }
}
