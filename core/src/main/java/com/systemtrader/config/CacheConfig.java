package com.systemtrader.config;

import com.systemtrader.cache.MemoryCacheConfig;
import com.systemtrader.cache.RedisConfig;

/**
 * The {@code cache} and {@code redis} sections: the in-memory cache's bounds, and the shared Redis cache (off by
 * default). The Redis password never comes from the file: {@code SYSTEM_TRADER_REDIS_PASSWORD} (and
 * {@code SYSTEM_TRADER_REDIS_TRUSTSTORE_PASSWORD} for a truststore) are read where the cache is built.
 *
 * @param memory       {@code cache.*}
 * @param redisEnabled {@code redis.enabled}
 * @param redis        {@code redis.*} (without passwords)
 */
public record CacheConfig(MemoryCacheConfig memory, boolean redisEnabled, RedisConfig redis) {
    /** Environment variable holding the Redis password (never the config file). */
    public static final String PASSWORD_ENV = "SYSTEM_TRADER_REDIS_PASSWORD";
    /** Environment variable holding the truststore password for {@code rediss://}. */
    public static final String TRUSTSTORE_PASSWORD_ENV = "SYSTEM_TRADER_REDIS_TRUSTSTORE_PASSWORD";

    /** The Redis settings with the passwords taken from {@code env} (absent variables leave them unset). */
    public RedisConfig redisWithSecrets(java.util.Map<String, String> env) {
        RedisConfig r = redis;
        String password = env.get(PASSWORD_ENV);
        if (password != null && !password.isEmpty()) r = r.withCredentials(r.username(), password);
        String trust = env.get(TRUSTSTORE_PASSWORD_ENV);
        if (r.truststore() != null && trust != null && !trust.isEmpty()) r = r.withTls(r.truststore(), trust);
        return r;
    }

    public static CacheConfig defaults() {
        return new CacheConfig(MemoryCacheConfig.defaults(), false, RedisConfig.local("127.0.0.1", 6379));
    }
}
