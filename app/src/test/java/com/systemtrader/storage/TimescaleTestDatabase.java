package com.systemtrader.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own on the TimescaleDB server SYSTEM_TRADER_TIMESCALEDB_URL names (a JDBC URL of any database on
 * a server with TimescaleDB preloaded; user from SYSTEM_TRADER_TIMESCALEDB_USER, default postgres; password from
 * SYSTEM_TRADER_DB_PASSWORD or PGPASSWORD), {@code st_test_<random>}, dropped on close. Without the variable the
 * calling test is skipped, saying why: TimescaleDB cannot be installed on the build machines.
 */
final class TimescaleTestDatabase implements AutoCloseable {
    private static final String URL = System.getenv("SYSTEM_TRADER_TIMESCALEDB_URL");
    private static final String USER = System.getenv().getOrDefault("SYSTEM_TRADER_TIMESCALEDB_USER", "postgres");

    private final Database admin;
    private final String name;
    /** The test database in {@code timescaledb} mode, not migrated. */
    final Database db;

    private TimescaleTestDatabase(Database admin, String name, Database db) {
        this.admin = admin;
        this.name = name;
        this.db = db;
    }

    /** @param without what the skipped test still checks without the server (for the skip message) */
    static TimescaleTestDatabase create(String without) throws SQLException {
        assumeTrue(URL != null && !URL.isBlank(), "SYSTEM_TRADER_TIMESCALEDB_URL is not set: no TimescaleDB server to "
                + "test against (" + without + ")");
        String name = "st_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        StorageConfig config = StorageConfig.defaults().withUrl(URL).withUser(USER);
        Database admin = Database.fromEnvironment(config, System.getenv());
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String base = URL.substring(0, URL.lastIndexOf('/') + 1);
        return new TimescaleTestDatabase(admin, name, Database.fromEnvironment(config.withUrl(base + name)
                .withMode("timescaledb"), System.getenv()));
    }

    @Override public void close() throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
