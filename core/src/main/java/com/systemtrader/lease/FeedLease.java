package com.systemtrader.lease;

import com.systemtrader.cache.RedisClients;
import com.systemtrader.cache.RedisConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * Who streams one feed (e.g. {@code polygon/stocks}) when several {@code collector} processes are configured for it
 * with the same key: the one holding this lease in Redis. Vendors allow few connections per key (Alpaca one; Polygon
 * evicts the older), so only the owner connects; the others are standbys.
 *
 * <p><b>The lease.</b> Key {@code <prefix>:lease:<feed>} holds {@code "<owner> <token>"} with a time to live of
 * {@code ttl}. Taking it is one Lua script: only when the key is absent, it increments the fencing token
 * ({@code <prefix>:lease:<feed>:token}, never reused) and sets the key. The owner renews every third of the ttl with
 * a compare-and-expire on its own value, so a process whose lease expired (it stalled or was cut off) can never
 * renew it after a standby took it: its first renewal fails and it is told {@link Listener#lost}. An owner that
 * cannot reach Redis for a whole ttl counts the lease as lost too (a standby may hold it by then). A standby tries
 * every quarter of the ttl, so it takes over at most {@code ttl + ttl/4} after the owner's last renewal.
 * {@link #close()} deletes the key when this process holds it (compare-and-delete), so an orderly stop hands over at
 * once.
 *
 * <p><b>Threads.</b> One {@code feed-lease} thread per lease tries, renews and calls the listener; the listener's
 * methods run on it and should return quickly. The constructor starts nothing; {@link #start()} starts the thread.
 */
public final class FeedLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedLease.class);
    static final String ACQUIRE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('GET', KEYS[1])} end
            local t = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. t, 'PX', ARGV[2])
            local prev = redis.call('GET', KEYS[3])
            redis.call('SET', KEYS[3], ARGV[1] .. ' ' .. t)
            return {t, prev or ''}
            """;
    static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    /** Told on the lease thread when this process takes the lease, and when it loses it. */
    public interface Listener {
        /**
         * This process owns the feed from now on.
         *
         * @param token         the fencing token (greater than every earlier owner's)
         * @param previousOwner the last owner's {@code "<owner> <token>"}, or empty when nobody held it before
         */
        void acquired(long token, String previousOwner);

        /** This process no longer owns the feed (another may); it must stop streaming it. */
        void lost(String reason);
    }

    /** Where this process stands. */
    public enum State { STANDBY, OWNER, LOST, CLOSED }

    private final RedisConfig redis;
    private final String feed;
    private final String owner;
    private final Duration ttl;
    private final Listener listener;
    private final String key;
    private final Thread thread;
    private volatile State state = State.STANDBY;
    private volatile long token;
    private volatile String holder = "";
    private volatile boolean running;

    /**
     * @param feed  the feed's name ({@code <provider>/<feed>}), the same in every instance
     * @param owner this process's name in the lease (e.g. {@code host:pid}); must differ between instances
     */
    public FeedLease(RedisConfig redis, String feed, String owner, Duration ttl, Listener listener) {
        if (ttl.toMillis() < 1_000) throw new IllegalArgumentException("lease ttl below 1 s");
        if (owner.contains(" ")) throw new IllegalArgumentException("owner must not contain spaces: " + owner);
        this.redis = redis;
        this.feed = feed;
        this.owner = owner;
        this.ttl = ttl;
        this.listener = listener;
        this.key = redis.keyPrefix() + ":lease:" + feed;
        this.thread = Thread.ofPlatform().name("feed-lease-" + feed).daemon(true).unstarted(this::run);
    }

    public synchronized FeedLease start() {
        if (running || state == State.CLOSED) throw new IllegalStateException("a feed lease starts once");
        running = true;
        thread.start();
        return this;
    }

    private void run() {
        long renewEvery = ttl.toNanos() / 3;
        long tryEvery = ttl.toNanos() / 4;
        long lastRenewed = 0;
        try (RedisClient client = RedisClients.pooled(redis, "system-trader-lease")) {
            while (running) {
                long now = System.nanoTime();
                try {
                    if (state == State.STANDBY) {
                        tryAcquire(client);
                        if (state == State.OWNER) lastRenewed = now;
                    } else if (state == State.OWNER) {
                        Object renewed = client.eval(RENEW, List.of(key), List.of(value(), Long.toString(ttl.toMillis())));
                        if (renewed instanceof Long l && l == 1L) {
                            lastRenewed = now;
                        } else {
                            lose("the lease expired and was taken by " + current(client));
                            return;
                        }
                    }
                } catch (RuntimeException e) {
                    log.warn("feed lease {}: Redis at {}: {}", feed, redis.safeUrl(), RedisClients.mask(redis, e.toString()));
                    if (state == State.OWNER && System.nanoTime() - lastRenewed > ttl.toNanos()) {
                        lose("could not renew the lease for " + ttl.toSeconds() + " s (Redis unreachable)");
                        return;
                    }
                }
                sleepNanos(state == State.OWNER ? renewEvery : tryEvery);
            }
        } catch (RuntimeException e) {
            log.error("feed lease {}: stopped: {}", feed, RedisClients.mask(redis, e.toString()));
            if (state == State.OWNER) lose("lease thread failed: " + e.getMessage());
        }
    }

    private void tryAcquire(RedisClient client) {
        Object r = client.eval(ACQUIRE, List.of(key, key + ":token", key + ":last"),
                List.of(owner, Long.toString(ttl.toMillis())));
        List<?> reply = (List<?>) r;
        long t = (Long) reply.get(0);
        String other = String.valueOf(reply.get(1));
        if (t == 0) {
            if (!other.equals(holder)) log.info("feed lease {}: standby; held by {}", feed, other);
            holder = other;
            return;
        }
        token = t;
        holder = value();
        state = State.OWNER;
        log.info("feed lease {}: acquired by {} with token {} (previous owner: {})", feed, owner, t,
                other.isEmpty() ? "none" : other);
        listener.acquired(t, other);
    }

    private String current(RedisClient client) {
        try {
            String v = client.get(key);
            return v == null ? "nobody (expired)" : v;
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private void lose(String reason) {
        state = State.LOST;
        log.warn("feed lease {}: lost by {} (token {}): {}", feed, owner, token, reason);
        listener.lost(reason);
    }

    private void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos); // the lease's rhythm, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private String value() { return owner + " " + token; }

    public State state() { return state; }
    /** The fencing token while (or since) this process owned the lease; 0 before. */
    public long token() { return token; }
    /** The holder last seen ({@code "<owner> <token>"}), this process's own value while it owns the lease. */
    public String holder() { return holder; }
    public String feed() { return feed; }

    /** Stops trying and renewing; releases the lease when this process holds it. */
    @Override public void close() {
        boolean wasOwner;
        synchronized (this) {
            if (state == State.CLOSED) return;
            wasOwner = state == State.OWNER;
            running = false;
            state = State.CLOSED;
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!wasOwner) return;
        try (RedisClient client = RedisClients.pooled(redis, "system-trader-lease")) {
            client.eval(RELEASE, List.of(key), List.of(value()));
            log.info("feed lease {}: released by {}", feed, owner);
        } catch (RuntimeException e) {
            log.warn("feed lease {}: could not release (it expires in {} s): {}", feed, ttl.toSeconds(),
                    RedisClients.mask(redis, e.toString()));
        }
    }
}
