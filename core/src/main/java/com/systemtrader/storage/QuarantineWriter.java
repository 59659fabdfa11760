package com.systemtrader.storage;

import com.systemtrader.clean.Quarantine;
import com.systemtrader.clean.QuarantineRecord;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the records of one or more in-memory {@link Quarantine}s (one per collector) to the table
 * {@code quarantine}: per rejected message, the offending element (or a bounded prefix of an undecodable frame), its
 * JSON text ({@link QuarantineRecord#elementJson()}: MessagePack rendered here, off the pipeline thread), rule,
 * reason and context. Once per interval, {@link #start() its thread} takes from each quarantine the records added
 * since its cursor and inserts them in one batch, in one transaction, with {@code ON CONFLICT DO NOTHING}: a round
 * that is repeated (a commit whose answer was lost) adds nothing. The cursors move only when the round commits.
 *
 * <p>Queue and overflow: this writer keeps no queue of its own. The records wait in the collectors' quarantines,
 * each bounded by {@code cleaner.quarantine_capacity}; the overflow policy is <b>drop oldest</b>: when a quarantine
 * is full, its oldest record is evicted (counted by the cleaner as {@code cleaner.quarantine.evicted}), and the
 * evicted records this writer had not written yet are counted in {@code storage.quarantine.missed} and logged with
 * the reason (evicted from memory before they were written: the database was away or slower than the rejections).
 * The records not yet written are exported as {@code storage.quarantine.pending}. The collectors' pipelines are never
 * blocked: they only add to their quarantine.
 *
 * <p>Lifecycle: the constructor starts nothing; {@link #start()} starts the thread; {@link #close()} stops it after
 * final rounds that write what the collectors quarantined while stopping (it drains on the calling thread when the
 * writer was never started). {@link #flush()} runs rounds on the calling thread (tests, tools).
 *
 * <p>Metrics (when a registry is given): {@code storage.quarantine.written} (rows inserted),
 * {@code storage.quarantine.missed} (records evicted from a quarantine before this writer read them),
 * {@code storage.quarantine.pending} (records held in the quarantines, not written yet) and
 * {@code storage.quarantine.errors} (rounds that failed; retried the next round).
 */
public final class QuarantineWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineWriter.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Rows taken from one quarantine per round; a round that hits it is followed by another at once. */
    public static final int DEFAULT_MAX_ROWS = 5_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    static final String INSERT = "INSERT INTO quarantine (received_at, receive_ns, source, feed, symbol, record_type,"
            + " rule, reason, event_index, payload, payload_length, binary_payload, payload_scope, frame_length,"
            + " element) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (source, feed, receive_ns, event_index, rule) DO NOTHING";

    /** One registered quarantine and how far this writer has read it. */
    private static final class Cursor {
        final String source;
        final String feed;
        final Quarantine quarantine;
        volatile long seq;   // the last seq written (or counted missed)

        Cursor(String source, String feed, Quarantine quarantine) {
            this.source = source;
            this.feed = feed;
            this.quarantine = quarantine;
        }
    }

    private final StorageWriter.ConnectionSource connections;
    private final long intervalNanos;
    private final int maxRows;
    private final List<Cursor> cursors = new CopyOnWriteArrayList<>();
    private final Object wake = new Object();
    private final Object roundLock = new Object();
    private Thread thread;               // guarded by this: null until start()
    private volatile boolean closing;
    private boolean closed;              // guarded by this
    private Connection connection;       // guarded by roundLock
    private boolean failing;             // guarded by roundLock: the last round failed (log recovery once)

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private volatile String lastError;

    /** With {@link #DEFAULT_INTERVAL} and {@link #DEFAULT_MAX_ROWS}. */
    public QuarantineWriter(StorageWriter.ConnectionSource connections, MeterRegistry registry) {
        this(connections, DEFAULT_INTERVAL, DEFAULT_MAX_ROWS, registry);
    }

    /**
     * A writer that is not running yet: call {@link #start()}.
     *
     * @param connections where its one connection comes from (reopened after a failure)
     * @param interval    time between rounds
     * @param maxRows     rows taken from one quarantine per round
     * @param registry    for the metrics, or null
     */
    public QuarantineWriter(StorageWriter.ConnectionSource connections, Duration interval, int maxRows,
                            MeterRegistry registry) {
        this.connections = Objects.requireNonNull(connections, "connections");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be > 0");
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be at least 1");
        this.intervalNanos = interval.toNanos();
        this.maxRows = maxRows;
        if (registry != null) {
            FunctionCounter.builder("storage.quarantine.written", written, AtomicLong::get)
                    .description("quarantined records inserted into the quarantine table").register(registry);
            FunctionCounter.builder("storage.quarantine.missed", missed, AtomicLong::get)
                    .description("quarantined records evicted from memory before they were written")
                    .register(registry);
            FunctionCounter.builder("storage.quarantine.errors", errors, AtomicLong::get)
                    .description("quarantine write rounds that failed (retried)").register(registry);
            Gauge.builder("storage.quarantine.pending", this, QuarantineWriter::pending)
                    .description("quarantined records held in memory, not written yet (bounded by the "
                            + "quarantines' capacity; the oldest are evicted first)").register(registry);
        }
    }

    /**
     * Starts the writer thread: a round once per interval, at once after a full one.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (closed) throw new IllegalStateException("quarantine writer is closed");
        if (thread != null) throw new IllegalStateException("quarantine writer already started");
        thread = Thread.ofPlatform().name("quarantine-writer").daemon(true).start(this::run);
    }

    /** True once {@link #start()} was called (and until it is closed). */
    public synchronized boolean running() {
        return thread != null && !closed;
    }

    /**
     * Writes the records of {@code quarantine} from now on, starting with those it holds. {@code source} and
     * {@code feed} name the rows whose record has none, and the quarantine in logs.
     */
    public void register(String source, String feed, Quarantine quarantine) {
        cursors.add(new Cursor(Objects.requireNonNull(source, "source"), Objects.requireNonNull(feed, "feed"),
                Objects.requireNonNull(quarantine, "quarantine")));
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        while (!closing) {
            boolean more = false;
            try {
                more = round();
            } catch (RuntimeException e) {   // never let the thread die
                LOG.warn("quarantine writer round failed: {}", e.toString());
            }
            if (more) continue;
            synchronized (wake) {
                if (closing) break;
                try {
                    TimeUnit.NANOSECONDS.timedWait(wake, intervalNanos);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        drain();
    }

    /** The final rounds: what the collectors quarantined while stopping; then the connection is closed. */
    private void drain() {
        try {
            for (int i = 0; i < 1_000 && round(); i++) {
                // keep going while rounds are full
            }
        } catch (RuntimeException e) {
            LOG.warn("quarantine writer final round failed: {}", e.toString());
        }
        synchronized (roundLock) {
            closeConnection();
        }
    }

    /**
     * Runs one round now, on the calling thread (the writer thread's rounds wait for it).
     *
     * @return true when the round committed (or there was nothing to write)
     */
    public boolean flush() {
        synchronized (roundLock) {
            long before = errors.get();
            while (round()) {
                // drain full rounds
            }
            return errors.get() == before;
        }
    }

    /** One round; true when it committed a full batch from some quarantine (so another round should follow). */
    private boolean round() {
        synchronized (roundLock) {
            rounds.incrementAndGet();
            List<Cursor> cs = List.copyOf(cursors);
            Quarantine.Slice[] slices = new Quarantine.Slice[cs.size()];
            int rows = 0;
            boolean full = false;
            for (int i = 0; i < slices.length; i++) {
                Cursor c = cs.get(i);
                slices[i] = c.quarantine.slice(c.seq, maxRows);
                rows += slices[i].records().size();
                full |= slices[i].records().size() == maxRows;
            }
            if (rows == 0) {             // nothing to write: only records evicted unread, if any
                advance(cs, slices);
                return false;
            }
            long inserted;
            try {
                inserted = insert(cs, slices);
            } catch (SQLException | RuntimeException e) {
                errors.incrementAndGet();
                lastError = e.toString();
                closeConnection();
                if (!failing) {
                    LOG.warn("quarantine: {} record(s) not written, retrying every {} ms while they stay in memory: {}",
                            rows, TimeUnit.NANOSECONDS.toMillis(intervalNanos), e.toString());
                }
                failing = true;
                return false;
            }
            if (failing) {
                LOG.info("quarantine: writing again ({} row(s) this round)", rows);
                failing = false;
            }
            written.addAndGet(inserted);
            advance(cs, slices);
            return full;
        }
    }

    private void advance(List<Cursor> cs, Quarantine.Slice[] slices) {
        for (int i = 0; i < slices.length; i++) {
            long m = slices[i].missed();
            if (m > 0) {
                missed.addAndGet(m);
                LOG.warn("quarantine {}/{}: {} record(s) dropped: evicted from memory (capacity {}, oldest first) "
                        + "before they were written", cs.get(i).source, cs.get(i).feed, m,
                        cs.get(i).quarantine.capacity());
            }
            cs.get(i).seq = slices[i].next();
        }
    }

    private long insert(List<Cursor> cs, Quarantine.Slice[] slices) throws SQLException {
        if (connection == null) {
            connection = connections.open();
            connection.setAutoCommit(false);
        }
        Connection c = connection;
        try (PreparedStatement p = c.prepareStatement(INSERT)) {
            for (int i = 0; i < slices.length; i++) {
                for (QuarantineRecord r : slices[i].records()) bind(p, r, cs.get(i));
            }
            int[] counts = p.executeBatch();
            c.commit();
            long n = 0;
            for (int k : counts) n += k == Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, k);
            return n;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is closed next
            }
            throw e;
        }
    }

    private static void bind(PreparedStatement p, QuarantineRecord r, Cursor c) throws SQLException {
        long ns = r.receiveTimeNs();
        p.setObject(1, time(ns));
        p.setLong(2, ns);
        p.setString(3, text(r.source() != null ? r.source() : c.source));
        p.setString(4, text(r.feed() != null ? r.feed() : c.feed));
        p.setString(5, text(r.symbol()));
        p.setString(6, text(r.type()));
        p.setString(7, text(r.rule() != null ? r.rule() : "unknown"));
        p.setString(8, text(r.reason() != null ? r.reason() : ""));
        p.setInt(9, r.eventIndex());
        byte[] payload = r.payload() != null ? r.payload() : new byte[0];
        p.setBytes(10, payload);
        p.setInt(11, Math.max(r.payloadLength(), payload.length));
        p.setBoolean(12, r.binary());
        p.setString(13, (r.scope() != null ? r.scope() : QuarantineRecord.Scope.FRAME).label());
        p.setInt(14, Math.max(r.frameLength(), 0));
        p.setString(15, text(r.elementJson()));
        p.addBatch();
    }

    /**
     * PostgreSQL text cannot hold NUL: a symbol or reason taken from a hostile frame must not make a row that can
     * never be inserted (the cursor would stop there for good). The raw bytes stay intact in {@code payload}.
     */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /** Epoch ns as a UTC timestamp truncated to the microseconds PostgreSQL keeps (as the storage writer does). */
    static OffsetDateTime time(long epochNs) {
        long micros = Math.floorDiv(epochNs, 1_000L);
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L), ZoneOffset.UTC);
    }

    private void closeConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    /** Rows inserted so far. */
    public long written() { return written.get(); }

    /** Records evicted from a registered quarantine before this writer read them. */
    public long missed() { return missed.get(); }

    /** Rounds that failed. */
    public long errors() { return errors.get(); }

    /** The last failure, or null. */
    public String lastError() { return lastError; }

    /** Records held in the registered quarantines that are not written yet. */
    public long pending() {
        long n = 0;
        for (Cursor c : cursors) {
            Quarantine.Slice s = c.quarantine.slice(c.seq, 0);
            n += c.quarantine.lastSeq() - s.next();
        }
        return n;
    }

    /**
     * Stops the thread after final rounds (what the collectors quarantined while stopping); a writer never started
     * drains on the calling thread. Idempotent.
     */
    @Override public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = thread;
        }
        closing = true;
        if (t == null) {
            drain();
            warnLeft();
            return;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            t.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) LOG.warn("quarantine writer did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
        warnLeft();
    }

    private void warnLeft() {
        long left = pending();
        if (left > 0) LOG.warn("quarantine writer closed with {} record(s) not written", left);
    }
}
