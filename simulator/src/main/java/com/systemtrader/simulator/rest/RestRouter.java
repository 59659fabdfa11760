package com.systemtrader.simulator.rest;

import com.systemtrader.codec.JsonOut;
import com.systemtrader.simulator.market.MarketHistory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's REST entry point: routes a request to the Polygon or Alpaca endpoint, authenticates it,
 * applies the per-key rate limit and any injected failure, and answers JSON with {@code Content-Type} and
 * {@code Content-Length} set. {@link #handle} never throws and never blocks (a bucket lock is held for a few
 * field updates); it may be called from several event loops at once. The caller keeps ownership of the
 * request (release it as usual) and writes the returned response.
 *
 * <p>Order of checks: unknown path 404, method 405, authentication (Polygon 401, Alpaca 403), rate limit 429,
 * injected failure ({@link #failNext}), then the endpoint (bad parameters: Polygon 400, Alpaca 422; no data:
 * 404). Alpaca answers after authentication carry {@code X-RateLimit-Limit/Remaining/Reset} when the key has a
 * limit.
 *
 * <p>Two clocks: {@code nowNs} passed to {@link #handle} is the market's time (it picks the session for
 * snapshots, daily and previous bars and Alpaca's default window); the {@link InstantSource} given to the
 * constructor is wall time for the rate-limit windows and the {@code X-RateLimit-Reset} header.
 */
public final class RestRouter {
    private static final String APCA_KEY_ID = "APCA-API-KEY-ID";
    private static final String APCA_SECRET = "APCA-API-SECRET-KEY";

    private final RestConfig config;
    private final InstantSource clock;
    private final RateLimiter polygonLimiter;
    private final RateLimiter alpacaLimiter;
    private final RestStats stats = new RestStats();
    private final PolygonAggs polygonAggs;
    private final PolygonTicks polygonTicks;
    private final PolygonSnapshots polygonSnapshots;
    private final AlpacaBars alpacaBars;
    private final AlpacaTrades alpacaTrades;
    private final AlpacaLatest alpacaLatest;
    private final AtomicInteger failRemaining = new AtomicInteger();
    private volatile int failStatus;
    private final AtomicLong requestCounter = new AtomicLong();
    private final long requestIdSeed;

    /** A router whose rate limits run on the system clock. */
    public RestRouter(MarketHistory history, RestConfig config) {
        this(history, config, InstantSource.system());
    }

    /** @param clock wall time for the rate-limit windows (tests pass a settable one) */
    public RestRouter(MarketHistory history, RestConfig config, InstantSource clock) {
        Objects.requireNonNull(history, "history");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.polygonLimiter = new RateLimiter(config::polygonLimitFor);
        this.alpacaLimiter = new RateLimiter(config::alpacaLimitFor);
        this.polygonAggs = new PolygonAggs(history, config);
        this.polygonTicks = new PolygonTicks(history, config);
        this.polygonSnapshots = new PolygonSnapshots(history);
        this.alpacaBars = new AlpacaBars(history, config);
        this.alpacaTrades = new AlpacaTrades(history, config);
        this.alpacaLatest = new AlpacaLatest(history);
        this.requestIdSeed = mix(System.identityHashCode(this) * 0x9E3779B97F4A7C15L ^ System.nanoTime());
    }

    /** Counters for export. */
    public RestStats stats() { return stats; }

    /**
     * Answers the next {@code count} authenticated, in-limit requests with {@code httpStatus} (e.g. 429, 500,
     * 503) and the provider's error body, instead of serving them; {@code count} 0 cancels.
     */
    public void failNext(int count, int httpStatus) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0");
        if (httpStatus < 400 || httpStatus > 599) throw new IllegalArgumentException("httpStatus must be 4xx or 5xx");
        failStatus = httpStatus;
        failRemaining.set(count);
    }

    /** Answers one request; never throws. */
    public FullHttpResponse handle(FullHttpRequest request, long nowNs) {
        String requestId = nextRequestId();
        HttpVersion version = request.protocolVersion();
        RestRequest r;
        try {
            r = RestRequest.parse(request, nowNs, requestId);
        } catch (RuntimeException e) {
            stats.onRequest(RestEndpoint.UNKNOWN);
            stats.onBadRequest();
            return RestResponses.json(version, HttpResponseStatus.BAD_REQUEST, RestResponses.polygonError(new JsonOut(256),
                    "ERROR", requestId, "error", "malformed request URI: " + e.getMessage()));
        }
        RestEndpoint endpoint = RestEndpoint.match(r.segments);
        stats.onRequest(endpoint);
        boolean alpaca = endpoint.provider() == RestEndpoint.Provider.ALPACA
                || (endpoint == RestEndpoint.UNKNOWN && r.path.startsWith("/v2/stocks"));
        RateLimiter.Decision limit = null; // set once an Alpaca request is authenticated
        try {
            if (endpoint == RestEndpoint.UNKNOWN) {
                return notFound(version, alpaca, requestId, "no such endpoint: " + RestException.shown(r.path));
            }
            if (!HttpMethod.GET.equals(request.method())) {
                stats.onBadRequest();
                FullHttpResponse resp = error(version, HttpResponseStatus.METHOD_NOT_ALLOWED, alpaca, requestId,
                        "method " + request.method() + " not allowed");
                resp.headers().set(HttpHeaderNames.ALLOW, "GET");
                return resp;
            }
            String key = alpaca ? alpacaKey(r) : polygonKey(r);
            if (key == null) {
                stats.onAuthFailure();
                if (alpaca) return json(version, HttpResponseStatus.FORBIDDEN, new JsonOut(64).beginObject()
                        .field("message", "forbidden").endObject());
                String why = polygonKeyGiven(r) ? "Unknown API Key" : "API Key was not provided";
                return json(version, HttpResponseStatus.UNAUTHORIZED,
                        RestResponses.polygonError(new JsonOut(256), "ERROR", requestId, "error", why));
            }
            long nowMillis = clock.millis();
            RateLimiter.Decision decision = (alpaca ? alpacaLimiter : polygonLimiter).tryAcquire(key, nowMillis);
            if (alpaca) limit = decision; // only Alpaca sends rate-limit headers
            if (!decision.allowed()) {
                return withLimitHeaders(tooMany(version, alpaca, requestId), limit, false);
            }
            int injected = takeInjectedFailure();
            if (injected != 0) {
                stats.onInjectedFailure();
                HttpResponseStatus status = HttpResponseStatus.valueOf(injected);
                FullHttpResponse resp = injected == 429 ? tooMany(version, alpaca, requestId)
                        : error(version, status, alpaca, requestId, status.reasonPhrase());
                return withLimitHeaders(resp, limit, injected == 429);
            }
            JsonOut out = new JsonOut(1024);
            dispatch(endpoint, r, out);
            return withLimitHeaders(json(version, HttpResponseStatus.OK, out), limit, false);
        } catch (RestException e) {
            FullHttpResponse resp;
            if (e.kind == RestException.Kind.NOT_FOUND) {
                resp = notFound(version, alpaca, requestId, e.getMessage());
            } else {
                stats.onBadRequest();
                resp = alpaca
                        ? json(version, HttpResponseStatus.UNPROCESSABLE_ENTITY, RestResponses.alpacaError(new JsonOut(256),
                                RestResponses.ALPACA_CODE_INVALID, e.getMessage()))
                        : json(version, HttpResponseStatus.BAD_REQUEST, RestResponses.polygonError(new JsonOut(256),
                                "ERROR", requestId, "error", e.getMessage()));
            }
            return withLimitHeaders(resp, limit, false);
        } catch (RuntimeException e) {
            stats.onInternalError();
            return withLimitHeaders(error(version, HttpResponseStatus.INTERNAL_SERVER_ERROR, alpaca, requestId,
                    "internal error: " + e), limit, false);
        }
    }

    private void dispatch(RestEndpoint endpoint, RestRequest r, JsonOut out) {
        switch (endpoint) {
            case POLYGON_AGGS -> polygonAggs.aggs(r, out);
            case POLYGON_PREV -> polygonAggs.prev(r, out);
            case POLYGON_LAST_TRADE -> polygonTicks.lastTrade(r, out);
            case POLYGON_LAST_NBBO -> polygonTicks.lastNbbo(r, out);
            case POLYGON_TRADES -> polygonTicks.trades(r, out);
            case POLYGON_QUOTES -> polygonTicks.quotes(r, out);
            case POLYGON_SNAPSHOT_TICKER -> polygonSnapshots.ticker(r, out);
            case POLYGON_SNAPSHOT_TICKERS -> polygonSnapshots.tickers(r, out);
            case ALPACA_BARS -> alpacaBars.multi(r, out);
            case ALPACA_SYMBOL_BARS -> alpacaBars.single(r, out);
            case ALPACA_TRADES -> alpacaTrades.multi(r, out);
            case ALPACA_SYMBOL_TRADES -> alpacaTrades.single(r, out);
            case ALPACA_LATEST_TRADES -> alpacaLatest.trades(r, out);
            case ALPACA_LATEST_QUOTES -> alpacaLatest.quotes(r, out);
            case ALPACA_LATEST_BARS -> alpacaLatest.bars(r, out);
            case ALPACA_SNAPSHOTS -> alpacaLatest.snapshots(r, out);
            case ALPACA_SYMBOL_LATEST_TRADE -> alpacaLatest.trade(r, out);
            case ALPACA_SYMBOL_LATEST_QUOTE -> alpacaLatest.quote(r, out);
            case ALPACA_SYMBOL_LATEST_BAR -> alpacaLatest.bar(r, out);
            case ALPACA_SYMBOL_SNAPSHOT -> alpacaLatest.snapshot(r, out);
            case UNKNOWN -> throw new IllegalStateException("unrouted endpoint");
        }
    }

    // ---- authentication ----

    private static boolean polygonKeyGiven(RestRequest r) {
        return r.param("apiKey") != null || bearer(r) != null;
    }

    /** The valid Polygon key of the request ({@code apiKey} query parameter first, then the Bearer header). */
    private String polygonKey(RestRequest r) {
        String k = r.param("apiKey");
        if (k == null) k = bearer(r);
        return k != null && config.polygonApiKeys().contains(k) ? k : null;
    }

    private static String bearer(RestRequest r) {
        String h = r.header(HttpHeaderNames.AUTHORIZATION.toString());
        if (h == null || h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String k = h.substring(7).trim();
        return k.isEmpty() ? null : k;
    }

    private String alpacaKey(RestRequest r) {
        String id = r.header(APCA_KEY_ID);
        String secret = r.header(APCA_SECRET);
        if (id == null || secret == null) return null;
        String expected = config.alpacaCredentials().get(id);
        return expected != null && expected.equals(secret) ? id : null;
    }

    // ---- answers ----

    private int takeInjectedFailure() {
        while (true) {
            int n = failRemaining.get();
            if (n <= 0) return 0;
            if (failRemaining.compareAndSet(n, n - 1)) return failStatus;
        }
    }

    private FullHttpResponse tooMany(HttpVersion version, boolean alpaca, String requestId) {
        stats.onTooManyRequests();
        JsonOut body = alpaca
                ? RestResponses.alpacaError(new JsonOut(64), RestResponses.ALPACA_CODE_TOO_MANY, "too many requests")
                : RestResponses.polygonError(new JsonOut(256), "ERROR", requestId, "error",
                        RestResponses.POLYGON_RATE_LIMITED);
        return json(version, HttpResponseStatus.TOO_MANY_REQUESTS, body);
    }

    private FullHttpResponse notFound(HttpVersion version, boolean alpaca, String requestId, String message) {
        stats.onNotFound();
        JsonOut body = alpaca
                ? RestResponses.alpacaError(new JsonOut(128), RestResponses.ALPACA_CODE_NOT_FOUND, message)
                : RestResponses.polygonError(new JsonOut(256), "NOT_FOUND", requestId, "message", message);
        return json(version, HttpResponseStatus.NOT_FOUND, body);
    }

    private static FullHttpResponse error(HttpVersion version, HttpResponseStatus status, boolean alpaca,
                                          String requestId, String message) {
        JsonOut body = alpaca
                ? RestResponses.alpacaError(new JsonOut(128), RestResponses.alpacaCode(status.code()), message)
                : RestResponses.polygonError(new JsonOut(256), "ERROR", requestId, "error", message);
        return json(version, status, body);
    }

    private static FullHttpResponse json(HttpVersion version, HttpResponseStatus status, JsonOut body) {
        return RestResponses.json(version, status, body);
    }

    /** Alpaca's rate-limit headers; Polygon documents none. */
    private static FullHttpResponse withLimitHeaders(FullHttpResponse resp, RateLimiter.Decision d, boolean exhausted) {
        if (d == null || d.unlimited()) return resp;
        HttpHeaders h = resp.headers();
        h.setInt("X-RateLimit-Limit", d.limit());
        h.setInt("X-RateLimit-Remaining", exhausted ? 0 : d.remaining());
        h.set("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
        return resp;
    }

    private String nextRequestId() {
        long n = requestCounter.incrementAndGet();
        long hi = mix(requestIdSeed + n);
        long lo = mix(hi ^ n * 0xBF58476D1CE4E5B9L);
        char[] c = new char[32];
        for (int i = 0; i < 16; i++) {
            c[i] = Character.forDigit((int) (hi >>> (60 - 4 * i)) & 0xF, 16);
            c[16 + i] = Character.forDigit((int) (lo >>> (60 - 4 * i)) & 0xF, 16);
        }
        return new String(c);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
