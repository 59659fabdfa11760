package com.systemtrader.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The bus as {@code system-trader bus status} shows it: for each partition of the three topics its end offset and,
 * per consumer group, the committed offset and the lag (end minus committed: records the group has not committed,
 * i.e. not yet stored for the {@code store} group), plus each group's state and members. Read with Kafka's
 * {@link Admin} client; nothing is changed.
 *
 * @param groups each group's state ({@code STABLE}, {@code EMPTY}, ...) and member count
 * @param rows   one per partition, topics in {@link BusConfig#topics()} order
 */
public record BusStatus(String bootstrapServers, Map<String, Group> groups, List<Row> rows) {
    /** A consumer group: its state and number of members. */
    public record Group(String state, int members) {}

    /**
     * @param committed the committed offset per group (absent: the group has committed nothing there)
     */
    public record Row(String topic, int partition, long end, Map<String, Long> committed) {
        /** Records the group has not committed. */
        public long lag(String group) {
            Long c = committed.get(group);
            return end - (c == null ? 0 : c);
        }
    }

    /** The lag of {@code group} summed over every partition. */
    public long lag(String group) {
        long sum = 0;
        for (Row r : rows) sum += r.lag(group);
        return sum;
    }

    /**
     * Reads the topics' partitions, end offsets and the groups' committed offsets.
     *
     * @throws IllegalStateException when the broker does not answer within {@code timeout}, or a topic is missing
     */
    public static BusStatus read(BusConfig config, List<String> groups, Duration timeout) throws InterruptedException {
        Properties p = new Properties();
        p.putAll(config.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, config.clientId() + "-bus-status");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        try (Admin admin = Admin.create(p)) {
            long ms = timeout.toMillis();
            Map<String, TopicDescription> topics = admin.describeTopics(config.topics()).allTopicNames()
                    .get(ms, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
            for (String t : config.topics()) {
                topics.get(t).partitions().forEach(info -> ends.put(new TopicPartition(t, info.partition()),
                        OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> endOffsets = new HashMap<>();
            admin.listOffsets(ends).all().get(ms, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> endOffsets.put(tp, info.offset()));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new LinkedHashMap<>();
            Map<String, Group> states = new LinkedHashMap<>();
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
                    .get(ms, TimeUnit.MILLISECONDS);
            for (String g : groups) {
                ConsumerGroupDescription d = described.get(g);
                states.put(g, new Group(d == null ? "UNKNOWN" : d.groupState().name(),
                        d == null ? 0 : d.members().size()));
                try {
                    committed.put(g, admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata()
                            .get(ms, TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) throw e;
                    committed.put(g, Map.of());
                }
            }
            List<Row> rows = new ArrayList<>();
            for (TopicPartition tp : ends.keySet()) {
                Map<String, Long> c = new LinkedHashMap<>();
                for (String g : groups) {
                    OffsetAndMetadata o = committed.get(g).get(tp);
                    if (o != null) c.put(g, o.offset());
                }
                rows.add(new Row(tp.topic(), tp.partition(), endOffsets.get(tp), c));
            }
            return new BusStatus(config.bootstrapServers(), states, rows);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the bus at " + config.bootstrapServers() + " answered: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the bus at " + config.bootstrapServers() + " did not answer within "
                    + timeout.toSeconds() + " s", e);
        }
    }

    /** The table {@code bus status} prints. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("bus:      ").append(bootstrapServers).append('\n');
        groups.forEach((g, s) -> out.append("group:    ").append(g).append(": ").append(s.state()).append(", ")
                .append(s.members()).append(s.members() == 1 ? " member" : " members").append(", lag ")
                .append(lag(g)).append('\n'));
        out.append(String.format("%-28s %9s %14s", "topic", "partition", "end offset"));
        for (String g : groups.keySet()) out.append(String.format(" %22s", g + " lag"));
        out.append('\n');
        for (Row r : rows) {
            out.append(String.format("%-28s %9d %,14d", r.topic(), r.partition(), r.end()));
            for (String g : groups.keySet()) out.append(String.format(" %,22d", r.lag(g)));
            out.append('\n');
        }
        return out.toString();
    }

    /** The groups' names (for callers that keep their own order). */
    public Collection<String> groupNames() { return groups.keySet(); }
}
