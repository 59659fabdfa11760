package com.systemtrader.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh database {@code st_test_<random>} for one test class, dropped on close: on the local PostgreSQL at
 * 127.0.0.1:5432 when it answers (trust auth, user postgres), otherwise on an embedded PostgreSQL 15 started once
 * per JVM. {@code SYSTEM_TRADER_TEST_PG=embedded} forces the embedded server.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/";
    private static String serverUrl;   // ends with '/'
    private static EmbeddedPostgres embedded;

    public final String name;
    public final String url;

    private TestDatabase(String name, String url) {
        this.name = name;
        this.url = url;
    }

    public static TestDatabase create() {
        String name = "st_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
        return new TestDatabase(name, server() + name);
    }

    /** A new database with the PostgreSQL-mode schema migrated. */
    public static TestDatabase migrated() {
        TestDatabase db = create();
        MigrationRunner.migrate(db.database());
        return db;
    }

    /** Runs one statement (as {@link #connect()}). */
    public void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row of {@code sql}, as text. */
    public List<String> firstColumn(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) out.add(r.getString(1));
        }
        return out;
    }

    /** Every row of {@code sql} as text, its columns joined by a space. */
    public List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(i > 1 ? " " : "").append(r.getString(i));
                out.add(b.toString());
            }
        }
        return out;
    }

    StorageConfig config() {
        return StorageConfig.defaults().withUrl(url).withUser("postgres");
    }

    Database database() {
        return new Database(config(), null);
    }

    /** A connection with tscompat on the path, as the application's queries have it in PostgreSQL mode. */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url + "?currentSchema=public,tscompat", "postgres", "");
        return c;
    }

    /** Host and port of the server, e.g. {@code jdbc:postgresql://127.0.0.1:5432/}. */
    static synchronized String server() {
        if (serverUrl != null) return serverUrl;
        if (!"embedded".equals(System.getenv("SYSTEM_TRADER_TEST_PG"))) {
            try (Connection c = DriverManager.getConnection(LOCAL + "postgres?connectTimeout=2", "postgres", "")) {
                serverUrl = LOCAL;
                return serverUrl;
            } catch (SQLException e) {
                // fall through to the embedded server
            }
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        serverUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/";
        return serverUrl;
    }

    static boolean embedded() {
        server();
        return embedded != null;
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(server() + "postgres", "postgres", "");
    }

    @Override public void close() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }
}
