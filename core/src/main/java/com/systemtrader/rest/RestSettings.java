package com.systemtrader.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the REST clients, shared by both providers through one {@link RestTransport}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>connectTimeout</td><td>5 s</td><td>TCP (and TLS) connect bound of the shared HTTP client</td></tr>
 *   <tr><td>requestTimeout</td><td>30 s</td><td>bound from sending a request to receiving the response headers</td></tr>
 *   <tr><td>maxAttempts</td><td>4</td><td>attempts per request (1 = no retry); 5xx, I/O errors and 429 are retried</td></tr>
 *   <tr><td>backoffBase</td><td>250 ms</td><td>first backoff ceiling; doubles per attempt (full jitter: a uniform
 *       wait in [base/10, ceiling], {@code support.Backoff})</td></tr>
 *   <tr><td>backoffCap</td><td>30 s</td><td>largest backoff ceiling</td></tr>
 *   <tr><td>maxRateLimitWait</td><td>65 s</td><td>longest wait for the key's shared rate limit (including a 429
 *       penalty) before {@link RateLimitedException}; 65 s lets a 5/min key page through a backfill</td></tr>
 *   <tr><td>maxPages</td><td>10 000</td><td>pages one paginated call may fetch before it fails (guards against
 *       a runaway range or a server that repeats cursors)</td></tr>
 *   <tr><td>maxSymbolsPerRequest</td><td>100</td><td>symbols per multi-symbol request; longer lists are split
 *       into several requests (keeps URLs short)</td></tr>
 * </table>
 */
public record RestSettings(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration backoffBase,
                           Duration backoffCap, Duration maxRateLimitWait, int maxPages, int maxSymbolsPerRequest) {
    public static final RestSettings DEFAULTS = new RestSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), 4,
            Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(65), 10_000, 100);

    public RestSettings {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(backoffBase, "backoffBase");
        positive(backoffCap, "backoffCap");
        Objects.requireNonNull(maxRateLimitWait, "maxRateLimitWait");
        if (maxRateLimitWait.isNegative()) throw new IllegalArgumentException("maxRateLimitWait must not be negative");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (maxPages < 1) throw new IllegalArgumentException("maxPages must be >= 1");
        if (maxSymbolsPerRequest < 1) throw new IllegalArgumentException("maxSymbolsPerRequest must be >= 1");
    }

    public RestSettings withTimeouts(Duration connect, Duration request) {
        return new RestSettings(connect, request, maxAttempts, backoffBase, backoffCap, maxRateLimitWait, maxPages,
                maxSymbolsPerRequest);
    }

    public RestSettings withRetries(int attempts, Duration base, Duration cap) {
        return new RestSettings(connectTimeout, requestTimeout, attempts, base, cap, maxRateLimitWait, maxPages,
                maxSymbolsPerRequest);
    }

    public RestSettings withMaxRateLimitWait(Duration wait) {
        return new RestSettings(connectTimeout, requestTimeout, maxAttempts, backoffBase, backoffCap, wait, maxPages,
                maxSymbolsPerRequest);
    }

    public RestSettings withMaxPages(int pages) {
        return new RestSettings(connectTimeout, requestTimeout, maxAttempts, backoffBase, backoffCap, maxRateLimitWait,
                pages, maxSymbolsPerRequest);
    }

    public RestSettings withMaxSymbolsPerRequest(int symbols) {
        return new RestSettings(connectTimeout, requestTimeout, maxAttempts, backoffBase, backoffCap, maxRateLimitWait,
                maxPages, symbols);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
