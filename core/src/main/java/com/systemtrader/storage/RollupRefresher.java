package com.systemtrader.storage;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.systemtrader.support.LogLimiter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recomputes the materialized OHLCV roll-ups (PostgreSQL mode) over the minutes the storage writer wrote trades into
 * or changed stored trades of (late and replayed trades, corrections, cancels), off the writer's threads: the writer
 * hands it those minutes ({@link DirtyRollups}) and goes on.
 *
 * <h2>Pending set</h2>
 * A bounded, coalescing set of one-minute buckets plus one overflow span. {@link #markDirty} takes a short monitor,
 * never waits for the database and never blocks on a full set. A minute already pending (or inside the span) is one
 * entry: the add is counted as coalesced. <b>Overflow policy: widen</b>: when {@link Settings#capacity()} minutes
 * are pending and another one arrives, all of them fold into one span {@code [min, max)} (and later marks outside it
 * stretch it), so memory stays bounded and no dirty range is ever forgotten; the price is a wider refresh.
 *
 * <h2>Refresh</h2>
 * One thread, {@code rollup-refresher}, with one connection of its own. A cycle starts when something is pending
 * and at least {@link Settings#interval()} (default 5 s) has passed since the previous cycle started; it takes the
 * whole set, merges it into ranges, and hands them to the mode's {@link RollupRanges} (PostgreSQL:
 * {@code refresh_ohlcv_buckets} per level, each materialized bucket overlapping the ranges once). So a bucket is
 * refreshed at most once per interval, however many corrections touch it.
 *
 * <h2>No race with the maintenance</h2>
 * {@code refresh_ohlcv} itself takes a transaction-level advisory lock per level before it reads the watermark or
 * touches the table (db/postgresql/R__rollup_refresh.sql), so this refresher, the maintenance scheduler's roll-up
 * task and any other caller, in any process, refresh a level one after the other and never hit the duplicate key
 * (23505) two interleaved DELETE + INSERT refreshes used to raise.
 *
 * <h2>Failures</h2>
 * A failed cycle puts its ranges back in the pending set (nothing is lost), drops the connection when it no longer
 * answers, and is tried again one interval later; failures are counted and logged at most once a minute. In
 * TimescaleDB mode ({@link RollupRanges.Timescale}) the buckets of a range each continuous aggregate's policy would
 * materialize are refreshed here; newer ones are the aggregates' real-time part. A database without roll-ups (not migrated)
 * gets nothing: the ranges are discarded and counted.
 *
 * <p>Lifecycle: the constructor starts nothing; {@link #start()} starts the thread; {@link #close()} stops taking
 * part in new cycles, refreshes what is pending once more and waits at most {@link Settings#closeDeadline()}
 * (then aborts the connection and logs what was left).
 *
 * <p>Meters: {@code storage.rollups.pending} (gauge: minutes plus span pending), {@code storage.rollups.refreshes}
 * (buckets recomputed, all levels), {@code storage.rollups.cycles}, {@code storage.rollups.failures},
 * {@code storage.rollups.coalesced} (marks that added nothing new), {@code storage.rollups.widened} (overflows
 * folded into the span), {@code storage.rollups.discarded} (ranges dropped: no roll-ups in the database).
 */
public final class RollupRefresher implements DirtyRollups, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RollupRefresher.class);
    private final LogLimiter failureLog = LogLimiter.perMinute();
    private final LogLimiter noFunctionLog = LogLimiter.perMinute();

    /**
     * @param interval      the shortest time between two refresh cycles (so between two refreshes of one bucket)
     * @param capacity      distinct minutes kept before they fold into one span
     * @param closeDeadline how long {@link #close()} may spend on the last refresh
     */
    public record Settings(Duration interval, int capacity, Duration closeDeadline) {
        public Settings {
            if (interval.isNegative()) throw new IllegalArgumentException("interval must be >= 0");
            if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
            if (closeDeadline.isNegative()) throw new IllegalArgumentException("closeDeadline must be >= 0");
        }

        /** 5 s, 10 000 minutes (about a week of one symbol's minutes, ~1 MB), 10 s. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), 10_000, Duration.ofSeconds(10));
        }

        public Settings withInterval(Duration d) {
            return new Settings(d, capacity, closeDeadline);
        }

        public Settings withCapacity(int n) {
            return new Settings(interval, n, closeDeadline);
        }
    }

    private final StorageWriter.ConnectionSource source;
    private final Settings settings;
    private final Thread thread;

    // pending set, guarded by `this`
    private HashSet<Long> minutes = new HashSet<>();   // epoch seconds of minute starts
    private long spanFrom = Long.MAX_VALUE;              // overflow span [spanFrom, spanTo), empty when from >= to
    private long spanTo = Long.MIN_VALUE;
    private int inFlight;                                // cycles running (0 or 1)
    private boolean started;
    private volatile boolean closing;

    // refresher-thread state
    private Connection connection;
    /** How this database's roll-ups are refreshed; null: it has none. */
    private RollupRanges ranges;
    private long lastCycle;

    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong widened = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong marks = new AtomicLong();

    /** @param registry null: no meters */
    public RollupRefresher(StorageWriter.ConnectionSource source, Settings settings, MeterRegistry registry) {
        this.source = source;
        this.settings = settings;
        this.thread = Thread.ofPlatform().name("rollup-refresher").daemon(true).unstarted(this::run);
        if (registry != null) register(registry);
    }

    /** Starts the refresher thread (once). */
    public synchronized void start() {
        if (closing) throw new IllegalStateException("roll-up refresher closed");
        if (started) return;
        started = true;
        lastCycle = System.nanoTime() - settings.interval().toNanos();
        thread.start();
    }

    @Override public void markDirty(long fromEpochSecond, long toEpochSecond) {
        if (toEpochSecond <= fromEpochSecond) return;
        long first = Math.floorDiv(fromEpochSecond, 60) * 60;
        long end = -Math.floorDiv(-toEpochSecond, 60) * 60;   // exclusive, rounded up to a minute
        marks.incrementAndGet();
        synchronized (this) {
            if (first >= spanFrom && end <= spanTo) {
                coalesced.incrementAndGet();
                return;
            }
            long n = (end - first) / 60;
            if (minutes.size() + n > settings.capacity()) {
                widen(first, end);
            } else {
                boolean added = false;
                for (long m = first; m < end; m += 60) added |= minutes.add(m);
                if (!added) coalesced.incrementAndGet();
            }
            notifyAll();
        }
    }

    /** Folds every pending minute and {@code [first, end)} into the span. Holds the monitor. */
    private void widen(long first, long end) {
        long from = Math.min(spanFrom, first), to = Math.max(spanTo, end);
        for (long m : minutes) {
            from = Math.min(from, m);
            to = Math.max(to, m + 60);
        }
        minutes = new HashSet<>();
        spanFrom = from;
        spanTo = to;
        widened.incrementAndGet();
    }

    /** Minutes pending, plus one for a pending span. */
    public synchronized int pending() {
        return minutes.size() + (spanFrom < spanTo ? 1 : 0);
    }

    /** True when nothing is pending and no cycle is running. */
    public synchronized boolean idle() {
        return inFlight == 0 && minutes.isEmpty() && spanFrom >= spanTo;
    }

    /** The pending ranges {@code [from, to)} in epoch seconds, merged and sorted (a copy). */
    public synchronized List<long[]> pendingRanges() {
        return ranges(minutes, spanFrom, spanTo);
    }

    private void run() {
        try {
            while (true) {
                List<long[]> work;
                synchronized (this) {
                    while (!closing && (minutes.isEmpty() && spanFrom >= spanTo || !due())) {
                        long waitMs = minutes.isEmpty() && spanFrom >= spanTo ? 1000
                                : Math.max(1, TimeUnit.NANOSECONDS.toMillis(lastCycle + settings.interval().toNanos()
                                        - System.nanoTime()));
                        wait(waitMs);
                    }
                    if (closing && minutes.isEmpty() && spanFrom >= spanTo) break;
                    work = ranges(minutes, spanFrom, spanTo);
                    minutes = new HashSet<>();
                    spanFrom = Long.MAX_VALUE;
                    spanTo = Long.MIN_VALUE;
                    inFlight++;
                    lastCycle = System.nanoTime();
                }
                boolean ok;
                try {
                    ok = refresh(work);
                } finally {
                    synchronized (this) {
                        inFlight--;
                        notifyAll();
                    }
                }
                if (closing && !ok) break;   // closing: no retries; what is left was put back and is logged
            }
        } catch (InterruptedException e) {
            // close() ran out of time
        } finally {
            closeConnection();
        }
    }

    private boolean due() {
        return System.nanoTime() - lastCycle >= settings.interval().toNanos();
    }

    /** One cycle over every level ({@link RollupRanges}); false (the ranges put back) on failure. */
    private boolean refresh(List<long[]> work) {
        cycles.incrementAndGet();
        try {
            Connection c = connection();
            if (ranges == null) {
                discarded.addAndGet(work.size());
                if (noFunctionLog.admit() >= 0) {
                    log.info("roll-up refresher: the database has no roll-ups (a schema older than this build, or"
                            + " not migrated yet: run db migrate); {} ranges dropped", work.size());
                }
                closeConnection();   // look again next time (after a migration)
                return true;
            }
            refreshes.addAndGet(ranges.refresh(c, work, Instant.now().getEpochSecond()));
            return true;
        } catch (SQLException | RuntimeException e) {
            failures.incrementAndGet();
            synchronized (this) {
                for (long[] r : work) putBack(r[0], r[1]);
            }
            failed(e);
            dropConnection();
            return false;
        }
    }

    /** Re-marks a range a failed cycle took (no counters). Holds the monitor. */
    private void putBack(long from, long to) {
        if (from >= spanFrom && to <= spanTo) return;
        if (minutes.size() + (to - from) / 60 > settings.capacity()) widen(from, to);
        else for (long m = from; m < to; m += 60) minutes.add(m);
    }

    private void failed(Exception e) {
        long skipped = failureLog.admit();
        if (skipped < 0) return;
        String state = e instanceof SQLException s ? " (SQLSTATE " + s.getSQLState() + ")" : "";
        log.warn("roll-up refresh of the written minutes failed{}: {}; kept pending, retried in {}{}", state,
                e.getMessage(), settings.interval(), LogLimiter.skippedNote(skipped));
    }

    private Connection connection() throws SQLException {
        if (connection != null) return connection;
        Connection c = source.open();
        try {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = 'system-trader rollups'");
                for (String setting : MaintenanceRollups.BACKGROUND_SESSION) s.execute(setting);
            }
            ranges = RollupRanges.of(c);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken anyway
            }
            throw e;
        }
        connection = c;
        return c;
    }

    private void dropConnection() {
        Connection c = connection;
        if (c == null) return;
        try {
            if (c.isValid(2)) {
                if (!c.getAutoCommit()) c.rollback();
                return;   // a statement failed, the connection is fine
            }
        } catch (SQLException ignored) {
            // close it below
        }
        closeConnection();
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // going away
        }
    }

    /** Stops after refreshing what is pending, waiting at most the close deadline. Idempotent. */
    @Override public void close() {
        synchronized (this) {
            if (closing) return;
            closing = true;
            notifyAll();
        }
        if (!thread.isAlive()) {
            if (pending() > 0) {
                log.warn("roll-up refresher closed before it started; {} pending ranges not refreshed",
                        pendingRanges().size());
            }
            return;
        }
        boolean done = join(settings.closeDeadline());
        if (!done) {
            Connection c = connection;
            log.warn("roll-up refresher: last refresh still running after {}; aborting it ({} ranges left to the"
                    + " maintenance's window)", settings.closeDeadline(), pendingRanges().size());
            thread.interrupt();
            try {
                if (c != null) c.close();
            } catch (SQLException ignored) {
                // aborting
            }
            join(Duration.ofSeconds(5));
        } else if (pending() > 0) {
            log.warn("roll-up refresher closed with {} ranges not refreshed (left to the maintenance's window)",
                    pendingRanges().size());
        }
    }

    private boolean join(Duration d) {
        try {
            return thread.join(d.isZero() ? Duration.ofMillis(1) : d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Minutes and the span as sorted, merged ranges {@code [from, to)}. */
    static List<long[]> ranges(HashSet<Long> minutes, long spanFrom, long spanTo) {
        long[] sorted = new long[minutes.size()];
        int i = 0;
        for (long m : minutes) sorted[i++] = m;
        Arrays.sort(sorted);
        List<long[]> out = new ArrayList<>();
        boolean spanDone = spanFrom >= spanTo;
        for (long m : sorted) {
            if (!spanDone && spanFrom <= m) {
                add(out, spanFrom, spanTo);
                spanDone = true;
            }
            add(out, m, m + 60);
        }
        if (!spanDone) add(out, spanFrom, spanTo);
        return out;
    }

    private static void add(List<long[]> out, long from, long to) {
        if (!out.isEmpty()) {
            long[] last = out.getLast();
            if (from <= last[1]) {
                last[1] = Math.max(last[1], to);
                return;
            }
        }
        out.add(new long[] {from, to});
    }

    /** Buckets recomputed so far, all levels. */
    public long refreshes() { return refreshes.get(); }
    /** Refresh cycles run (each over every level). */
    public long cycles() { return cycles.get(); }
    /** Cycles that failed (their ranges were put back). */
    public long failures() { return failures.get(); }
    /** Marks that added nothing new (already pending). */
    public long coalesced() { return coalesced.get(); }
    /** Times the pending set overflowed into the span. */
    public long widened() { return widened.get(); }
    /** Ranges dropped because the database has no roll-ups (not migrated). */
    public long discarded() { return discarded.get(); }
    /** Calls of {@link #markDirty}. */
    public long marks() { return marks.get(); }

    private void register(MeterRegistry r) {
        Gauge.builder("storage.rollups.pending", this, RollupRefresher::pending)
                .description("dirty roll-up minutes (plus one for an overflow span) waiting for a refresh").register(r);
        counter(r, "storage.rollups.refreshes", "roll-up buckets recomputed after trade corrections, all levels",
                refreshes);
        counter(r, "storage.rollups.cycles", "roll-up refresh cycles run", cycles);
        counter(r, "storage.rollups.failures", "roll-up refresh cycles that failed (their ranges stay pending)",
                failures);
        counter(r, "storage.rollups.coalesced", "dirty marks that were already pending", coalesced);
        counter(r, "storage.rollups.widened", "times the full pending set folded into one span", widened);
        counter(r, "storage.rollups.discarded", "dirty ranges dropped: the database has no roll-ups (not migrated)",
                discarded);
    }

    private static void counter(MeterRegistry r, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(r);
    }
}
