package com.systemtrader.service;

import com.systemtrader.bus.BusConsumer;
import com.systemtrader.bus.BusSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka bus as {@code /health} and {@code /ready} see it: the collector's publishing side (a {@link BusSink})
 * and the consumer of a {@code store} or {@code cache} process. Not ready while the sink is losing events, while
 * the consumer is not running, or while its group lags by more than {@code bus.ready_max_lag} events. Read from the
 * HTTP API's threads; never waits.
 */
final class BusHealth {
    private final BusSink sink;
    private final BusConsumer consumer;
    private final String consumerRole;
    private final long maxLag;
    private final FeedLeases leases;
    private volatile long sinkLostSeen;
    private volatile long sinkLostAtNanos;

    /**
     * @param sink         the collector's bus sink, or null
     * @param consumer     the store's or cache's consumer, or null
     * @param consumerRole {@code store} or {@code cache} (names the consumer in reasons)
     * @param leases       the collectors' feed leases, or null without {@code bus.feed_lease}
     */
    BusHealth(BusSink sink, BusConsumer consumer, String consumerRole, long maxLag, FeedLeases leases) {
        this.leases = leases;
        this.sink = sink;
        this.consumer = consumer;
        this.consumerRole = consumerRole;
        this.maxLag = maxLag;
    }

    /** Why the bus keeps the process from being ready; empty when it does not. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        if (sink != null) {
            long lost = sink.dropped();
            long now = System.nanoTime();
            if (lost != sinkLostSeen) {
                sinkLostSeen = lost;
                sinkLostAtNanos = now;
            }
            if (lost > 0 && now - sinkLostAtNanos < StorageHealth.LOSS_WINDOW.toNanos()) {
                out.add("bus sink is losing data: " + lost + " events lost since start (see bus_sink_events_lost_total)");
            }
        }
        if (consumer != null) {
            if (!consumer.running()) out.add("bus " + consumerRole + " consumer is not running");
            String refused = consumer.refused();
            if (refused != null) out.add("the broker refuses the bus " + consumerRole + " consumer: " + refused);
            long lag = consumer.lag();
            if (lag > maxLag) {
                out.add("bus " + consumerRole + " consumer lags " + lag + " events (bound bus.ready_max_lag "
                        + maxLag + ")");
            }
        }
        return out;
    }

    /** The bus's state and figures for {@code /health}. */
    Map<String, Object> details() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (sink != null) {
            m.put("broker", sink.brokerDown() ? "DOWN" : "UP");
            m.put("published", sink.eventsPublished());
            m.put("intake_events", sink.depth());
            m.put("journal_batches_pending", sink.journal().batchesPending());
            m.put("events_lost", sink.dropped());
        }
        if (leases != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            leases.leases().forEach((feed, lease) -> l.put(feed, Map.of("state", lease.state().name(),
                    "token", lease.token(), "holder", lease.holder())));
            m.put("leases", l);
        }
        if (consumer != null) {
            m.put("consumer", !consumer.running() ? "STOPPED" : consumer.refused() != null ? "REFUSED" : "RUNNING");
            m.put("consumer_role", consumerRole);
            m.put("consumed", consumer.eventsConsumed());
            m.put("lag", consumer.lag());
            m.put("uncommitted", consumer.uncommittedEvents());
        }
        return m;
    }
}
