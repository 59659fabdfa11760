package com.systemtrader.cache;

import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;

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

    /** A single connection (the writer's own; not thread-safe). */
    static Jedis connection(RedisConfig c, String clientName) {
        return new Jedis(new HostAndPort(c.host(), c.port()), clientConfig(c, clientName, true));
    }

    /** A pooled client (the readers'). */
    public static RedisClient pooled(RedisConfig c, String clientName) {
        return RedisClient.builder().hostAndPort(c.host(), c.port()).clientConfig(clientConfig(c, clientName, false)).build();
    }

    /** {@code text} with the password and truststore password replaced by {@code ****}. */
    public static String mask(RedisConfig c, String text) {
        if (text == null) return null;
        String out = text;
        if (c.password() != null && !c.password().isEmpty()) out = out.replace(c.password(), "****");
        if (c.truststorePassword() != null && !c.truststorePassword().isEmpty()) {
            out = out.replace(c.truststorePassword(), "****");
        }
        return out;
    }

    static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }
}
