package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a database to the current schema of its mode: detects the mode (or takes the one recorded in
 * {@code schema_version}), creates the TimescaleDB extension only when it is preloaded, runs pending versioned
 * migrations each in its own transaction (or statement by statement when marked {@code st:no-transaction}),
 * re-runs repeatable ones whose filled-in text changed, and refuses to continue when an applied script changed.
 * Holds an advisory lock so that two starting services do not migrate at once. Running it twice is a no-op.
 */
public final class MigrationRunner {
    static final long LOCK = 0x5354_4442_4D49_4752L;   // "STDBMIGR"
    private static final String TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
                script       text        PRIMARY KEY,
                version      integer     NOT NULL,
                description  text        NOT NULL,
                checksum     text        NOT NULL,
                mode         text        NOT NULL,
                installed_at timestamptz NOT NULL DEFAULT now(),
                execution_ms integer     NOT NULL
            )""";

    /** What a run did. */
    public record Result(StorageMode mode, String reason, List<String> applied, int version) {}

    /**
     * Hears what a run does as it goes (the {@code db migrate} command prints it; a long index build on a large
     * table is then visibly at work). Called on the migrating thread.
     */
    public interface Progress {
        Progress NONE = new Progress() { };

        /** Another migration holds the lock; this run waits for it. */
        default void waitingForLock() {}

        /** A script starts: {@code statements} statements. */
        default void starting(String script, int statements) {}

        /** A script was applied and recorded. */
        default void applied(String script, long ms) {}
    }

    private MigrationRunner() {}

    public static Result migrate(Database db) {
        return migrate(db, Progress.NONE);
    }

    public static Result migrate(Database db, Progress progress) {
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                boolean locked;
                try (ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
                    locked = r.next() && r.getBoolean(1);
                }
                if (!locked) {
                    progress.waitingForLock();
                    s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
                }
            }
            try {
                return migrate(c, db.config(), progress);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
                }
            }
        } catch (SQLException e) {
            throw new StorageException("migration failed on " + db.where() + ": " + db.scrub(e.getMessage()), null);
        }
    }

    private static Result migrate(Connection c, StorageConfig config, Progress progress) throws SQLException {
        ServerProbe probe = ServerProbe.probe(c);
        String recorded = recordedMode(c);
        ServerProbe.Decision d = decide(probe, config.mode(), recorded);
        try (Statement s = c.createStatement()) {
            if (d.createExtension()) {
                try {
                    s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
                } catch (SQLException e) {
                    if (!"42501".equals(e.getSQLState())) throw e;
                    throw new StorageException("TimescaleDB is preloaded but this role may not create the extension "
                            + "in this database: it needs CREATE on the database (its owner has it; the extension is "
                            + "trusted), or a superuser creates it first (deploy/systemd/README.md)", null);
                }
            }
            if (d.mode() == StorageMode.POSTGRESQL) {
                try (ResultSet r = s.executeQuery("SELECT current_schema()")) {
                    r.next();
                    s.execute("SET search_path TO " + quoteIdent(r.getString(1)) + ", tscompat");
                }
            }
            s.execute(TABLE);
        }
        Map<String, String[]> applied = applied(c);
        List<Migration> migrations = Migration.load(d.mode());
        Map<String, String> values = config.placeholders(d.mode());
        verify(migrations, applied);
        List<String> ran = new ArrayList<>();
        int version = 0;
        for (Migration m : migrations) {
            String filled = SqlScript.fill(m.sql(), values, m.script());
            String checksum = Migration.checksum(m.repeatable() ? filled : m.sql());
            String[] row = applied.get(m.script());
            if (!m.repeatable()) version = Math.max(version, m.version());
            if (row != null && (!m.repeatable() || row[1].equals(checksum))) continue;
            run(c, m, filled, checksum, d.mode(), progress);
            ran.add(m.script());
        }
        if (d.mode() == StorageMode.POSTGRESQL) premake(c, config.partitionPremakeDays());
        return new Result(d.mode(), d.reason(), ran, version);
    }

    /** Daily partitions from yesterday to {@code days} ahead of today (idempotent; the maintenance keeps it up). */
    private static void premake(Connection c, int days) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String t : new String[] {"websocket_data", "market_data"}) {
                s.execute("SELECT ensure_daily_partitions('" + t + "', (now() AT TIME ZONE 'UTC')::date - 1, "
                        + (days + 2) + ")");
            }
        }
    }

    static ServerProbe.Decision decide(ServerProbe probe, String configured, String recorded) {
        if (recorded == null) return probe.decide(configured);
        StorageMode mode = StorageMode.ofLabel(recorded);
        if (!configured.equals("auto") && !configured.equals(recorded)) {
            throw new StorageException("the database was migrated in " + recorded + " mode but storage.mode is "
                    + configured + "; use a new database to change modes");
        }
        if (mode == StorageMode.TIMESCALEDB && probe.tsInstalled() == null) {
            throw new StorageException("the database was migrated in timescaledb mode but the extension is missing");
        }
        return new ServerProbe.Decision(mode, false, "recorded in schema_version");
    }

    private static void verify(List<Migration> migrations, Map<String, String[]> applied) {
        Map<String, Migration> byScript = new HashMap<>();
        migrations.forEach(m -> byScript.put(m.script(), m));
        applied.forEach((script, row) -> {
            Migration m = byScript.get(script);
            if (m == null) {
                throw new StorageException("the database has migration " + script + ", which this build does not know "
                        + "(a newer build migrated it?)");
            }
            if (!m.repeatable() && !row[1].equals(Migration.checksum(m.sql()))) {
                throw new StorageException("migration " + script + " changed since it was applied (checksum "
                        + row[1] + "); add a new migration instead of editing an applied one");
            }
        });
    }

    static void run(Connection c, Migration m, String sql, String checksum, StorageMode mode, Progress progress)
            throws SQLException {
        long start = System.nanoTime();
        List<String> statements = SqlScript.split(sql);
        progress.starting(m.script(), statements.size());
        c.setAutoCommit(!m.transactional());
        int i = 0;
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                i++;
                s.execute(statement);
            }
            int ms = (int) ((System.nanoTime() - start) / 1_000_000);
            record(c, m, checksum, mode, ms);
            if (m.transactional()) c.commit();
            progress.applied(m.script(), ms);
        } catch (SQLException e) {
            if (m.transactional()) c.rollback();
            throw new StorageException("migration " + m.script() + " failed at statement " + i + " of "
                    + statements.size() + (m.transactional() ? " (rolled back)" : " (not transactional: the "
                    + "statements before it stay; they are written to be re-run)") + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '), null);
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void record(Connection c, Migration m, String checksum, StorageMode mode, int ms) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO schema_version (script, version, description, checksum, mode, execution_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (script) DO UPDATE SET checksum = EXCLUDED.checksum, installed_at = now(),
                    execution_ms = EXCLUDED.execution_ms""")) {
            p.setString(1, m.script());
            p.setInt(2, m.version());
            p.setString(3, m.description());
            p.setString(4, checksum);
            p.setString(5, mode.label());
            p.setInt(6, ms);
            p.executeUpdate();
        }
    }

    /** script -> {version, checksum}. */
    private static Map<String, String[]> applied(Connection c) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT script, version, checksum FROM schema_version")) {
            while (r.next()) out.put(r.getString(1), new String[] {r.getString(2), r.getString(3)});
        }
        return out;
    }

    /** The mode recorded by an earlier run, or null for a fresh database. */
    static String recordedMode(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) return null;
        }
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT mode FROM schema_version ORDER BY installed_at LIMIT 1")) {
            return r.next() ? r.getString(1) : null;
        }
    }

    static String quoteIdent(String id) {
        return "\"" + id.replace("\"", "\"\"") + "\"";
    }
}
