package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.credentials.Secret;
import com.systemtrader.lease.FeedLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A feed's lease is named by the feed and the key it streams on: collectors of one feed and key share it (one owner,
 * the other a standby), collectors of the same feed on other keys (symbol shards) each own theirs, and the name
 * never holds the key.
 */
class FeedLeaseNameTest {
    private static FeedLease lease(RedisTestServer redis, String key, String owner, List<FeedLease> started) {
        FeedLease l = new FeedLease(redis.config(), FeedLeases.leaseName("polygon/stocks", Secret.of(key)), owner,
                Duration.ofSeconds(60), new FeedLease.Listener() {
                    @Override public void acquired(long token, String previousOwner) { }

                    @Override public void lost(String reason) { }
                });
        started.add(l);
        l.start();
        return l;
    }

    private static final String KEY_A = "pk_shard_a_0123456789abcdefghij";
    private static final String KEY_B = "pk_shard_b_0123456789abcdefghij";

    @Test void theNameIsTheFeedAndAFingerprintOfTheKey() {
        String a = FeedLeases.leaseName("polygon/stocks", Secret.of(KEY_A));
        assertThat(a).matches("polygon/stocks/[0-9a-f]{12}").doesNotContain(KEY_A.substring(3, 11));
        assertThat(FeedLeases.leaseName("polygon/stocks", Secret.of(KEY_A))).isEqualTo(a);
        assertThat(FeedLeases.leaseName("polygon/stocks", Secret.of(KEY_B))).isNotEqualTo(a);
        assertThat(FeedLeases.leaseName("alpaca/sip", Secret.of(KEY_A))).isNotEqualTo(a);
    }

    @Test void oneKeyOneOwnerAndShardsOnOtherKeysOwnTheirs() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start()) {
            List<FeedLease> leases = new ArrayList<>();
            try {
                FeedLease a1 = lease(redis, KEY_A, "host-1:1", leases);
                await().atMost(Duration.ofSeconds(30)).until(() -> a1.state() == FeedLease.State.OWNER);
                FeedLease b = lease(redis, KEY_B, "host-3:3", leases);
                await().atMost(Duration.ofSeconds(30)).until(() -> b.state() == FeedLease.State.OWNER);
                FeedLease a2 = lease(redis, KEY_A, "host-2:2", leases);
                // a standby once it has seen the holder: the first collector of its key
                await().atMost(Duration.ofSeconds(30)).until(() -> a2.holder().startsWith("host-1:1 "));
                assertThat(a2.state()).isEqualTo(FeedLease.State.STANDBY);
                assertThat(a1.state()).isEqualTo(FeedLease.State.OWNER);
                assertThat(b.holder()).startsWith("host-3:3 ");
            } finally {
                for (FeedLease l : leases) l.close();
            }
        }
    }
}
