package com.systemtrader.data;

import com.systemtrader.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small bounded pool of JDBC connections for the provider's reads: at most {@code size} open, idle ones reused
 * most-recently-used first. A connection that fails a statement is closed, not returned; when it was a reused one
 * (the server may have restarted since) the statement is tried once more on a new connection. Borrowers wait at
 * most {@code borrowTimeout} for a free slot.
 */
final class ConnectionPool implements AutoCloseable {
    /**
     * How a failed query reads in a tier's failure (which API answers show): the server's message without the
     * database's URL, an internal detail (the service log and {@code /health} name the database).
     */
    private static final String QUERY_FAILED = "database query failed: ";
    /** A statement on a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Database db;
    private final Semaphore slots;
    private final Duration borrowTimeout;
    private final int networkTimeoutMs;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(Database db, int size, Duration borrowTimeout, Duration networkTimeout) {
        if (size < 1) throw new IllegalArgumentException("pool size must be >= 1");
        this.db = db;
        this.slots = new Semaphore(size, true);
        this.borrowTimeout = borrowTimeout;
        this.networkTimeoutMs = (int) Math.min(Integer.MAX_VALUE, networkTimeout.toMillis());
    }

    Database database() { return db; }

    /** Returns {@code c} to the pool (closes it when the pool was closed meanwhile) and passes {@code value} on. */
    private <T> T done(Connection c, T value) {
        idle.offerFirst(c);
        if (closed) {
            for (Connection x; (x = idle.pollFirst()) != null; ) closeQuietly(x);
        }
        return value;
    }

    <T> T with(Work<T> work) {
        if (closed) throw new IllegalStateException("connection pool closed");
        try {
            if (!slots.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no database connection free within " + borrowTimeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a database connection", e);
        }
        try {
            Connection c = idle.pollFirst();
            boolean reused = c != null;
            if (c == null) c = open();
            try {
                return done(c, work.run(c));
            } catch (SQLException e) {
                closeQuietly(c);
                if (!reused) throw new IllegalStateException(QUERY_FAILED + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(c); // never back into the pool in an unknown state
                throw e;
            }
            // the reused connection may have been dead: once more on a new one
            Connection fresh = open();
            try {
                return done(fresh, work.run(fresh));
            } catch (SQLException e) {
                closeQuietly(fresh);
                throw new IllegalStateException(QUERY_FAILED + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(fresh);
                throw e;
            }
        } finally {
            slots.release();
        }
    }

    private Connection open() {
        Connection c;
        try {
            c = db.connect();
        } catch (com.systemtrader.storage.StorageException e) {
            // the same account without the URL (an internal detail in an API answer)
            throw new IllegalStateException(String.valueOf(e.getMessage()).replace(db.where(), "the database"), e);
        }
        try {
            c.setNetworkTimeout(Runnable::run, networkTimeoutMs);
            c.setAutoCommit(true);
            c.setReadOnly(true);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("cannot set up a database connection: " + e.getMessage(), e);
        }
        return c;
    }

    @Override public void close() {
        closed = true;
        for (Connection c; (c = idle.pollFirst()) != null; ) closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // going away anyway
        }
    }
}
