package com.systemtrader.rest;

import com.systemtrader.provider.polygon.PolygonRestClient;
import com.systemtrader.provider.alpaca.AlpacaRestClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.polygon.PolygonRestClient.Timespan;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP layer's failure handling: unreachable hosts, timeouts, Retry-After, and keeping keys out of messages. */
class RestTransportTest extends RestTestSupport {

    @Test
    void aRefusedConnectionFailsNamingTheEndpointAfterTheRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PolygonRestClient c = new PolygonRestClient(URI.create("http://127.0.0.1:" + port), keys(0, 0), transport(FAST));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> c.lastTrade("AAPL")).isInstanceOf(RestException.class)
                .hasMessageStartingWith("Polygon GET /v2/last/trade/AAPL: no response after 4 attempts")
                .satisfies(e -> assertThat(((RestException) e).status()).isZero());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(counter("rest.requests", "status", "io_error")).isEqualTo(4);
        assertThat(counter("rest.retries", "reason", "io_error")).isEqualTo(3);
    }

    @Test
    void aServerThatNeverAnswersHitsTheRequestTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // accepts, never answers
            RestSettings settings = FAST.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(400))
                    .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20));
            AlpacaRestClient c = new AlpacaRestClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    keys(0, 0), transport(settings), "iex");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.latestTrades(List.of("AAPL"))).isInstanceOf(RestException.class)
                    .hasMessageStartingWith("Alpaca GET /v2/stocks/trades/latest: no response after 2 attempts")
                    .hasMessageContaining("Timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
        }
    }

    @Test
    void retryAfterInSecondsIsHonoredAndTheCallSucceeds() throws Exception {
        // The simulator sends no Retry-After (Polygon documents none, Alpaca uses X-RateLimit-Reset), so a two-line
        // JDK server plays a provider that does: 429 with Retry-After: 1, then the answer.
        AtomicInteger calls = new AtomicInteger();
        List<Long> at = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/last/trade/AAPL", ex -> {
            synchronized (at) { at.add(System.nanoTime()); }
            byte[] body;
            if (calls.incrementAndGet() == 1) {
                body = "{\"status\":\"ERROR\",\"error\":\"slow down\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Retry-After", "1");
                ex.sendResponseHeaders(429, body.length);
            } else {
                body = ("{\"status\":\"OK\",\"results\":{\"T\":\"AAPL\",\"c\":[12,37],\"i\":\"237688\",\"p\":166.25,\"s\":2,"
                        + "\"x\":4,\"r\":202,\"z\":3,\"t\":1651179319310617300,\"y\":1651179319308000000,"
                        + "\"f\":1651179319310588400,\"q\":7084210}}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
            }
            try (OutputStream o = ex.getResponseBody()) { o.write(body); }
        });
        server.start();
        try {
            PolygonRestClient c = new PolygonRestClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    keys(0, 0), transport(FAST));
            var t = c.lastTrade("AAPL").orElseThrow();
            assertThat(t.price()).isEqualTo(166.25);
            assertThat(t.tape()).isEqualTo('C');
            assertThat(t.trfId()).isEqualTo(202);
            assertThat(t.trfTimeNs()).isEqualTo(1651179319310588400L);
            assertThat(t.sequence()).isEqualTo(7084210L);
            assertThat(t.conditions().toArray()).containsExactly(12, 37);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void retryAfterParsesSecondsAndHttpDatesAndClamps() {
        Instant now = Instant.parse("2026-11-24T05:00:00Z");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(42).atOffset(ZoneOffset.UTC));
        assertThat(RestTransport.retryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RestTransport.retryAfter(date, now)).isEqualTo(Duration.ofSeconds(42));
        assertThat(RestTransport.retryAfter("Tue, 24 Nov 2026 04:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(RestTransport.retryAfter("86400", now)).isEqualTo(Duration.ofMinutes(5));
        assertThat(RestTransport.retryAfter("soon", now)).isNull();
        assertThat(RestTransport.retryAfter(null, now)).isNull();
    }

    @Test
    void backoffIsFullJitterUnderADoublingCeilingAndTheCap() {
        RestTransport t = transport(RestSettings.DEFAULTS.withRetries(5, Duration.ofMillis(100), Duration.ofSeconds(1)));
        for (int i = 0; i < 200; i++) {
            assertThat(t.backoff(1)).isBetween(Duration.ZERO, Duration.ofMillis(100));
            assertThat(t.backoff(3)).isBetween(Duration.ZERO, Duration.ofMillis(400));
            assertThat(t.backoff(40)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void noKeyEverReachesAMessageOrALogLine() {
        start(simConfig().polygonRestPerMinute(3).alpacaRestPerMinute(1)); // injected failures use up the limit too
        List<String> texts = new ArrayList<>();
        APIKeyManager keys = keys(0, 0);
        APIKeyManager wrong = keys("WrOnGkEy9vB4nR8sT1wY6uE3iO5aLq0dQ", 0, 0);
        RestTransport t = transport(FAST);
        PolygonRestClient polygon = new PolygonRestClient(base(), keys, t);
        AlpacaRestClient alpaca = new AlpacaRestClient(base(), keys, t, "iex");
        sim.rest().failNext(2, 500);
        polygon.lastTrade("AAPL"); // two 500s logged, then the one allowed request
        Runnable[] failing = {
            () -> polygon.lastQuote("AAPL"),                                  // simulator limit: 429s
            () -> alpaca.latestTrades(List.of("AAPL")),
            () -> alpaca.snapshots(List.of("AAPL")),                          // 429 with X-RateLimit-Reset
            () -> new PolygonRestClient(base(), wrong, t).lastTrade("AAPL"),   // 401, no next key
            () -> new PolygonRestClient(URI.create("http://127.0.0.1:1"), keys, t).aggregates("AAPL", 1,
                    Timespan.MINUTE, Instant.now().minusSeconds(600), Instant.now()),
        };
        for (Runnable r : failing) {
            try {
                r.run();
            } catch (RuntimeException e) {
                texts.add(fullText(e));
            }
        }
        assertThat(texts).hasSizeGreaterThanOrEqualTo(4);
        assertThat(texts).anyMatch(s -> s.contains("HTTP 401") && s.contains("/v2/last/trade/AAPL"));
        texts.addAll(logLines());
        texts.add(String.valueOf(registry.getMeters().stream().map(m -> m.getId().toString()).toList()));
        for (String secret : List.of(POLYGON_KEY, ALPACA_ID, ALPACA_SECRET, "WrOnGkEy9vB4nR8sT1wY6uE3iO5aLq0dQ")) {
            assertThat(texts).noneMatch(s -> s.contains(secret));
        }
        assertThat(logLines()).anyMatch(l -> l.contains("HTTP 500"));
    }
}
