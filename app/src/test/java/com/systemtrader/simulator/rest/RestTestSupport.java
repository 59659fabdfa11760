package com.systemtrader.simulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/** Builds a router over {@link FixtureHistory} and sends it requests the way the server pipeline does. */
class RestTestSupport {
    static final String POLYGON_KEY = "poly-key";
    static final String ALPACA_ID = "PKTEST";
    static final String ALPACA_SECRET = "secret";
    static final String BASE_URL = "http://127.0.0.1:8089";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A settable wall clock. */
    static final class TestClock implements InstantSource {
        long millis = 1_717_077_600_000L; // 2024-05-30T14:00:00Z

        @Override public Instant instant() { return Instant.ofEpochMilli(millis); }

        @Override public long millis() { return millis; }

        void advanceMillis(long ms) { millis += ms; }
    }

    /** A decoded answer. */
    record Answer(int status, HttpHeaders headers, String text, JsonNode json) {
        String header(String name) { return headers.get(name); }
    }

    final FixtureHistory history = new FixtureHistory();
    final TestClock clock = new TestClock();

    static RestConfig config() {
        return RestConfig.of(Set.of(POLYGON_KEY, "other-key"), Map.of(ALPACA_ID, ALPACA_SECRET, "PKOTHER", "s2"),
                BASE_URL + "/");
    }

    RestRouter router(RestConfig config) {
        return new RestRouter(history, config, clock);
    }

    static Answer send(RestRouter router, HttpMethod method, String uri, String... headerPairs) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headerPairs.length; i += 2) req.headers().add(headerPairs[i], headerPairs[i + 1]);
        FullHttpResponse resp = router.handle(req, FixtureHistory.NOW);
        try {
            String text = resp.content().toString(StandardCharsets.UTF_8);
            assertThat(resp.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(resp.headers().getInt("Content-Length")).isEqualTo(resp.content().readableBytes());
            JsonNode json = JSON.readTree(text);
            return new Answer(resp.status().code(), resp.headers(), text, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            resp.release();
            req.release();
        }
    }

    /** GET with the Polygon key as {@code apiKey} query parameter. */
    static Answer polygon(RestRouter router, String uri) {
        return send(router, HttpMethod.GET, uri + (uri.contains("?") ? "&" : "?") + "apiKey=" + POLYGON_KEY);
    }

    /** GET with the Alpaca key headers. */
    static Answer alpaca(RestRouter router, String uri) {
        return send(router, HttpMethod.GET, uri, "APCA-API-KEY-ID", ALPACA_ID, "APCA-API-SECRET-KEY", ALPACA_SECRET);
    }

    /** The path and query of a {@code next_url}, checked to start with the base URL and to carry no key. */
    static String relative(String nextUrl) {
        assertThat(nextUrl).startsWith(BASE_URL + "/").doesNotContain("apiKey").doesNotContain(POLYGON_KEY);
        return nextUrl.substring(BASE_URL.length());
    }

    static long ns(String rfc3339) { return FixtureHistory.ns(rfc3339); }
}
