package com.systemtrader.backfill;

import com.systemtrader.collector.Gap;
import com.systemtrader.collector.MarketDataListener;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.schema.MarketEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backfills by itself: whenever a watched collector streams again after an outage, the gaps its
 * {@link com.systemtrader.collector.GapLedger} closed since the last look are backfilled; optionally, on the first
 * time it streams, each subscribed symbol is backfilled from its newest stored trade (a process killed without
 * draining). The hook is {@link MarketDataListener#onStatus}: the collector closes the gap in its ledger just before
 * it reports {@code STREAMING}, so reading the ledger then finds the gap closed.
 *
 * <p>Backfills run one at a time on one thread (REST rate limits are per key, so parallel backfills would only queue
 * at the limiter). The queue is bounded ({@link BackfillConfig#queueCapacity()}); <b>overflow policy: drop the new
 * job</b>, counted in {@code backfill.queue.dropped}, logged, and shown as failed in the recent list (its gap stays in
 * the collector's ledger for a manual backfill). {@code backfill.queue.depth} exports the queue. The listener itself
 * never blocks the collector's pipeline thread. Close drains: the running backfill ends, queued ones are dropped.
 */
public final class AutoBackfill implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoBackfill.class);

    private final GapBackfiller backfiller;
    private final ThreadPoolExecutor executor;
    private final Counter dropped;
    private final AtomicLong completed = new AtomicLong();
    private final List<Watch> watches = new ArrayList<>();
    private volatile boolean closed;

    public AutoBackfill(GapBackfiller backfiller, MeterRegistry registry) {
        this.backfiller = backfiller;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(backfiller.config().queueCapacity()), r -> {
                    Thread t = new Thread(r, "backfill");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
        this.dropped = Counter.builder("backfill.queue.dropped")
                .description("backfill jobs dropped because the queue was full").register(r);
        Gauge.builder("backfill.queue.depth", executor, e -> e.getQueue().size())
                .description("backfill jobs waiting").register(r);
    }

    /**
     * Backfills {@code collector}'s gaps from now on (and the ones it already closed). Attach before or after
     * {@link WebsocketCollector#start()}.
     *
     * @param sinceLastStored when not null, on the collector's first {@code STREAMING} its subscribed symbols are
     *                        backfilled from their newest stored trade, at most this far back
     */
    public synchronized void watch(WebsocketCollector collector, Duration sinceLastStored) {
        watch(collector, sinceLastStored, GapBackfiller.RESTART_CAUSE);
    }

    /**
     * As {@link #watch(WebsocketCollector, Duration)}, the backfill since the last stored trade recorded in the
     * {@code gap_ledger} with {@code restartCause} (e.g. the hand-over of a feed from another process).
     */
    public synchronized void watch(WebsocketCollector collector, Duration sinceLastStored, String restartCause) {
        if (closed) throw new IllegalStateException("closed");
        Watch w = new Watch(collector, sinceLastStored, restartCause);
        watches.add(w);
        collector.addListener(w);
    }

    /** Queues a backfill; false when the queue was full or this is closed (the job is then recorded as failed). */
    public boolean submit(BackfillRequest request) {
        return submit(request, () -> backfiller.backfill(request));
    }

    private boolean submit(BackfillRequest request, Runnable job) {
        if (closed) {
            backfiller.recent().add(BackfillResult.notRun(request, "not run: backfill is shutting down"));
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    job.run();
                } catch (RuntimeException e) {
                    LOG.error("backfill job failed", e);
                } finally {
                    completed.incrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            dropped.increment();
            LOG.warn("backfill queue full ({} waiting): dropped the backfill of {} {} {} from {}", executor.getQueue()
                    .size(), request.source(), request.feed(), request.symbols(), request.startNs());
            backfiller.recent().add(BackfillResult.notRun(request, "not run: backfill queue full"));
            return false;
        }
    }

    /** Backfills that ran to their end (any outcome). */
    public long completed() { return completed.get(); }

    /** Jobs waiting or running. */
    public int pending() { return executor.getQueue().size() + executor.getActiveCount(); }

    /** Waits until no job is queued or running; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (executor.getQueue().isEmpty() && executor.getActiveCount() == 0) return true;
            Thread.sleep(20);
        }
        return false;
    }

    /** Stops watching, lets the running backfill end (at most {@code 30 s}) and drops queued ones. */
    @Override public void close() {
        List<Watch> ws;
        synchronized (this) {
            if (closed) return;
            closed = true;
            ws = new ArrayList<>(watches);
        }
        for (Watch w : ws) w.collector.removeListener(w);
        List<Runnable> left = new ArrayList<>();
        executor.getQueue().drainTo(left);
        executor.shutdown();
        if (!left.isEmpty()) LOG.warn("backfill stopping: {} queued backfill(s) not run", left.size());
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("backfill thread did not end in 30 s: interrupting it");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The listener on one collector: called on its pipeline thread, only reads the ledger and queues. */
    private final class Watch implements MarketDataListener {
        final WebsocketCollector collector;
        final Duration sinceLastStored;
        final String restartCause;
        /** Pipeline thread only: the newest gap end already queued. */
        long lastEndNs;
        boolean streamedOnce;
        /** Pipeline thread only: when the collector first connected (nothing was received before). */
        long firstConnectNs;

        Watch(WebsocketCollector collector, Duration sinceLastStored, String restartCause) {
            this.collector = collector;
            this.sinceLastStored = sinceLastStored;
            this.restartCause = restartCause;
        }

        @Override public void onEvent(MarketEvent event) {}

        @Override public void onStatus(ConnectionStatus status) {
            if (firstConnectNs == 0 && status.state() == ConnectionStatus.State.CONNECTING) {
                firstConnectNs = status.timeNs();
            }
            if (status.state() != ConnectionStatus.State.STREAMING) return;
            for (Gap g : collector.gapLedger().gaps()) {
                if (g.isOpen() || g.endNs() <= lastEndNs) continue;
                lastEndNs = g.endNs();
                submit(BackfillRequest.of(g));
            }
            if (!streamedOnce) {
                streamedOnce = true;
                if (sinceLastStored != null) restart(firstConnectNs != 0 ? firstConnectNs : status.timeNs());
            }
        }

        /** Since the last trade received before {@code liveSinceNs}, when this process's live feed began. */
        private void restart(long liveSinceNs) {
            Set<String> symbols = new TreeSet<>();
            List<String> channels = new ArrayList<>();
            collector.desiredSubscriptions().forEach((channel, syms) -> {
                if (!syms.isEmpty()) channels.add(channel);
                symbols.addAll(syms);
            });
            symbols.remove("*");
            if (symbols.isEmpty()) return;
            Collection<String> chosen = List.copyOf(symbols);
            BackfillRequest label = new BackfillRequest(collector.source(), collector.feedName(), channels,
                    List.copyOf(chosen), 0, 0, restartCause, BackfillRequest.Trigger.RESTART);
            submit(label, () -> backfiller.backfillSinceLastStored(collector.source(), collector.feedName(), channels,
                    chosen, sinceLastStored, liveSinceNs, restartCause));
        }
    }
}
