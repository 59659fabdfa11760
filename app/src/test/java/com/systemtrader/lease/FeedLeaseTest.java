package com.systemtrader.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisTestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** {@link FeedLease} against a real Redis: one owner at a time, fencing tokens, hand-over, a stale owner told. */
class FeedLeaseTest {
    /** What a lease's listener heard. */
    private static final class Heard implements FeedLease.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override public void acquired(long token, String previousOwner) {
            events.add("acquired " + token + " after [" + previousOwner + "]");
        }

        @Override public void lost(String reason) { events.add("lost: " + reason); }
    }

    private static RedisConfig config(RedisTestServer redis) {
        return RedisConfig.local("127.0.0.1", redis.port).withKeyPrefix(redis.prefix);
    }

    @Test void oneOwnerAtATimeAndAnOrderlyCloseHandsOverAtOnceWithAHigherToken() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start()) {
            Heard a = new Heard();
            Heard b = new Heard();
            FeedLease first = new FeedLease(config(redis), "polygon/stocks", "host-a:1", Duration.ofSeconds(60), a);
            FeedLease second = new FeedLease(config(redis), "polygon/stocks", "host-b:2", Duration.ofSeconds(60), b);
            try {
                first.start();
                // the listener is told after the state changes: wait for what it heard
                await().atMost(Duration.ofSeconds(30)).until(() -> first.state() == FeedLease.State.OWNER
                        && !a.events.isEmpty());
                second.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> second.holder().equals("host-a:1 1"));
                assertThat(second.state()).isEqualTo(FeedLease.State.STANDBY);
                assertThat(a.events).containsExactly("acquired 1 after []");
                first.close(); // releases: the standby takes it on its next try, long before the 60 s ttl
                await().atMost(Duration.ofSeconds(30)).until(() -> second.state() == FeedLease.State.OWNER
                        && !b.events.isEmpty());
                assertThat(b.events).containsExactly("acquired 2 after [host-a:1 1]");
                assertThat(second.token()).isEqualTo(2);
                assertThat(a.events).hasSize(1); // an orderly close is not a loss
            } finally {
                first.close();
                second.close();
            }
        }
    }

    @Test void anOwnerWhoseLeaseWasTakenIsToldOnItsNextRenewalAndNeverRenewsIt() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start()) {
            Heard a = new Heard();
            FeedLease lease = new FeedLease(config(redis), "alpaca/iex", "host-a:1", Duration.ofSeconds(3), a);
            String key = redis.prefix + ":lease:alpaca/iex";
            try (Jedis j = redis.jedis()) {
                lease.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> lease.state() == FeedLease.State.OWNER);
                // as if this owner had stalled past the ttl and another process had taken the feed meanwhile
                j.set(key, "host-b:2 2");
                await().atMost(Duration.ofSeconds(30)).until(() -> lease.state() == FeedLease.State.LOST
                        && a.events.size() >= 2); // told after the state changes
                assertThat(a.events).hasSize(2);
                assertThat(a.events.get(1)).startsWith("lost: the lease expired and was taken by host-b:2 2");
                assertThat(j.get(key)).as("the stale owner did not overwrite the new one").isEqualTo("host-b:2 2");
                lease.close();
                assertThat(j.get(key)).as("closing a lost lease releases nothing").isEqualTo("host-b:2 2");
            } finally {
                lease.close();
            }
        }
    }
}
