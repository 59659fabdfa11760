package com.systemtrader.cache;

import com.systemtrader.credentials.Secret;
import java.net.Socket;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Builds Jedis clients from a {@link RedisConfig}, and masks its secrets in any text (log lines, errors). */
public final class RedisClients {
    private RedisClients() {}

    static JedisClientConfig clientConfig(RedisConfig c, String clientName, boolean single) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, c.timeout().toMillis());
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .database(c.database()).clientName(clientName);
        // a single Jedis connection speaks RESP2 (Jedis 8 negotiates RESP3 only in its pooled clients)
        if (single) b.autoNegotiateProtocol(false);
        if (c.username() != null) b.user(c.username());
        if (c.password() != null) b.password(c.password());
        if (c.tls()) {
            b.ssl(true);
            if (c.truststore() != null) {
                SslOptions.Builder ssl = SslOptions.builder();
                if (c.truststorePassword() != null) ssl.truststore(c.truststore().toFile(), c.truststorePassword().toCharArray());
                else ssl.truststore(c.truststore().toFile());
                b.sslOptions(ssl.build());
            }
        }
        return b.build();
    }

    /**
     * The cache writer's own connection (not thread-safe): Jedis for the handshake (TLS, AUTH, SELECT, name) and
     * single commands, and the socket Jedis connected, to which the writer sends whole pre-encoded pipelines
     * (replies are read back through Jedis).
     */
    record WriterConnection(Jedis jedis, SocketCapture sockets) {
        /** The socket of the current connection (Jedis makes a new one if it reconnects on its own). */
        Socket socket() {
            return sockets.last;
        }
    }

    /** Jedis's own socket factory that remembers the socket it made last. */
    static final class SocketCapture extends DefaultJedisSocketFactory {
        private volatile Socket last;

        SocketCapture(HostAndPort hostAndPort, JedisClientConfig config) {
            super(hostAndPort, config);
        }

        @Override public Socket createSocket() {
            Socket s = super.createSocket();
            last = s;
            return s;
        }
    }

    /** Opens the writer's connection and checks it with a PING. */
    static WriterConnection writerConnection(RedisConfig c, String clientName) {
        JedisClientConfig config = clientConfig(c, clientName, true);
        SocketCapture sockets = new SocketCapture(new HostAndPort(c.host(), c.port()), config);
        Jedis jedis = new Jedis(sockets, config);
        try {
            jedis.ping();
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
        return new WriterConnection(jedis, sockets);
    }

    /**
     * Null when Redis accepts the configured credentials, or cannot be reached now (an outage: the cache writer
     * reconnects and the service runs on); otherwise Redis's reason for refusing them (WRONGPASS, NOAUTH), with the
     * password masked. Opens one connection and closes it.
     */
    public static String credentialsProblem(RedisConfig c) {
        try (Jedis jedis = new Jedis(new HostAndPort(c.host(), c.port()), clientConfig(c, "system-trader-check", true))) {
            jedis.ping();
            return null;
        } catch (JedisAccessControlException e) {
            return mask(c, String.valueOf(e.getMessage()));
        } catch (JedisDataException e) {
            String m = String.valueOf(e.getMessage());
            boolean auth = m.startsWith("NOAUTH") || m.startsWith("WRONGPASS") || m.startsWith("ERR AUTH")
                    || m.contains("invalid password") || m.contains("without any password configured");
            return auth ? mask(c, m) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A pooled client (the readers'). */
    public static RedisClient pooled(RedisConfig c, String clientName) {
        return RedisClient.builder().hostAndPort(c.host(), c.port()).clientConfig(clientConfig(c, clientName, false)).build();
    }

    /** {@code text} with the password and truststore password replaced by {@code ****}. */
    public static String mask(RedisConfig c, String text) {
        return Secret.scrub(text, c.password(), c.truststorePassword());
    }

    static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }
}
