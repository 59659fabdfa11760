package com.systemtrader.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code bench-bus}: the partitioner it gives Kafka's {@code ProducerPerformance}, whose records have no key (Kafka
 * 4.1.1 has no key option), so that its records spread over the partitions exactly as {@code BusSink}'s keyed trades
 * do: record {@code i} goes to the partition Kafka's default partitioner gives the key of symbol
 * {@code i % symbols} ({@code murmur2} of its UTF-8 bytes, as {@code BuiltInPartitioner.partitionForKey}), the
 * order in which the bench's trades cycle through the symbols. Without it, keyless records go through the sticky
 * partitioner (one partition's batch filled at a time), which batches differently. The symbols come from the
 * producer property {@value #SYMBOLS} (comma-separated). One producer thread calls it (ProducerPerformance sends
 * from one thread).
 */
public final class BenchBusPartitioner implements Partitioner {
    /** Producer property: the symbols, comma-separated, in the order the trades cycle through them. */
    public static final String SYMBOLS = "systemtrader.bench.symbols";

    private byte[][] keys;
    private long next;

    @Override public void configure(Map<String, ?> configs) {
        Object v = configs.get(SYMBOLS);
        if (v == null) throw new IllegalArgumentException(SYMBOLS + " is not set");
        keys = Arrays.stream(v.toString().split(",")).map(s -> s.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
    }

    @Override public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                                   Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        byte[] k = keys[(int) (next++ % keys.length)];
        return Utils.toPositive(Utils.murmur2(k)) % partitions;
    }

    @Override public void close() {}
}
