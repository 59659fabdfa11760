package com.systemtrader.bus;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.sink.EventBatch;
import com.systemtrader.sink.EventSink;
import com.systemtrader.sink.Overflow;
import com.systemtrader.storage.journal.JournalFullException;
import com.systemtrader.storage.journal.ReplayBatch;
import com.systemtrader.storage.journal.SpillJournal;
import com.systemtrader.support.Backoff;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka bus as a collector's {@link Overflow#SPILL} sink named {@code bus}: every cleaned event (trades, quotes,
 * bars, trade corrections and cancels, trading statuses, LULD bands, imbalances), each with its cleaner verdict, is
 * published as one Kafka record to the topic of its record type ({@link BusConfig#topicOf}), keyed by symbol (UTF-8)
 * so one symbol's events stay in order in one partition, valued as {@link BusEncoder} writes (docs/BUS_SCHEMA.md).
 * The producer is idempotent ({@code enable.idempotence=true}, {@code acks=all}, at most
 * {@value BusConfig#MAX_IN_FLIGHT} requests in flight per connection).
 *
 * <p><b>Why a module of its own.</b> {@code kafka-clients} brings a few megabytes and compression natives
 * (zstd-jni, lz4, snappy) that a library user of {@code system-trader-core} without Kafka should not carry; core
 * keeps no Kafka type, and this module only builds on core's sink seam and spill journal.
 *
 * <p><b>Threads and overflow.</b> {@link #accept} (pipeline thread) only puts the batch on a bounded intake queue
 * ({@link BusConfig#intakeEvents()} events) and returns; a batch that does not fit is dropped and counted
 * ({@code bus.sink.events.lost{reason=intake_full}}). The {@code bus-publisher} thread takes up to
 * {@link BusConfig#stepEvents()} events at a time and sends them (a publish step); while a step waits for its
 * acknowledgements the next one is sent, and the first is settled before a third is taken (at most two steps
 * unacknowledged: no idle round trip between steps; see {@code bench-bus} in docs/PERFORMANCE.md). A step that
 * fails (the broker away, a send that cannot get metadata within {@code deliveryTimeout}) goes whole to the
 * {@link SpillJournal}, the step sent after it behind it, the producer is closed, and from then on the publisher <em>spills</em>: everything
 * the intake holds goes to the journal behind it, so nothing overtakes it; after a back-off
 * ({@link BusConfig#retryMin()} doubling to {@link BusConfig#retryMax()}, with jitter) a new producer replays the
 * journal, oldest batch first, one step at a time, each step acknowledged in the journal after the broker
 * acknowledged all of it; while a step waits, the intake keeps draining into the journal. When the journal is empty,
 * the publisher sends directly again. A batch the journal refuses (disk budget, I/O error) is counted lost with
 * that reason. The intake must hold what arrives while a direct step waits for a failing broker (at most
 * {@code deliveryTimeout}): size {@code intakeEvents} to the message rate times that timeout.
 *
 * <p><b>Delivery.</b> At least once into the topics: a step that failed part way may have had some records written
 * before it went to the journal, and those are published again on replay. The consumers' writes are idempotent
 * ({@code websocket_data}'s keys), so the database holds each event once.
 *
 * <p><b>Lifecycle.</b> The constructor starts nothing; {@link #start()} starts the publisher thread, which replays
 * a journal left behind before new batches. {@link #close(Duration)} stops taking batches, publishes what is in
 * memory within the deadline and journals whatever that cuts (everything at once while the broker is away).
 */
public final class BusSink implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusSink.class);
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A batch on its way: the carried events and their verdicts. */
    private record Chunk(List<MarketEvent> events, int[] flags) {}

    private final BusConfig config;
    private final SpillJournal journal;
    private final Backoff backoff;
    private final LinkedBlockingQueue<Chunk> intake = new LinkedBlockingQueue<>();
    private final AtomicLong intakeEvents = new AtomicLong();
    /** Events taken by {@link #accept} and not yet acknowledged by the broker, journaled or counted lost. */
    private final AtomicLong inFlight = new AtomicLong();
    private final Thread thread;
    private final BusEncoder encoder = new BusEncoder(); // publisher thread
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong lostIntakeFull = new AtomicLong();
    private final AtomicLong lostJournal = new AtomicLong();
    private final AtomicLong lostClosed = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private volatile boolean closing;
    private volatile boolean started;
    private volatile long drainDeadlineNanos;
    /** When the broker stopped acknowledging ({@code System.nanoTime()}), or 0 while it does. */
    private volatile long downSinceNanos;
    /** Publisher thread: true while new batches go to the journal behind the ones not yet replayed. */
    private volatile boolean spilling;

    // publisher-thread state
    private KafkaProducer<byte[], byte[]> producer;
    /** Direct publishing: the step sent and not yet settled (at most one while the next is sent). */
    private Step pending;
    private final java.util.HashMap<String, byte[]> keys = new java.util.HashMap<>();
    private int failures;
    private long retryAt;

    /**
     * @param journal this sink's own spill journal (a directory of its own: one journal per directory)
     * @param registry where the {@code bus.sink.*} meters go; null for none
     */
    public BusSink(BusConfig config, SpillJournal journal, MeterRegistry registry) {
        this.config = config;
        this.journal = journal;
        this.backoff = Backoff.of(config.retryMin(), config.retryMax());
        this.thread = Thread.ofPlatform().name("bus-publisher").daemon(false).unstarted(this::run);
        if (registry != null) register(registry);
    }

    /** Starts the publisher thread (a journal left behind is replayed before new batches). */
    public synchronized BusSink start() {
        if (started || closing) throw new IllegalStateException("a bus sink starts once");
        started = true;
        spilling = journal.batchesPending() > 0;
        retryAt = System.nanoTime();
        thread.start();
        return this;
    }

    @Override public String name() { return "bus"; }

    @Override public Overflow overflow() { return Overflow.SPILL; }

    /** Pipeline thread: never waits. */
    @Override public void accept(EventBatch batch) {
        int n = batch.size();
        if (n == 0) return;
        if (closing) {
            lostClosed.addAndGet(n);
            return;
        }
        if (intakeEvents.addAndGet(n) > config.intakeEvents()) {
            intakeEvents.addAndGet(-n);
            lostIntakeFull.addAndGet(n);
            return;
        }
        inFlight.addAndGet(n);
        intake.add(new Chunk(batch.events(), batch.flags())); // the batch is immutable: its list is kept as is
    }

    // ---------------------------------------------------------------- publisher thread

    private void run() {
        if (spilling) {
            log.info("bus sink: {} batches left in the spill journal {} are published before new ones",
                    journal.batchesPending(), journal.directory());
        }
        try {
            while (true) {
                if (!spilling) {
                    // the next step is sent while the one before waits for its acknowledgements (no idle round trip
                    // between steps); the one before is settled (acknowledged, or journaled with this one behind it)
                    // before another is taken: at most two steps unacknowledged
                    Chunk next = take(pending == null ? 50 : 0);
                    if (next == null) {
                        if (pending != null) {
                            settle(pending, null);
                            pending = null;
                        } else if (closing && intake.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    if (pastDeadline()) {
                        if (pending != null) settle(pending, null);
                        pending = null;
                        spilling = true;
                        toJournal(next, "at shutdown");
                        continue;
                    }
                    Step sent = send(next);
                    Step before = pending;
                    pending = sent;
                    if (before != null && !settle(before, sent)) pending = null;
                } else {
                    drainToJournal();
                    if (journal.batchesPending() == 0) {
                        if (intake.isEmpty()) {
                            spilling = false;
                            log.info("bus sink: caught up with the spill journal; publishing directly again");
                        }
                        continue;
                    }
                    if (closing && (pastDeadline() || downSinceNanos != 0)) {
                        if (intake.isEmpty()) break; // the journal keeps the rest for the next start
                        continue;
                    }
                    if (System.nanoTime() - retryAt >= 0) {
                        replayStep();
                    } else {
                        Chunk next = take(20);
                        if (next != null) toJournal(next, "behind the journal");
                    }
                }
            }
        } finally {
            closeProducer(Duration.ofSeconds(5));
        }
    }

    /**
     * Publisher thread, direct publishing: waits for {@code step}'s acknowledgements. When it failed, it goes to the
     * journal, and {@code behind} (sent after it, aborted with the producer) goes behind it, so that the journal
     * keeps their order. False when it failed.
     */
    private boolean settle(Step step, Step behind) {
        if (await(step)) {
            inFlight.addAndGet(-step.chunk.events().size());
            return true;
        }
        spilling = true;
        toJournal(step.chunk, closing ? "at shutdown" : "broker away");
        if (behind != null) toJournal(behind.chunk, closing ? "at shutdown" : "broker away");
        return false;
    }

    /** Up to {@code stepEvents} events of whole intake batches; waits up to {@code waitMillis} for the first. */
    private Chunk take(long waitMillis) {
        Chunk first;
        try {
            first = waitMillis == 0 ? intake.poll() : intake.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            closing = true;
            drainDeadlineNanos = System.nanoTime();
            first = intake.poll();
        }
        if (first == null) return null;
        List<MarketEvent> events = new ArrayList<>(first.events());
        int[] flags = first.flags();
        int n = events.size();
        Chunk more;
        while (n < config.stepEvents() && (more = intake.peek()) != null
                && n + more.events().size() <= Math.max(config.stepEvents(), n)) {
            intake.poll();
            if (n + more.events().size() > flags.length) flags = java.util.Arrays.copyOf(flags,
                    Math.max(n + more.events().size(), 2 * n));
            System.arraycopy(more.flags(), 0, flags, n, more.events().size());
            events.addAll(more.events());
            n += more.events().size();
        }
        intakeEvents.addAndGet(-n);
        return new Chunk(events, flags.length == n ? flags : java.util.Arrays.copyOf(flags, n));
    }

    /** Everything in the intake to the journal, in order, about {@code stepEvents} events per journal record. */
    private void drainToJournal() {
        Chunk c;
        while (!intake.isEmpty() && (c = take(20)) != null) toJournal(c, "behind the journal");
    }

    private void toJournal(Chunk c, String why) {
        try {
            journal.append(c.events(), c.flags());
            spilled.addAndGet(c.events().size());
            inFlight.addAndGet(-c.events().size());
        } catch (JournalFullException e) {
            inFlight.addAndGet(-c.events().size());
            lostJournal.addAndGet(c.events().size());
            log.error("bus sink: {} events lost ({}): {}", c.events().size(), why, e.getMessage());
        } catch (Exception e) {
            inFlight.addAndGet(-c.events().size());
            lostJournal.addAndGet(c.events().size());
            log.error("bus sink: {} events lost ({}): spill journal append failed: {}", c.events().size(), why,
                    e.toString());
        }
    }

    /** Publisher thread: the oldest journaled batches, published and then acknowledged in the journal. */
    private void replayStep() {
        ReplayBatch b;
        try {
            b = journal.read(config.stepEvents());
        } catch (Exception e) {
            log.error("bus sink: spill journal {} cannot be read: {}", journal.directory(), e.toString());
            markDown();
            return;
        }
        if (b == null) return;
        if (!publish(b.events(), b.flags())) return;
        try {
            journal.acknowledge(b);
            replayed.addAndGet(b.events().size());
        } catch (Exception e) {
            log.error("bus sink: spill journal acknowledgement failed (the batch will be published again): {}",
                    e.toString());
            markDown();
        }
    }

    /** A publish step on its way: its events, and their acknowledgements as the producer reports them. */
    private static final class Step implements Callback {
        final Chunk chunk;
        /** The sends not yet acknowledged, and the sending thread's guard (1 until it sent them all). */
        final AtomicInteger outstanding = new AtomicInteger(1);
        final AtomicReference<Exception> error = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);

        Step(Chunk chunk) { this.chunk = chunk; }

        /** Producer I/O thread (one callback object for all the step's records). */
        @Override public void onCompletion(RecordMetadata md, Exception ex) {
            if (ex != null) error.compareAndSet(null, ex);
            if (outstanding.decrementAndGet() == 0) done.countDown();
        }
    }

    /** Publisher thread: sends every event and waits for all acknowledgements; see {@link #await}. */
    private boolean publish(List<MarketEvent> events, int[] flags) {
        return await(send(new Chunk(events, flags)));
    }

    /**
     * Publisher thread: sends every event of the chunk (without waiting for acknowledgements); stops at the first
     * failure, which the step then carries.
     */
    private Step send(Chunk chunk) {
        Step step = new Step(chunk);
        List<MarketEvent> events = chunk.events();
        int[] flags = chunk.flags();
        try {
            if (producer == null) producer = new KafkaProducer<>(producerProperties(config));
            // stops at the first failure: with no metadata each send would wait max.block.ms
            for (int i = 0; i < events.size() && step.error.get() == null; i++) {
                MarketEvent e = events.get(i);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(config.topicOf(e), key(e.symbol()),
                        encoder.encode(e, flags[i]));
                step.outstanding.incrementAndGet();
                try {
                    producer.send(r, step);
                } catch (RuntimeException ex) {
                    step.outstanding.decrementAndGet(); // never sent: no callback
                    throw ex;
                }
            }
        } catch (RuntimeException e) { // send: no metadata within max.block.ms, a closed or fenced producer...
            step.error.compareAndSet(null, e);
        } finally {
            if (step.outstanding.decrementAndGet() == 0) step.done.countDown(); // the guard
        }
        return step;
    }

    /** Publisher thread: a symbol's key bytes (UTF-8), kept for the symbols seen. */
    private byte[] key(String symbol) {
        byte[] k = keys.get(symbol);
        if (k == null) {
            if (keys.size() >= 100_000) keys.clear(); // bounded whatever arrives
            k = symbol.getBytes(StandardCharsets.UTF_8);
            keys.put(symbol, k);
        }
        return k;
    }

    /**
     * Publisher thread: waits for all the step's acknowledgements (while spilling, draining the intake into the
     * journal meanwhile). False (producer closed, back-off started) when any failed.
     */
    private boolean await(Step step) {
        int n = step.chunk.events().size();
        AtomicReference<Exception> error = step.error;
        try {
            long giveUpAt = System.nanoTime() + config.deliveryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            while (!step.done.await(WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                if (spilling) drainToJournal();
                if (System.nanoTime() - giveUpAt >= 0) {
                    error.compareAndSet(null, new java.util.concurrent.TimeoutException("no acknowledgement within "
                            + config.deliveryTimeout().plusSeconds(5)));
                    break;
                }
            }
        } catch (InterruptedException e) {
            closing = true;
            drainDeadlineNanos = System.nanoTime();
            error.compareAndSet(null, e);
        }
        Exception failure = error.get();
        if (failure == null) {
            published.addAndGet(n);
            if (downSinceNanos != 0) {
                log.info("bus sink: broker {} is back after {} s", config.bootstrapServers(),
                        Duration.ofNanos(System.nanoTime() - downSinceNanos).toSeconds());
            }
            downSinceNanos = 0;
            failures = 0;
            return true;
        }
        publishFailures.incrementAndGet();
        if (downSinceNanos == 0) {
            log.warn("bus sink: publishing {} events to {} failed; spilling to the journal {} and retrying with "
                    + "back-off: {}", n, config.bootstrapServers(), journal.directory(), failure.toString());
        }
        closeProducer(Duration.ZERO);
        markDown();
        return false;
    }

    private void markDown() {
        if (downSinceNanos == 0) downSinceNanos = System.nanoTime();
        retryAt = System.nanoTime() + backoff.delayNanos(++failures, ThreadLocalRandom.current());
    }

    private void closeProducer(Duration timeout) {
        if (producer == null) return;
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            log.debug("bus sink: producer close: {}", e.toString());
        }
        producer = null;
    }

    /**
     * The producer settings a sink of {@code config} uses: System Trader's defaults ({@code linger.ms=5},
     * {@code batch.size=65536}, timeouts from {@link BusConfig#deliveryTimeout}), then the configured client
     * properties, then the delivery contract (idempotence, {@code acks=all}, {@value BusConfig#MAX_IN_FLIGHT} in
     * flight), which they cannot override. Public for {@code bench-bus}, which gives Kafka's own producer benchmark
     * the same settings.
     */
    public static Properties producerProperties(BusConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId() + "-bus-sink");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        int delivery = (int) config.deliveryTimeout().toMillis();
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(500, delivery / 2)));
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.putAll(config.clientProperties());
        // the delivery contract: not overridable
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, String.valueOf(BusConfig.MAX_IN_FLIGHT));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(delivery));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private boolean pastDeadline() {
        return closing && System.nanoTime() - drainDeadlineNanos >= 0;
    }

    // ---------------------------------------------------------------- lifecycle, state

    @Override public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops taking batches, publishes what is in memory within {@code drain} and journals what that cuts (at once
     * while the broker is away); the journal keeps it for the next start. Idempotent.
     */
    public void close(Duration drain) {
        synchronized (this) {
            if (closing) return;
            drainDeadlineNanos = System.nanoTime() + drain.toNanos();
            closing = true;
        }
        if (started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        } else {
            Chunk c;
            while ((c = intake.poll()) != null) {
                intakeEvents.addAndGet(-c.events().size());
                toJournal(c, "never started");
            }
        }
    }

    /** Events waiting in the intake. */
    @Override public long depth() { return intakeEvents.get(); }

    /** Events lost: intake full, refused by the journal, or handed over after close. */
    @Override public long dropped() { return lostIntakeFull.get() + lostJournal.get() + lostClosed.get(); }

    /** Events the broker acknowledged (directly or on replay). */
    public long eventsPublished() { return published.get(); }
    /** Events appended to the spill journal. */
    public long eventsSpilled() { return spilled.get(); }
    /** Journaled events the broker acknowledged on replay. */
    public long eventsReplayed() { return replayed.get(); }
    /** Publish steps that failed. */
    public long publishFailures() { return publishFailures.get(); }
    /** True while the broker does not acknowledge. */
    public boolean brokerDown() { return downSinceNanos != 0; }
    /**
     * True when everything handed over is settled: acknowledged by the broker or counted lost, nothing in memory and
     * nothing journaled.
     */
    public boolean idle() { return inFlight.get() == 0 && journal.batchesPending() == 0; }
    public SpillJournal journal() { return journal; }

    private void register(MeterRegistry r) {
        counter(r, "bus.sink.events.published", "events the broker acknowledged (directly or on replay)", published);
        counter(r, "bus.sink.events.spilled", "events appended to the spill journal", spilled);
        counter(r, "bus.sink.events.replayed", "journaled events the broker acknowledged on replay", replayed);
        counter(r, "bus.sink.publish.failures", "publish steps that failed (then journaled)", publishFailures);
        String lost = "events lost, by reason: the intake full, the journal refusing them, handed over after close";
        FunctionCounter.builder("bus.sink.events.lost", lostIntakeFull, AtomicLong::get)
                .tags(Tags.of("reason", "intake_full")).description(lost).register(r);
        FunctionCounter.builder("bus.sink.events.lost", lostJournal, AtomicLong::get)
                .tags(Tags.of("reason", "journal")).description(lost).register(r);
        FunctionCounter.builder("bus.sink.events.lost", lostClosed, AtomicLong::get)
                .tags(Tags.of("reason", "closed")).description(lost).register(r);
        Gauge.builder("bus.sink.intake.events", intakeEvents, AtomicLong::get)
                .description("events waiting in the intake (bounded by intake events)").register(r);
        Gauge.builder("bus.sink.unacknowledged.events", inFlight, AtomicLong::get)
                .description("events taken and not yet acknowledged by the broker, journaled or counted lost "
                        + "(the producer's lag)").register(r);
        Gauge.builder("bus.sink.journal.batches", journal, SpillJournal::batchesPending)
                .description("batches waiting in the bus spill journal for the broker").register(r);
        Gauge.builder("bus.sink.broker.down", this, s -> s.brokerDown() ? 1 : 0)
                .description("1 while the broker does not acknowledge").register(r);
    }

    private static void counter(MeterRegistry r, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(r);
    }
}
