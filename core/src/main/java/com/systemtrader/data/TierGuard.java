package com.systemtrader.data;

import com.systemtrader.rest.RateLimitedException;
import com.systemtrader.rest.RestException;
import com.systemtrader.schema.DataSource;
import com.systemtrader.support.LogLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one look at a tier (or at one source of a tier): a failure is caught, counted
 * ({@code provider.tier.failures{tier,source,reason}}), logged (first and then every power of two), recorded as a
 * {@link Attempt.Outcome#FAILED} attempt, and the tier is skipped for {@code retryAfter}
 * ({@link Attempt.Outcome#SKIPPED}) so a down tier costs one connect timeout per period, not one per call.
 */
final class TierGuard {
    private static final Logger log = LoggerFactory.getLogger(TierGuard.class);
    private volatile java.util.function.UnaryOperator<String> scrub = java.util.function.UnaryOperator.identity();

    /** HELP text of the counters {@link #count} makes. */
    private static final java.util.Map<String, String> DESCRIPTIONS = java.util.Map.of(
            "provider.answers", "answers of the data provider, by the tier and source that gave them and freshness",
            "provider.tier.failures", "tier lookups that failed, by tier, source and kind of failure",
            "provider.tier.skipped", "tier lookups skipped while the tier cools down after a failure");

    private final Duration retryAfter;
    private final LongSupplier nanoTime;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    private static final class State {
        volatile long downUntil;
        volatile String lastError = "";
        long failures;
        final LogLimiter failureLog;

        State(LongSupplier nanoTime) {
            this.failureLog = new LogLimiter(LogLimiter.EVERY_MINUTE, nanoTime);
        }
    }

    /** Masks secrets in failure reasons before they are logged or put into an answer's attempts. */
    void scrubWith(java.util.function.UnaryOperator<String> s) {
        this.scrub = s;
    }

    TierGuard(Duration retryAfter, LongSupplier nanoTime, MeterRegistry registry) {
        this.retryAfter = retryAfter;
        this.nanoTime = nanoTime;
        this.registry = registry;
    }

    /**
     * {@code op}'s value (never null), or empty after adding a FAILED or SKIPPED attempt to every list in
     * {@code attemptLists}.
     */
    <T> Optional<T> call(Tier tier, DataSource source, List<List<Attempt>> attemptLists, Supplier<T> op) {
        String key = tier.label() + (source == null ? "" : "/" + source.name());
        State s = states.get(key);
        if (s != null && s.downUntil - nanoTime.getAsLong() > 0) {
            Attempt a = new Attempt(tier, source, Attempt.Outcome.SKIPPED, "failed recently, retrying after "
                    + retryAfter.toMillis() + " ms: " + s.lastError);
            for (List<Attempt> l : attemptLists) l.add(a);
            count("provider.tier.skipped", tier, source, "cooling_down");
            return Optional.empty();
        }
        try {
            T v = java.util.Objects.requireNonNull(op.get(), "a tier answered null");
            if (s != null) s.downUntil = nanoTime.getAsLong();
            return Optional.of(v);
        } catch (RuntimeException e) {
            String reason = scrub.apply(reason(e));
            State st = states.computeIfAbsent(key, k -> new State(nanoTime));
            st.lastError = reason;
            st.downUntil = nanoTime.getAsLong() + retryAfter.toNanos();
            long n;
            synchronized (st) {
                n = ++st.failures;
            }
            long skipped = st.failureLog.admit();
            if (skipped >= 0) {
                log.warn("{} unavailable ({} failure(s) so far), falling back: {}{}", key, n, reason,
                        LogLimiter.skippedNote(skipped));
            }
            count("provider.tier.failures", tier, source, kind(e));
            Attempt a = new Attempt(tier, source, Attempt.Outcome.FAILED, reason);
            for (List<Attempt> l : attemptLists) l.add(a);
            return Optional.empty();
        }
    }

    void count(String name, Tier tier, DataSource source, String reason) {
        if (registry == null) return;
        Counter.builder(name).description(DESCRIPTIONS.getOrDefault(name, name)).tag("tier", tier.label())
                .tag("source", source == null ? "all" : source.name().toLowerCase(Locale.ROOT))
                .tag("reason", reason).register(registry).increment();
    }

    static String kind(RuntimeException e) {
        if (e instanceof RateLimitedException) return "rate_limited";
        if (e instanceof RestException r) return r.status() == 429 ? "rate_limited" : r.status() == 0 ? "unreachable" : "http_" + r.status();
        return e.getClass().getSimpleName();
    }

    /** A one-line reason: the exception's class and message, the root cause's when it adds something. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (root != e && root.getMessage() != null && (e.getMessage() == null || !e.getMessage().contains(root.getMessage()))) {
            m += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        m = m.replace('\n', ' ');
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
