package com.systemtrader.service;

import com.systemtrader.backfill.AutoBackfill;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.lease.FeedLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The feeds of a {@code collector} process with {@code bus.feed_lease}: each collector starts only once this
 * process takes its feed's {@link FeedLease}; until then it is a standby. On taking over, the time since the feed's
 * newest stored trade (what the previous owner did not get into the database) is backfilled from REST and recorded
 * in the {@code gap_ledger} as a hand-over. A feed's lease is named by the feed and the API key it streams on
 * ({@link #leaseName}): the vendors limit connections per key, so collectors of one feed and key share one lease,
 * while symbol shards on other keys hold leases of their own. A lease lost later (this process stalled past the lease's ttl, or lost
 * Redis) cannot be won back by the same collector, so {@link #failure()} completes with the reason and the process
 * stops (exit 1; systemd starts it again as a standby).
 *
 * <p>The constructor starts nothing; {@link #start()} starts the leases; {@link #close()} releases those held.
 */
public final class FeedLeases implements AutoCloseable {
    private final RedisConfig redis;
    private final Duration ttl;
    private final AutoBackfill backfill;
    private final Duration lookback;
    private final String owner;
    private final Map<String, FeedLease> leases = new LinkedHashMap<>();
    private final Set<String> standbys = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<String> failure = new CompletableFuture<>();

    /** @param backfill null without REST credentials or a database (the hand-over is then not backfilled) */
    FeedLeases(RedisConfig redis, Duration ttl, AutoBackfill backfill, Duration lookback) {
        this.redis = redis;
        this.ttl = ttl;
        this.backfill = backfill;
        this.lookback = lookback;
        this.owner = ownerName();
    }

    /** This process in the lease: {@code host:pid}. */
    static String ownerName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host.replace(' ', '_') + ":" + ProcessHandle.current().pid();
    }

    /**
     * The lease of {@code feed} streamed on the key whose id is {@code keyId}: {@code <feed>/<fingerprint>}, the
     * fingerprint being the first 12 hex digits of the SHA-256 of the key id (never the key).
     */
    static String leaseName(String feed, com.systemtrader.credentials.Secret keyId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(keyId.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return feed + "/" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Adds the feed {@code name} (e.g. {@code polygon/stocks}) streamed by {@code collector} once this process holds
     * the lease {@code leaseName} ({@link #leaseName}).
     */
    void add(String name, String leaseName, WebsocketCollector collector) {
        standbys.add(name);
        leases.put(name, new FeedLease(redis, leaseName, owner, ttl, new FeedLease.Listener() {
            @Override public void acquired(long token, String previousOwner) {
                standbys.remove(name);
                if (backfill != null) {
                    backfill.watch(collector, lookback, "hand-over: feed lease token " + token + " taken by " + owner
                            + (previousOwner.isEmpty() ? "" : " from " + previousOwner)
                            + "; since the last stored trade");
                }
                collector.start();
            }

            @Override public void lost(String reason) {
                failure.complete("feed lease " + name + " lost: " + reason);
            }
        }));
    }

    void start() {
        for (FeedLease l : leases.values()) l.start();
    }

    /** Completes with the reason when a held lease was lost (the process should stop). */
    public CompletableFuture<String> failure() { return failure; }

    /** The feeds this process waits for (a live view). */
    Set<String> standbys() { return Collections.unmodifiableSet(standbys); }

    /** Each feed's lease state, for {@code /health}. */
    public Map<String, FeedLease> leases() { return Collections.unmodifiableMap(leases); }

    /** Releases the leases this process holds (a standby elsewhere takes over at once). */
    @Override public void close() {
        List<RuntimeException> errors = new ArrayList<>();
        for (FeedLease l : leases.values()) {
            try {
                l.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) throw errors.get(0);
    }
}
