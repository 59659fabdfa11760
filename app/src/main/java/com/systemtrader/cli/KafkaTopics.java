package com.systemtrader.cli;

import com.systemtrader.bench.ServiceBench;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The bus topics of {@code bench-service --bus}: created with a partition count (replication factor 1) and used
 * once every partition has a leader that serves it ({@code listOffsets} answers, as {@code bench-bus} waits), deleted
 * after the rate.
 */
final class KafkaTopics implements ServiceBench.TopicAdmin {
    private final String bootstrap;
    private final PrintStream out;

    KafkaTopics(String bootstrap, PrintStream out) {
        this.bootstrap = bootstrap;
        this.out = out;
    }

    @Override public void create(List<String> topics, int partitions) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> made = new ArrayList<>();
            for (String t : topics) made.add(new NewTopic(t, partitions, (short) 1));
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
            out.println("  could not delete topics " + topics + ": " + Main.oneLine(e));
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
