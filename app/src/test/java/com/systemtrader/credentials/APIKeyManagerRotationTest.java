package com.systemtrader.credentials;

import static com.systemtrader.credentials.Keys.ALPACA_ID;
import static com.systemtrader.credentials.Keys.ALPACA_NEXT_ID;
import static com.systemtrader.credentials.Keys.ALPACA_NEXT_SECRET;
import static com.systemtrader.credentials.Keys.POLYGON;
import static com.systemtrader.credentials.Keys.POLYGON_NEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.systemtrader.credentials.Keys.FakeNanos;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class APIKeyManagerRotationTest {
    @TempDir
    Path dir;

    private final FakeNanos nanos = new FakeNanos();

    private APIKeyManager load(Map<String, String> env) {
        return APIKeyManager.load(dir.resolve("none.yaml"), env, Keys.CLOCK, nanos);
    }

    @Test
    void rotatesToTheNextKeyOnceThenReportsNoKeyLeft() {
        APIKeyManager m = load(Keys.fullEnv());
        TokenBucket first = m.rateLimiter(Provider.POLYGON);
        assertThat(m.rateLimiter(Provider.POLYGON)).isSameAs(first);
        try (LogCapture logs = new LogCapture()) {
            assertThat(m.rotate(Provider.POLYGON, "auth_failed")).isTrue();
            assertThat(logs.at(Level.WARN)).containsExactly(
                    "Polygon key ****q0dF rejected (auth_failed); switched to the next key ****1fGh"
                            + " (rotation 1)");
        }
        assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON_NEXT);
        assertThat(m.active(Provider.POLYGON).label()).isEqualTo("env POLYGON_API_KEY_NEXT");
        assertThat(m.rotations(Provider.POLYGON)).isEqualTo(1);
        assertThat(m.rotations(Provider.ALPACA)).isZero();
        assertThat(m.rateLimiter(Provider.POLYGON)).isNotSameAs(first);
        assertThat(m.describe().entry(Provider.POLYGON).nextKeyPresent()).isFalse();

        try (LogCapture logs = new LogCapture()) {
            assertThat(m.rotate(Provider.POLYGON, "401 Unknown API Key")).isFalse();
            assertThat(logs.at(Level.ERROR)).containsExactly(
                    "Polygon key ****1fGh rejected (401 Unknown API Key) and no next key is configured");
        }
        assertThat(m.rotations(Provider.POLYGON)).isEqualTo(1);
        assertThat(m.key(Provider.POLYGON)).isEmpty();
        assertThat(m.isConfigured(Provider.POLYGON)).isFalse();
        assertThatThrownBy(() -> m.active(Provider.POLYGON)).isInstanceOf(CredentialsException.class)
                .hasMessage("Polygon key ****1fGh was rejected (401 Unknown API Key) and no next key is configured");
        assertThat(m.describe().entry(Provider.POLYGON).rejected()).isTrue();
        assertThat(m.rotate(Provider.POLYGON, "again")).isFalse();
        assertThat(m.active(Provider.ALPACA).id().reveal()).isEqualTo(ALPACA_ID);
    }

    @Test
    void noNextKeyMeansFalseAndNoCount() {
        APIKeyManager m = load(Keys.polygonEnv());
        assertThat(m.rotate(Provider.POLYGON, "auth_failed")).isFalse();
        assertThat(m.rotations(Provider.POLYGON)).isZero();
        assertThat(m.rotate(Provider.ALPACA, "not configured")).isFalse();
    }

    @Test
    void alpacaRotatesThePair() {
        APIKeyManager m = load(Keys.fullEnv());
        assertThat(m.rotate(Provider.ALPACA, "402 auth failed")).isTrue();
        assertThat(m.active(Provider.ALPACA).id().reveal()).isEqualTo(ALPACA_NEXT_ID);
        assertThat(m.active(Provider.ALPACA).secret().reveal()).isEqualTo(ALPACA_NEXT_SECRET);
        assertThat(m.rotations(Provider.ALPACA)).isEqualTo(1);
        assertThat(m.rateLimiter(Provider.ALPACA).perMinute()).isEqualTo(200);
    }

    @Test
    void aRotatedKeyHasItsOwnBucket() {
        APIKeyManager m = load(Keys.fullEnv());
        TokenBucket old = m.rateLimiter(Provider.ALPACA);
        while (old.tryAcquire()) { /* spend the old key's budget */ }
        m.rotate(Provider.ALPACA, "403");
        assertThat(m.rateLimiter(Provider.ALPACA).available()).isEqualTo(200);
    }

    @Test
    void callersReportingTheSameRejectedKeyRotateOnlyOnce() throws Exception {
        APIKeyManager m = load(Keys.fullEnv());
        Secret rejected = m.active(Provider.POLYGON).id();
        int callers = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return m.rotate(Provider.POLYGON, rejected, "401");
                }));
            }
            go.countDown();
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        }
        assertThat(m.rotations(Provider.POLYGON)).isEqualTo(1);
        assertThat(m.active(Provider.POLYGON).id().reveal()).isEqualTo(POLYGON_NEXT);

        // the new key rejected too: now it is fatal, and stale reports of the first key say so as well
        assertThat(m.rotate(Provider.POLYGON, m.active(Provider.POLYGON).id(), "401")).isFalse();
        assertThat(m.rotate(Provider.POLYGON, rejected, "401")).isFalse();
    }

    @Test
    void readersSeeAConsistentKeyWhileAnotherThreadRotates() throws Exception {
        APIKeyManager m = load(Keys.fullEnv());
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                readers.add(pool.submit(() -> {
                    go.await();
                    int seen = 0;
                    for (int k = 0; k < 5_000; k++) {
                        String key = m.active(Provider.POLYGON).id().reveal();
                        if (!key.equals(POLYGON) && !key.equals(POLYGON_NEXT)) return -1;
                        seen++;
                    }
                    return seen;
                }));
            }
            go.countDown();
            assertThat(m.rotate(Provider.POLYGON, "401")).isTrue();
            for (Future<Integer> f : readers) assertThat(f.get()).isEqualTo(5_000);
        }
    }

    @Test
    void metricsCountRotationsTaggedByProviderOnly() {
        APIKeyManager m = load(Keys.fullEnv());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        m.bindTo(registry);
        m.rotate(Provider.POLYGON, "401");
        assertThat(registry.get("credentials.rotations").tag("provider", "polygon").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("credentials.rotations").tag("provider", "alpaca").functionCounter().count()).isZero();
        assertThat(registry.get("credentials.key.age.days").tag("provider", "polygon").gauge().value()).isEqualTo(-1);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).allSatisfy(t -> assertThat(t.getKey()).isEqualTo("provider"));
        }
    }

    @Test
    void theSharedBucketLimitsAllCallersOfAKey() {
        APIKeyManager m = load(Map.of("POLYGON_API_KEY", POLYGON));
        assertThat(m.rateLimiter(Provider.POLYGON).unlimited()).isTrue();
        APIKeyManager alpaca = load(Map.of("APCA_API_KEY_ID", ALPACA_ID, "APCA_API_SECRET_KEY", Keys.ALPACA_SECRET));
        int granted = 0;
        for (int i = 0; i < 1_000; i++) if (alpaca.rateLimiter(Provider.ALPACA).tryAcquire()) granted++;
        assertThat(granted).isEqualTo(200);
        nanos.advanceSeconds(3);
        assertThat(alpaca.rateLimiter(Provider.ALPACA).available()).as("no second burst within the minute").isZero();
        nanos.advanceSeconds(57.1);
        assertThat(alpaca.rateLimiter(Provider.ALPACA).available()).isEqualTo(200);
    }
}
