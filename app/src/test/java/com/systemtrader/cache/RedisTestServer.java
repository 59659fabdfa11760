package com.systemtrader.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * A Redis for tests: the local server on 127.0.0.1:6379 when it answers, otherwise an embedded one
 * (codemonstur embedded-redis, Redis 6.2) on a free port (environment variable {@code REDIS_TEST_EMBEDDED=1} forces that). Every test works under its own key prefix, deleted on
 * close, so tests can share the local server with anything else.
 */
public final class RedisTestServer implements AutoCloseable {
    private static RedisServer embedded;
    private static int embeddedPort;

    final String host = "127.0.0.1";
    public final int port;
    public final String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8);

    private RedisTestServer(int port) {
        this.port = port;
    }

    public static synchronized RedisTestServer start() {
        boolean forceEmbedded = Boolean.getBoolean("redis.test.embedded") || System.getenv("REDIS_TEST_EMBEDDED") != null;
        if (!forceEmbedded && answers(6379)) return new RedisTestServer(6379);
        if (embedded == null) {
            embeddedPort = freePort();
            embedded = startEmbedded(embeddedPort);
            Runtime.getRuntime().addShutdownHook(new Thread(RedisTestServer::stopShared));
        }
        return new RedisTestServer(embeddedPort);
    }

    private static void stopShared() {
        try {
            embedded.stop();
        } catch (IOException ignore) {
            // exiting
        }
    }

    static RedisServer startEmbedded(int port) {
        try {
            RedisServer s = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no").build();
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean answers(int port) {
        try (Jedis j = connect(port, 300)) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RedisConfig config() {
        return RedisConfig.local(host, port).withKeyPrefix(prefix);
    }

    public Jedis jedis() {
        return connect(port, 2000);
    }

    static Jedis connect(int port, int timeoutMs) {
        return new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).timeoutMillis(timeoutMs).build());
    }

    @Override public void close() {
        try (Jedis j = jedis()) {
            for (String k : j.keys(prefix + ":*")) j.del(k);
        } catch (RuntimeException ignore) {
            // server gone
        }
    }
}
