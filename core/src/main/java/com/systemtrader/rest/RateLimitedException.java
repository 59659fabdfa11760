package com.systemtrader.rest;

import com.systemtrader.credentials.Provider;
import java.time.Duration;

/**
 * The key's shared rate limit (or a 429 penalty the provider imposed) would not let the request out within
 * {@link RestSettings#maxRateLimitWait()}. Nothing was sent for the failed attempt; retry later or raise the bound.
 */
public final class RateLimitedException extends RestException {
    private final Duration retryIn;

    public RateLimitedException(Provider provider, String path, int lastStatus, Duration retryIn, Duration bound) {
        super(provider, path, lastStatus, "rate limited: the key's next request slot is in "
                + seconds(retryIn) + ", beyond the " + seconds(bound) + " wait bound"
                + (lastStatus == 429 ? " (the provider answered 429)" : ""), null);
        this.retryIn = retryIn;
    }

    /** How long until the key may send again, as known when the call gave up. */
    public Duration retryIn() { return retryIn; }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
