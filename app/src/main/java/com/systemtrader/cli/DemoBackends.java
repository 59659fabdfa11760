package com.systemtrader.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * The demo's PostgreSQL and Redis, with no setup: an embedded PostgreSQL 15 whose data is kept in
 * {@code data/demo/postgres} by default (unless a database URL was given); the Redis given by URL, else the one on
 * 127.0.0.1:6379 when it answers, else an embedded one on a free port. Closing stops what was started here (the data
 * stays).
 */
final class DemoBackends implements AutoCloseable {
    /** Where the demo keeps its data between runs (the embedded PostgreSQL in {@code postgres/}). */
    static final Path DEFAULT_DIR = Path.of("data", "demo");
    /** The {@code --redis-url} value that asks for an embedded Redis even when one answers on 6379. */
    static final String EMBEDDED = "embedded";
    /** Redis's default port, where the demo looks for a local one. */
    private static final int REDIS_PORT = 6379;

    final String jdbcUrl;
    final String dbUser;
    final String dbDescription;
    final String redisUrl;
    final String redisDescription;
    private final EmbeddedPostgres postgres;
    private final RedisServer redis;

    private DemoBackends(String jdbcUrl, String dbUser, String dbDescription, EmbeddedPostgres postgres,
                         String redisUrl, String redisDescription, RedisServer redis) {
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbDescription = dbDescription;
        this.postgres = postgres;
        this.redisUrl = redisUrl;
        this.redisDescription = redisDescription;
        this.redis = redis;
    }

    /**
     * @param dbUrl    a JDBC URL to use instead of the embedded server, or null
     * @param redisUrl {@code redis://host[:port][/db]} (must answer), {@link #EMBEDDED}, or null: the local one on
     *                 6379 when it answers, else embedded
     * @param dir      the demo's data directory; the embedded PostgreSQL keeps its files in {@code dir/postgres}
     *                 (checked by {@link #redisUrlProblem} first)
     */
    static DemoBackends start(String dbUrl, String dbUser, String redisUrl, Path dir, PrintWriter out) {
        URI given = redisUrl == null || redisUrl.equals(EMBEDDED) ? null : URI.create(redisUrl);
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
            String rUrl;
            String r;
            if (given != null) {
                rUrl = redisUrl;
                r = "Redis at " + given.getHost() + ":" + port(given) + " (--redis-url)";
            } else if (redisUrl == null && answers("127.0.0.1", REDIS_PORT, false)) {
                rUrl = "redis://127.0.0.1:" + REDIS_PORT;
                r = "the local Redis on 127.0.0.1:" + REDIS_PORT + " (keys under demo:)";
            } else {
                int port = freePort();
                redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no")
                        .setting("save \"\"").build();
                redis.start();
                rUrl = "redis://127.0.0.1:" + port;
                r = "embedded Redis on 127.0.0.1:" + port
                        + (redisUrl == null ? " (no Redis without a password answered on " + REDIS_PORT + ")"
                        : " (--redis-url embedded)");
            }
            return new DemoBackends(url, user, db, pg, rUrl, r, redis);
        } catch (IOException e) {
            closeQuietly(pg, redis);
            throw new UncheckedIOException("demo: cannot start its database or Redis: " + e.getMessage(), e);
        }
    }

    /**
     * What is wrong with a {@code --redis-url} value, or null: the form {@code redis://HOST[:PORT][/DB]} or
     * {@link #EMBEDDED}, and a Redis that answers there.
     */
    static String redisUrlProblem(String redisUrl) {
        if (redisUrl == null || redisUrl.equals(EMBEDDED)) return null;
        if (!redisUrl.matches("redis://[A-Za-z0-9.-]+(:\\d{1,5})?(/\\d+)?")) {
            return "must be redis://HOST[:PORT][/DB] or " + EMBEDDED + ", was " + redisUrl;
        }
        URI u = URI.create(redisUrl);
        return answers(u.getHost(), port(u), true) ? null
                : "nothing answers a Redis PING at " + u.getHost() + ":" + port(u);
    }

    private static int port(URI redisUrl) {
        return redisUrl.getPort() < 0 ? REDIS_PORT : redisUrl.getPort();
    }

    /**
     * True when a Redis answers a PING within a second with {@code +PONG}, or, when {@code orWantsPassword}, with an
     * error such as {@code -NOAUTH} (a Redis given by URL that wants a password: the service then logs in with
     * {@code SYSTEM_TRADER_REDIS_PASSWORD}; the default local one must answer without).
     */
    static boolean answers(String host, int port, boolean orWantsPassword) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1_000);
            s.setSoTimeout(1_000);
            s.getOutputStream().write("PING\r\n".getBytes());
            int first = s.getInputStream().read();
            return first == '+' || (orWantsPassword && first == '-');
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
