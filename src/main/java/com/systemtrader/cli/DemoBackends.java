package com.systemtrader.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * The demo's PostgreSQL and Redis, with no setup: an embedded PostgreSQL 15 whose data is kept in
 * {@code data/demo/postgres} by default (unless a database URL was given), and the Redis on 127.0.0.1:6379 when it answers,
 * an embedded one on a free port when it does not. Closing stops what was started here (the data stays).
 */
final class DemoBackends implements AutoCloseable {
    /** Where the demo keeps its data between runs (the embedded PostgreSQL in {@code postgres/}). */
    static final Path DEFAULT_DIR = Path.of("data", "demo");

    final String jdbcUrl;
    final String dbUser;
    final String dbDescription;
    final int redisPort;
    final String redisDescription;
    private final EmbeddedPostgres postgres;
    private final RedisServer redis;

    private DemoBackends(String jdbcUrl, String dbUser, String dbDescription, EmbeddedPostgres postgres,
                         int redisPort, String redisDescription, RedisServer redis) {
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbDescription = dbDescription;
        this.postgres = postgres;
        this.redisPort = redisPort;
        this.redisDescription = redisDescription;
        this.redis = redis;
    }

    /**
     * @param dbUrl a JDBC URL to use instead of the embedded server, or null
     * @param dir   the demo's data directory; the embedded PostgreSQL keeps its files in {@code dir/postgres}
     */
    static DemoBackends start(String dbUrl, String dbUser, Path dir, PrintWriter out) {
        EmbeddedPostgres pg = null;
        RedisServer redis = null;
        try {
            String url;
            String user;
            String db;
            if (dbUrl != null) {
                url = dbUrl;
                user = dbUser;
                db = "configured database " + dbUrl.replaceAll("\\?.*", "");
            } else {
                Path data = dir.resolve("postgres");
                out.println("demo: starting an embedded PostgreSQL 15 (data in " + data + ")...");
                Files.createDirectories(dir);
                pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                        .setPort(freePort()).start();
                url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
                user = "postgres";
                db = "embedded PostgreSQL on 127.0.0.1:" + pg.getPort() + " (data in " + data + ")";
            }
            int redisPort = 6379;
            String r = "the local Redis on 127.0.0.1:6379";
            if (!answers(6379)) {
                redisPort = freePort();
                redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("appendonly no")
                        .setting("save \"\"").build();
                redis.start();
                r = "embedded Redis on 127.0.0.1:" + redisPort + " (nothing answered on 6379)";
            }
            return new DemoBackends(url, user, db, pg, redisPort, r, redis);
        } catch (IOException e) {
            closeQuietly(pg, redis);
            throw new UncheckedIOException("demo: cannot start its database or Redis: " + e.getMessage(), e);
        }
    }

    /** True when something answers a Redis PING on the port within 300 ms. */
    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            s.setSoTimeout(300);
            s.getOutputStream().write("PING\r\n".getBytes());
            byte[] b = new byte[5];
            return s.getInputStream().read(b) == 5 && new String(b).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The psql command that opens the demo's database. */
    String psql() {
        if (postgres != null) return "psql -h 127.0.0.1 -p " + postgres.getPort() + " -U postgres   (while the demo runs)";
        return "psql '" + jdbcUrl.replaceFirst("^jdbc:", "") + "'";
    }

    @Override public void close() {
        closeQuietly(postgres, redis);
    }

    private static void closeQuietly(EmbeddedPostgres pg, RedisServer redis) {
        try {
            if (pg != null) pg.close();
        } catch (IOException | RuntimeException ignored) {
            // exiting
        }
        try {
            if (redis != null) redis.stop();
        } catch (IOException | RuntimeException ignored) {
            // exiting
        }
    }
}
