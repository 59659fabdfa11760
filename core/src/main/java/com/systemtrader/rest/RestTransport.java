package com.systemtrader.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.credentials.Secret;
import com.systemtrader.credentials.TokenBucket;
import com.systemtrader.support.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer under both REST clients: one {@link HttpClient} (HTTP/1.1, keep-alive connection pool) shared by
 * every client built on this transport. Each attempt of a GET
 * <ol>
 *   <li>takes a token from the provider key's shared {@link TokenBucket} ({@link APIKeyManager#rateLimiter}),
 *       waiting at most {@link RestSettings#maxRateLimitWait()}, else {@link RateLimitedException};</li>
 *   <li>authenticates with the active key in headers, as the provider's credential spec says
 *       ({@link APIKeyManager#authenticate}): credentials never travel in the URL;</li>
 *   <li>on 5xx or an I/O error (timeout, refused, reset) backs off with full jitter and retries, up to
 *       {@link RestSettings#maxAttempts()};</li>
 *   <li>on 429 penalizes the bucket for {@code Retry-After} (seconds or HTTP-date), else Alpaca's
 *       {@code X-RateLimit-Reset}, else a jittered backoff, and retries through the bucket (so every caller of the
 *       key waits, not only this one);</li>
 *   <li>on a rejected key ({@link APIKeyManager#rejectsKey}) asks {@link APIKeyManager#rotate} once and retries with the
 *       next key if there is one;</li>
 *   <li>any other status fails at once with {@link RestException}.</li>
 * </ol>
 * Messages and logs name the provider, the path (never the query) and the status, with error bodies redacted by
 * {@link APIKeyManager#redact}. Metrics (when a registry is given): {@code rest.requests{provider,endpoint,status}},
 * {@code rest.retries{provider,endpoint,reason}}, {@code rest.rate_limited{provider,endpoint,cause}}; endpoint tags
 * are path templates such as {@code /v2/last/trade/{ticker}}, so their number is fixed. Thread-safe.
 */
public final class RestTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT_CHARS = 200;
    private static final Duration MAX_PENALTY = Duration.ofMinutes(5);

    private final RestSettings settings;
    private final Backoff backoff;
    private final HttpClient http;
    private final MeterRegistry registry;

    private RestTransport(RestSettings settings, HttpClient http, MeterRegistry registry) {
        this.settings = settings;
        this.backoff = Backoff.of(settings.backoffBase(), settings.backoffCap());
        this.registry = registry;
        this.http = http;
    }

    /**
     * A transport with its own HTTP client (the JDK client starts its selector thread here); {@code registry} may be
     * null (no metrics). Close it on shutdown.
     */
    public static RestTransport create(RestSettings settings, MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        return new RestTransport(settings, http, registry);
    }

    public RestSettings settings() { return settings; }

    /**
     * One GET with rate limiting, retries and authentication.
     *
     * @param endpoint the path template for metrics, e.g. {@code /v2/last/trade/{ticker}}
     * @param uri      the full request URI (it must not hold credentials)
     * @param notFoundIsEmpty answer null for a 404 instead of failing
     * @return the JSON body, or null for a tolerated 404
     * @throws RestException        when the call fails for good
     * @throws RateLimitedException when the key's rate limit would hold the request longer than allowed
     */
    public JsonNode get(Provider provider, APIKeyManager keys, String endpoint, URI uri, boolean notFoundIsEmpty) {
        String path = uri.getRawPath();
        int lastStatus = 0;
        boolean rotated = false;
        for (int attempt = 1; ; attempt++) {
            TokenBucket bucket = keys.rateLimiter(provider);
            takeToken(provider, endpoint, path, bucket, lastStatus);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(settings.requestTimeout())
                    .header("Accept", "application/json").header("Accept-Encoding", "gzip")
                    .header("User-Agent", "system-trader");
            Secret keyId = keys.authenticate(provider, request::header);
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                count(provider, endpoint, "io_error");
                String why = keys.redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                if (attempt >= settings.maxAttempts()) {
                    throw new RestException(provider, path, 0, "no response after " + attempt + " attempt"
                            + (attempt == 1 ? "" : "s") + " (" + why + ")", null);
                }
                retry(provider, endpoint, path, "io_error", why, backoff(attempt), attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RestException(provider, path, 0, "interrupted", e);
            }
            int status = response.statusCode();
            lastStatus = status;
            count(provider, endpoint, Integer.toString(status));
            if (status == 200) return parse(provider, keys, path, response);
            String excerpt = excerpt(keys, response);
            if (status == 404 && notFoundIsEmpty) return null;
            if (status == 429) {
                Duration wait = penalty(response, attempt);
                bucket.penalize(wait);
                rateLimited(provider, endpoint, "server_429");
                if (attempt >= settings.maxAttempts()) {
                    throw new RestException(provider, path, 429, "HTTP 429 after " + attempt + " attempts: " + excerpt, null);
                }
                LOG.warn("{} GET {}: HTTP 429 (attempt {}), holding the key's requests for {} ms", provider.displayName(),
                        path, attempt, wait.toMillis());
                retries(provider, endpoint, "429");
                continue; // the next takeToken waits out the penalty (or fails with RateLimitedException)
            }
            if (keys.rejectsKey(provider, status) && !rotated && keyId != null) {
                rotated = true;
                if (keys.rotate(provider, keyId, "HTTP " + status + " from " + path)) {
                    retries(provider, endpoint, "key_rotated");
                    continue;
                }
            }
            if (status >= 500 && attempt < settings.maxAttempts()) {
                retry(provider, endpoint, path, "5xx", "HTTP " + status, backoff(attempt), attempt);
                continue;
            }
            String tries = status >= 500 ? " after " + attempt + " attempts" : "";
            throw new RestException(provider, path, status, "HTTP " + status + tries + ": " + excerpt, null);
        }
    }

    private void takeToken(Provider provider, String endpoint, String path, TokenBucket bucket, int lastStatus) {
        try {
            if (bucket.acquire(settings.maxRateLimitWait())) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestException(provider, path, 0, "interrupted while waiting for the rate limit", e);
        }
        rateLimited(provider, endpoint, "wait_exceeded");
        throw new RateLimitedException(provider, path, lastStatus, Duration.ofNanos(bucket.nanosUntilAvailable()),
                settings.maxRateLimitWait());
    }

    private JsonNode parse(Provider provider, APIKeyManager keys, String path, HttpResponse<InputStream> response) {
        try (InputStream in = body(response)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new RestException(provider, path, 200, "unreadable JSON body ("
                    + keys.redact(String.valueOf(e.getMessage())).lines().findFirst().orElse("") + ")", null);
        }
    }

    private static InputStream body(HttpResponse<InputStream> response) throws IOException {
        InputStream in = response.body();
        return response.headers().firstValue("Content-Encoding").filter(v -> v.equalsIgnoreCase("gzip")).isPresent()
                ? new GZIPInputStream(in) : in;
    }

    /** The first {@value #EXCERPT_CHARS} characters of an error body, redacted and on one line. */
    private static String excerpt(APIKeyManager keys, HttpResponse<InputStream> response) {
        String text;
        try (InputStream in = body(response)) {
            text = new String(in.readNBytes(EXCERPT_CHARS * 4), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(body unreadable)";
        }
        StringBuilder b = new StringBuilder();
        String redacted = keys.redact(text);
        for (int i = 0; i < redacted.length() && b.length() < EXCERPT_CHARS; i++) {
            char c = redacted.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (b.isEmpty()) return "(empty body)";
        return redacted.length() > EXCERPT_CHARS ? b + "..." : b.toString();
    }

    /** How long to hold the key after a 429: Retry-After, else X-RateLimit-Reset, else a jittered backoff. */
    private Duration penalty(HttpResponse<?> response, int attempt) {
        Instant now = Instant.now();
        Duration fallback = max(settings.backoffBase(), backoff(attempt));
        Duration d = retryAfter(response.headers().firstValue("Retry-After").orElse(null), now);
        if (d == null) {
            d = TokenBucket.resetDelay(response.headers().firstValue("X-RateLimit-Reset").orElse(null), now, fallback);
        }
        return d;
    }

    /**
     * A {@code Retry-After} value: delta seconds or an HTTP-date, clamped to 0..5 minutes; null when absent or
     * unparsable.
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) return Duration.ZERO;
        return d.compareTo(MAX_PENALTY) > 0 ? MAX_PENALTY : d;
    }

    /** The wait before retry {@code attempt} (the project's {@link Backoff}: full jitter over a tenth-of-base floor). */
    Duration backoff(int attempt) {
        return backoff.delay(attempt);
    }

    private void retry(Provider provider, String endpoint, String path, String reason, String why, Duration wait,
                       int attempt) {
        retries(provider, endpoint, reason);
        LOG.warn("{} GET {}: {} (attempt {} of {}), retrying in {} ms", provider.displayName(), path, why, attempt,
                settings.maxAttempts(), wait.toMillis());
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestException(provider, path, 0, "interrupted while backing off", e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void count(Provider provider, String endpoint, String status) {
        if (registry == null) return;
        Counter.builder("rest.requests").tag("provider", provider.key()).tag("endpoint", endpoint).tag("status", status)
                .description("REST responses by status (io_error: none arrived)").register(registry).increment();
    }

    private void retries(Provider provider, String endpoint, String reason) {
        if (registry == null) return;
        Counter.builder("rest.retries").tag("provider", provider.key()).tag("endpoint", endpoint).tag("reason", reason)
                .description("REST attempts repeated after a failure").register(registry).increment();
    }

    private void rateLimited(Provider provider, String endpoint, String cause) {
        if (registry == null) return;
        Counter.builder("rest.rate_limited").tag("provider", provider.key()).tag("endpoint", endpoint).tag("cause", cause)
                .description("429 answers (server_429) and calls refused by the shared limit (wait_exceeded)")
                .register(registry).increment();
    }

    /** Closes the HTTP client (in-flight calls fail). */
    @Override
    public void close() {
        http.close();
    }
}
