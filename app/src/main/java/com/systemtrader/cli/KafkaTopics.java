package com.systemtrader.cli;

import com.systemtrader.bench.ServiceBench;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of the benchmarks ({@code bench-service --bus}, {@code bench-bus}): created with a partition count and
 * a replication factor and used once every partition has a leader that serves it ({@code listOffsets} answers: a
 * first produce that meets NOT_LEADER_OR_FOLLOWER, the broker not yet hosting a partition it leads, seen under load,
 * can leave an idempotent producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout); deleted after
 * their run.
 */
final class KafkaTopics implements ServiceBench.TopicAdmin {
    private final String bootstrap;
    private final short replicationFactor;
    private final Consumer<String> note;

    /** @param note told (one line) of a topic that could not be deleted */
    KafkaTopics(String bootstrap, short replicationFactor, Consumer<String> note) {
        this.bootstrap = bootstrap;
        this.replicationFactor = replicationFactor;
        this.note = note;
    }

    @Override public void create(List<String> topics, int partitions) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> made = new ArrayList<>();
            for (String t : topics) made.add(new NewTopic(t, partitions, replicationFactor));
            admin.createTopics(made).all().get(60, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!served(admin, topics, partitions)) {
                if (System.nanoTime() - until > 0) {
                    throw new IllegalStateException("topics " + topics + " have no serving leaders after 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(50); // a poll interval while the controller elects leaders
            }
        }
    }

    private static boolean served(Admin admin, List<String> topics, int partitions) throws InterruptedException {
        Map<String, TopicDescription> d;
        try {
            d = admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return false; // not yet in the metadata
            throw new IllegalStateException(e.getCause());
        }
        for (TopicDescription t : d.values()) {
            if (t.partitions().size() != partitions
                    || !t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return false;
            }
        }
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (String t : topics) for (int p = 0; p < partitions; p++) ends.put(new TopicPartition(t, p), OffsetSpec.latest());
        try {
            admin.listOffsets(ends).all().get();
            return true;
        } catch (ExecutionException e) {
            return false; // a leader not yet hosting its partition
        }
    }

    @Override public void delete(List<String> topics) {
        try (Admin admin = admin()) {
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            note.accept("could not delete topics " + topics + ": " + Main.oneLine(e));
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(p);
    }
}
