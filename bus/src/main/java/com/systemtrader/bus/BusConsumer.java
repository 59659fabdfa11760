package com.systemtrader.bus;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.storage.StorageWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bus topics in a consumer group ({@link BusConfig#groupId()}) and hands the decoded events with their
 * verdicts to a {@link Destination}: the database writer for the {@code store} role ({@link #storage}), the caches
 * for the {@code cache} role ({@link #cache}). A partition's offsets are committed only after the destination made
 * the events before them durable.
 *
 * <p><b>Offsets after the destination.</b> Each poll's events go to the destination as one batch, which answers
 * with a condition that turns true once the batch is durable; the consumer thread then commits (synchronously) the
 * offsets of the longest run of polls, oldest first, that are all durable. Once the destination is
 * {@link Destination#idle() idle}, every poll handed to it is durable and all their offsets are committed (the
 * database writer's spilled batches never call back: they are durable once its journal is replayed). If the
 * destination counted events lost, the consumer seeks every assigned partition back to its committed offset and
 * reads again: replays are no-ops (the database's idempotent keys, the caches' event identities). So a crash
 * re-reads at most what was not yet committed.
 *
 * <p><b>Bounded.</b> At most {@link BusConfig#maxUncommittedEvents()} events are handed over and not yet committed;
 * above that the consumer pauses its partitions (it keeps polling, so it stays in the group) until the destination
 * has caught up. A value that does not decode is skipped, logged and counted ({@code bus.consumer.undecodable}).
 * The group's lag per partition (records between the consumer's position and the partition's end, as the last
 * fetch saw it) is exported as {@code bus.consumer.lag} and summed in {@link #lag()}.
 *
 * <p><b>Rebalance.</b> When partitions are revoked the consumer waits (up to 30 s) for the destination to make what
 * it was handed durable, commits those offsets, and forgets the rest (it is read again by the partitions' next
 * owner).
 *
 * <p><b>Lifecycle.</b> The constructor starts nothing; {@link #start()} starts the {@code bus-consumer} thread;
 * {@link #close()} stops polling, waits (bounded) for the destination, commits, and leaves the group. The
 * destination is the caller's: it is not closed here.
 */
public final class BusConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusConsumer.class);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    /** The most records one poll hands to the destination ({@code max.poll.records}). */
    public static final int MAX_POLL_RECORDS = 5_000;

    /** One poll's records handed to the writer: the offsets to commit once it is in the database. */
    private record Ticket(Map<TopicPartition, Long> next, int events, java.util.function.BooleanSupplier durable) {}

    /**
     * Where the consumed events go. {@link #add} is called on the consumer thread; the other methods on any.
     */
    public interface Destination {
        /**
         * Takes one poll's events (never waits on the destination's storage) and returns a condition, safe to call
         * from any thread, that turns true once they are durable there.
         */
        java.util.function.BooleanSupplier add(List<MarketEvent> events, int[] flags);

        /** Events the destination counted lost since it was made; a change makes the consumer re-read. */
        long eventsLost();

        /** True when everything handed over so far is durable. */
        boolean idle();
    }

    /** The {@code store} role: the database writer (durable once committed, or once its journal is replayed). */
    public static Destination storage(StorageWriter writer) {
        return new Destination() {
            @Override public java.util.function.BooleanSupplier add(List<MarketEvent> events, int[] flags) {
                java.util.concurrent.atomic.AtomicBoolean committed = new java.util.concurrent.atomic.AtomicBoolean();
                writer.add(events, flags, () -> committed.set(true));
                return committed::get;
            }

            @Override public long eventsLost() { return writer.eventsLost(); }

            @Override public boolean idle() { return writer.idle(); }
        };
    }

    /**
     * The {@code cache} role: {@code cache} (the memory cache with Redis behind it) takes the events at once, and
     * they count as durable once {@code redis} has written (or, under its overflow policy, counted and later
     * rewritten from memory) every batch queued before. Redis's drops are its own policy, so they do not rewind.
     */
    public static Destination cache(com.systemtrader.cache.DataCache cache, com.systemtrader.cache.RedisCacheWriter redis) {
        return new Destination() {
            @Override public java.util.function.BooleanSupplier add(List<MarketEvent> events, int[] flags) {
                cache.addAll(events);
                long mark = redis.queuedItems();
                return () -> redis.finishedItems() >= mark;
            }

            @Override public long eventsLost() { return 0; }

            @Override public boolean idle() { return redis.finishedItems() >= redis.queuedItems(); }
        };
    }

    private final BusConfig config;
    private final Destination writer;
    private final Thread thread;
    private final ArrayDeque<Ticket> tickets = new ArrayDeque<>(); // consumer thread
    private final AtomicLong consumed = new AtomicLong();
    /** How often a consumer the broker refuses (authentication, authorization) tries again. */
    static final Duration REFUSED_RETRY = Duration.ofSeconds(5);
    private final com.systemtrader.support.LogLimiter refusalLog = new com.systemtrader.support.LogLimiter(Duration.ofMinutes(1));
    /** Why the broker refused the last poll, or null when it answered. Written by the consumer thread. */
    private volatile String refused;
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong rewinds = new AtomicLong();
    private final AtomicLong uncommittedEvents = new AtomicLong();
    private volatile boolean running;
    private static final long LAG_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Consumer thread: when the lag was last measured. */
    private long lagMeasuredNanos;
    private volatile Map<TopicPartition, Long> partitionLag = Map.of();
    private MultiGauge lagGauge;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private long lostSeen;
    /** Consumer thread: offsets settled in the database whose commit to Kafka failed; retried with the next ones. */
    private final Map<TopicPartition, OffsetAndMetadata> unsent = new HashMap<>();

    /** The {@code store} consumer: {@code BusConsumer(config, storage(writer), registry)}. */
    public BusConsumer(BusConfig config, StorageWriter writer, MeterRegistry registry) {
        this(config, storage(writer), registry);
    }

    /** @param registry where the {@code bus.consumer.*} meters go; null for none */
    public BusConsumer(BusConfig config, Destination destination, MeterRegistry registry) {
        this.config = config;
        this.writer = destination;
        this.thread = Thread.ofPlatform().name("bus-consumer").daemon(false).unstarted(this::run);
        if (registry != null) register(registry);
    }

    /** Joins the group and starts consuming. */
    public synchronized BusConsumer start() {
        if (running) throw new IllegalStateException("a bus consumer starts once");
        running = true;
        thread.start();
        return this;
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> c;
        try {
            c = new KafkaConsumer<>(consumerProperties(config));
        } catch (RuntimeException e) {
            log.error("bus consumer: cannot create the Kafka consumer for {}: {}", config.bootstrapServers(),
                    e.toString());
            running = false;
            return;
        }
        consumer = c;
        lostSeen = writer.eventsLost();
        try {
            c.subscribe(List.of(config.tradesTopic(), config.quotesTopic(), config.barsTopic()), new Rebalance(c));
            boolean paused = false;
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(100));
                    refused = null;
                } catch (WakeupException e) {
                    break;
                } catch (AuthenticationException | AuthorizationException e) {
                    // the broker refuses this consumer (credentials, ACLs): nothing was handed over; it is tried
                    // again, so that fixed credentials on the broker's side (a rotation) need no restart
                    boolean first = refused == null;
                    refused = e.getMessage();
                    if (first || refusalLog.admit() >= 0) {
                        log.error("bus consumer: the broker refuses this consumer of {}: {}; trying again every {} s",
                                config.bootstrapServers(), refused, REFUSED_RETRY.toSeconds());
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(REFUSED_RETRY.toNanos()); // the retry interval
                    continue;
                }
                if (!records.isEmpty()) hand(records);
                commitSettled(c);
                measureLag(c);
                boolean full = uncommittedEvents.get() >= config.maxUncommittedEvents();
                if (full != paused) {
                    if (full) c.pause(c.assignment());
                    else c.resume(c.paused());
                    paused = full;
                }
            }
            settle(c, SETTLE_TIMEOUT);
        } catch (RuntimeException e) {
            log.error("bus consumer: stopped: {}", e.toString(), e);
        } finally {
            try {
                c.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.debug("bus consumer: close: {}", e.toString());
            }
            consumer = null;
        }
    }

    /** Decodes a poll's records and hands them to the writer as one batch with its ticket. */
    private void hand(ConsumerRecords<byte[], byte[]> records) {
        List<MarketEvent> events = new ArrayList<>(records.count());
        int[] flags = new int[records.count()];
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            try {
                BusDecoder.Decoded d = BusDecoder.decode(r.value());
                flags[events.size()] = d.flags();
                events.add(d.event());
            } catch (RuntimeException e) {
                long n = undecodable.incrementAndGet();
                if (n <= 10 || n % 10_000 == 0) {
                    log.warn("bus consumer: {}-{} offset {} does not decode, skipped (#{}): {}", r.topic(),
                            r.partition(), r.offset(), n, e.getMessage());
                }
            }
        }
        consumed.addAndGet(events.size());
        Ticket t = new Ticket(next, events.size(), writer.add(events, java.util.Arrays.copyOf(flags, events.size())));
        tickets.addLast(t);
        uncommittedEvents.addAndGet(t.events);
    }

    /** The lag of each assigned partition as the last fetch saw it (unknown before a partition's first fetch). */
    private void measureLag(KafkaConsumer<byte[], byte[]> c) {
        long now = System.nanoTime();
        if (now - lagMeasuredNanos < LAG_INTERVAL_NANOS) return;
        lagMeasuredNanos = now;
        Map<TopicPartition, Long> lags = new HashMap<>();
        for (TopicPartition tp : c.assignment()) {
            java.util.OptionalLong l = c.currentLag(tp);
            if (l.isPresent()) lags.put(tp, l.getAsLong());
        }
        partitionLag = Map.copyOf(lags);
        if (lagGauge != null) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> e : lags.entrySet()) {
                long v = e.getValue();
                rows.add(MultiGauge.Row.of(Tags.of("group", config.groupId(), "topic", e.getKey().topic(),
                        "partition", Integer.toString(e.getKey().partition())), v));
            }
            lagGauge.register(rows, true);
        }
    }

    /** Commits the offsets of the oldest tickets the database has committed (all of them when the writer is idle). */
    private void commitSettled(KafkaConsumer<byte[], byte[]> c) {
        long lost = writer.eventsLost();
        if (lost != lostSeen) {
            lostSeen = lost;
            rewind(c);
            return;
        }
        if (tickets.isEmpty() && unsent.isEmpty()) return;
        boolean all = writer.idle();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(unsent);
        while (!tickets.isEmpty() && (all || tickets.peekFirst().durable().getAsBoolean())) {
            Ticket t = tickets.pollFirst();
            uncommittedEvents.addAndGet(-t.events);
            for (Map.Entry<TopicPartition, Long> e : t.next.entrySet()) {
                offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue()));
            }
        }
        if (offsets.isEmpty()) return;
        offsets.keySet().retainAll(c.assignment());
        unsent.clear();
        if (offsets.isEmpty()) return;
        try {
            c.commitSync(offsets);
            commits.incrementAndGet();
        } catch (RuntimeException e) {
            unsent.putAll(offsets); // retried with the next commit (a crash before it re-reads them: no-ops)
            log.warn("bus consumer: offset commit failed, retried with the next one: {}", e.toString());
        }
    }

    /** The writer lost events: everything not committed is read again from the committed offsets. */
    private void rewind(KafkaConsumer<byte[], byte[]> c) {
        rewinds.incrementAndGet();
        unsent.clear();
        tickets.clear();
        uncommittedEvents.set(0);
        Set<TopicPartition> assigned = c.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata o = committed.get(tp);
            if (o != null) c.seek(tp, o);
            else c.seekToBeginning(List.of(tp));
        }
        log.warn("bus consumer: the storage writer lost events; re-reading {} partitions from their committed "
                + "offsets", assigned.size());
    }

    /** Waits (bounded) until the writer committed every ticket, and commits their offsets. */
    private void settle(KafkaConsumer<byte[], byte[]> c, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!tickets.isEmpty() && System.nanoTime() - until < 0) {
            commitSettled(c);
            if (tickets.isEmpty()) break;
            try {
                TimeUnit.MILLISECONDS.sleep(10); // a poll interval while the writer commits, not a fixed wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        commitSettled(c);
        if (!tickets.isEmpty()) {
            log.warn("bus consumer: {} polls not committed by the database within {} s; they will be read again",
                    tickets.size(), timeout.toSeconds());
            tickets.clear();
            uncommittedEvents.set(0);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Rebalance(KafkaConsumer<byte[], byte[]> c) { this.c = c; }

        @Override public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) settle(c, SETTLE_TIMEOUT);
        }

        @Override public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) log.info("bus consumer: assigned {}", partitions);
        }

        @Override public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitionLag = Map.of();
            unsent.clear();
            tickets.clear(); // not ours any more: their offsets cannot be committed
            uncommittedEvents.set(0);
        }
    }

    /** The Kafka consumer's properties: System Trader's, then {@link BusConfig#clientProperties}, then the contract. */
    static Properties consumerProperties(BusConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId() + "-bus-consumer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        long session = config.sessionTimeout().toMillis();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(session));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.min(3_000, session / 3)));
        p.putAll(config.clientProperties());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // offsets only after the database commit
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Stops polling, commits what the database committed (waiting up to 30 s for the writer), leaves the group. */
    @Override public void close() {
        synchronized (this) {
            if (!running) return;
            running = false;
        }
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) c.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events decoded and handed to the writer. */
    public long eventsConsumed() { return consumed.get(); }
    /** Values that did not decode (skipped). */
    public long undecodable() { return undecodable.get(); }
    /** Offset commits made. */
    public long offsetCommits() { return commits.get(); }
    /** Events handed to the writer whose offsets are not committed yet. */
    public long uncommittedEvents() { return uncommittedEvents.get(); }
    /** The lag of each assigned partition (records behind its end) as the last fetch saw it; empty when unassigned. */
    public Map<TopicPartition, Long> partitionLag() { return partitionLag; }
    /**
     * Events this consumer is behind: the partitions' lag plus what it handed over and the destination has not
     * made durable yet.
     */
    public long lag() {
        long sum = uncommittedEvents.get();
        for (long l : partitionLag.values()) sum += l;
        return sum;
    }
    /** True while the consumer thread runs (false before {@link #start()}, after {@link #close()} or a fatal error). */
    public boolean running() { return running && thread.isAlive(); }

    /** Why the broker refused the last poll (authentication, authorization), or null when it answered it. */
    public String refused() { return refused; }

    private void register(MeterRegistry r) {
        FunctionCounter.builder("bus.consumer.events", consumed, AtomicLong::get)
                .description("events decoded and handed to the storage writer").register(r);
        FunctionCounter.builder("bus.consumer.undecodable", undecodable, AtomicLong::get)
                .description("record values that did not decode (skipped)").register(r);
        FunctionCounter.builder("bus.consumer.commits", commits, AtomicLong::get)
                .description("offset commits, each after the database committed the events before them").register(r);
        FunctionCounter.builder("bus.consumer.rewinds", rewinds, AtomicLong::get)
                .description("times the consumer re-read from its committed offsets (the writer lost events)")
                .register(r);
        lagGauge = MultiGauge.builder("bus.consumer.lag")
                .description("records between the group's position and the partition's end (last fetch)").register(r);
        Gauge.builder("bus.consumer.uncommitted.events", uncommittedEvents, AtomicLong::get)
                .description("events handed to the storage writer whose offsets are not committed yet").register(r);
    }
}
