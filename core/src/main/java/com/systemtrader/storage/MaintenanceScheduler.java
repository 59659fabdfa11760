package com.systemtrader.storage;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's database maintenance, in both modes (storage.md 0.4 and 1.9: TimescaleDB's background jobs
 * cannot be relied on, and plain PostgreSQL has none): {@link MaintenanceTask#PARTITIONS}, {@link
 * MaintenanceTask#ROLLUPS}, {@link MaintenanceTask#RETENTION} and {@link MaintenanceTask#COMPRESSION}, each on its
 * own interval ({@link MaintenanceConfig}) on one daemon thread, {@code storage-maintenance}, over one connection of
 * its own that is re-opened on the next run after it breaks.
 * <p>
 * Every run ends {@code ok}, {@code skipped} or {@code failed} with a one-line detail; it is recorded in
 * {@code maintenance_runs} (the newest {@code keep_runs} per task), counted in the meters of
 * {@link MaintenanceMetrics} and logged. A failing task never stops the scheduler: it runs again at its next interval.
 * A task holds a session advisory lock while it runs, so two processes on one database never run the same task at
 * once (the second reports {@code skipped}).
 * <p>
 * Lifecycle: {@link #start()} schedules the tasks (all due at once, in task order); {@link #runOnce} runs tasks now
 * on the caller's thread ({@code db maintain}, tests); {@link #close()} lets a running task finish (30 s at most),
 * then closes the connection.
 */
public final class MaintenanceScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);
    private static final int LOCK_CLASS = 0x53544D54;   // "STMT": first key of the per-task advisory locks
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Database db;
    private final MaintenanceConfig config;
    private final MaintenanceMetrics metrics;
    private final Map<MaintenanceTask, MaintenanceWork> work = new EnumMap<>(MaintenanceTask.class);
    private final Object lock = new Object();
    private volatile ScheduledExecutorService executor;
    private volatile Connection connection;   // written under lock; close() may abort it from outside
    private StorageMode mode;                 // of the open connection's database; guarded by lock
    private volatile boolean closed;
    private final Map<MaintenanceTask, Boolean> failing = new EnumMap<>(MaintenanceTask.class);   // guarded by lock

    public MaintenanceScheduler(Database db, MaintenanceConfig config, MeterRegistry registry) {
        this.db = db;
        this.config = config;
        this.metrics = new MaintenanceMetrics(registry);
        StorageConfig storage = db.config();
        work.put(MaintenanceTask.PARTITIONS, new MaintenancePartitions(storage.partitionPremakeDays()));
        work.put(MaintenanceTask.ROLLUPS, new MaintenanceRollups(config.rollupLookback()));
        work.put(MaintenanceTask.RETENTION, new MaintenanceRetention(storage));
        work.put(MaintenanceTask.COMPRESSION, new MaintenanceCompression(storage));
    }

    /** Schedules every task on its interval, the first runs at once. */
    public synchronized void start() {
        if (closed) throw new IllegalStateException("maintenance scheduler closed");
        if (executor != null) return;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-maintenance");
            t.setDaemon(true);
            return t;
        });
        for (MaintenanceTask t : MaintenanceTask.values()) {
            long every = config.every(t).toMillis();
            executor.scheduleWithFixedDelay(() -> runScheduled(t), 0, every, TimeUnit.MILLISECONDS);
        }
        LOG.info("storage maintenance started: partitions every {}, roll-ups every {}, retention every {}, "
                        + "compression every {}", config.partitionsEvery(), config.rollupsEvery(),
                config.retentionEvery(), config.compressionEvery());
    }

    /** Runs {@code tasks} now, in task order, on the caller's thread (after a scheduled run in progress). */
    public List<MaintenanceRun> runOnce(Collection<MaintenanceTask> tasks) {
        List<MaintenanceRun> out = new ArrayList<>();
        for (MaintenanceTask t : MaintenanceTask.values()) {
            if (tasks.contains(t)) out.add(run(t));
        }
        return out;
    }

    private void runScheduled(MaintenanceTask task) {
        try {
            if (!closed) run(task);
        } catch (Throwable t) {   // never let the executor cancel the schedule
            if (!closed) LOG.error("maintenance task {} crashed; it runs again at its next interval", task.label(), t);
        }
    }

    /**
     * Runs one task now and records it. Never throws for a database problem: the outcome says {@code failed}.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public MaintenanceRun run(MaintenanceTask task) {
        synchronized (lock) {
            if (closed) throw new IllegalStateException("maintenance scheduler closed");
            Instant started = Instant.now();
            MaintenanceOutcome outcome;
            StorageMode runMode = null;
            try {
                Connection c = connection();
                if (mode == null) mode = recordedMode(c);   // migrated since the connection was opened?
                runMode = mode;
                outcome = runMode == null
                        ? MaintenanceOutcome.skipped("database never migrated (run: system-trader db migrate)")
                        : runLocked(c, task, runMode);
            } catch (SQLException | RuntimeException e) {
                outcome = MaintenanceOutcome.failed(message(e));
                dropIfBroken();
            }
            MaintenanceRun run = new MaintenanceRun(task, runMode, started, Instant.now(), outcome);
            metrics.record(run);
            persist(run);
            log(run);
            return run;
        }
    }

    /**
     * Scheduled runs: failures as warnings, the first success after them as info, the rest quietly (roll-ups run
     * every minute). Runs of {@link #runOnce} before {@link #start()} at debug: their caller prints them.
     */
    private void log(MaintenanceRun run) {
        boolean wasFailing = Boolean.TRUE.equals(failing.put(run.task(), run.outcome().failed()));
        if (!started()) {
            LOG.debug("maintenance {}", run.line());
        } else if (run.outcome().failed()) {
            LOG.warn("maintenance {}", run.line());
        } else if (wasFailing) {
            LOG.info("maintenance recovered: {}", run.line());
        } else if (run.outcome().status() == MaintenanceOutcome.Status.OK && run.task() != MaintenanceTask.ROLLUPS) {
            LOG.info("maintenance {}", run.line());
        } else {
            LOG.debug("maintenance {}", run.line());
        }
    }

    private boolean started() {
        return executor != null;
    }

    private MaintenanceOutcome runLocked(Connection c, MaintenanceTask task, StorageMode m) throws SQLException {
        if (!advisory(c, "pg_try_advisory_lock", task)) {
            return MaintenanceOutcome.skipped("running in another process (advisory lock held)");
        }
        try {
            return work.get(task).run(c, m);
        } finally {
            try {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                advisory(c, "pg_advisory_unlock", task);
            } catch (SQLException e) {
                // a broken connection releases its locks; dropIfBroken closes it
            }
        }
    }

    private static boolean advisory(Connection c, String function, MaintenanceTask task) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + function + "(" + LOCK_CLASS + ", " + task.ordinal() + ")")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** The open connection when it still answers, or a new one with the session settings of the maintenance. */
    private Connection connection() throws SQLException {
        if (connectionValid()) return connection;
        if (connection != null) {
            LOG.info("maintenance: the database connection was lost; opening a new one");
            closeConnection();
        }
        Connection c = db.connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = 'system-trader maintenance'");
            s.execute("SET lock_timeout = '" + config.lockTimeout().toMillis() + "ms'");
            for (String setting : MaintenanceRollups.BACKGROUND_SESSION) s.execute(setting);
            mode = recordedMode(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        connection = c;
        return c;
    }

    private static StorageMode recordedMode(Connection c) throws SQLException {
        String recorded = MigrationRunner.recordedMode(c);
        return recorded == null ? null : StorageMode.ofLabel(recorded);
    }

    private void persist(MaintenanceRun run) {
        if (connection == null || run.mode() == null) return;   // no database, or no schema to record in
        try {
            MaintenanceLog.record(connection, run, config.keepRuns());
        } catch (SQLException e) {
            LOG.warn("cannot record the {} maintenance run in maintenance_runs: {}", run.task().label(),
                    message(e));
            dropIfBroken();
        }
    }

    private boolean connectionValid() {
        try {
            return connection != null && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Closes the connection when it no longer answers, so that the next run opens a new one. */
    private void dropIfBroken() {
        if (connection == null || connectionValid()) return;
        closeConnection();
    }

    private void closeConnection() {
        try {
            if (connection != null) connection.close();
        } catch (SQLException ignored) {
            // already gone
        }
        connection = null;
        mode = null;
    }

    private String message(Exception e) {
        String m = e.getMessage();
        if (e instanceof SQLException) m = db.scrub(m);
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    @Override public void close() {
        ScheduledExecutorService ex;
        synchronized (this) {
            if (closed) return;
            closed = true;
            ex = executor;
        }
        boolean drained = true;
        if (ex != null) {
            ex.shutdown();
            try {
                drained = ex.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
            }
            if (!drained) {
                LOG.warn("a maintenance task still runs after {} s; closing its connection", CLOSE_WAIT_SECONDS);
                ex.shutdownNow();
                Connection c = connection;   // abort the running statement from outside the lock
                try {
                    if (c != null) c.close();
                } catch (SQLException ignored) {
                    // going away
                }
            }
        }
        synchronized (lock) {
            closeConnection();
        }
    }
}
