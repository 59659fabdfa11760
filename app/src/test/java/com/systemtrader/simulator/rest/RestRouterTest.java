package com.systemtrader.simulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestRouterTest extends RestTestSupport {
    private static final String ALPACA_URI = "/v2/stocks/trades/latest?symbols=AAPL";

    @Test
    void alpacaRateLimitAnswers429WithHeadersAndRecoversAfterTheWindow() {
        RestRouter router = router(config().withAlpacaRequestsPerMinute(3));
        long t0 = clock.millis;
        String reset = Long.toString(Math.ceilDiv(t0 + 60_000, 1000L));
        for (int i = 1; i <= 3; i++) {
            Answer a = alpaca(router, ALPACA_URI);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(a.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
            assertThat(a.header("X-RateLimit-Reset")).isEqualTo(reset);
            clock.advanceMillis(1_000);
        }
        Answer limited = alpaca(router, ALPACA_URI);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.text()).isEqualTo("{\"code\":42910000,\"message\":\"too many requests\"}");
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.header("X-RateLimit-Reset")).isEqualTo(reset);
        // another key has its own bucket
        assertThat(send(router, HttpMethod.GET, ALPACA_URI, "APCA-API-KEY-ID", "PKOTHER", "APCA-API-SECRET-KEY", "s2")
                .status()).isEqualTo(200);

        clock.millis = t0 + 59_999;
        assertThat(alpaca(router, ALPACA_URI).status()).isEqualTo(429);
        clock.millis = t0 + 60_000;
        Answer again = alpaca(router, ALPACA_URI);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("X-RateLimit-Remaining")).isEqualTo("2");
        assertThat(again.header("X-RateLimit-Reset")).isEqualTo(Long.toString(Math.ceilDiv(t0 + 120_000, 1000L)));
        assertThat(router.stats().tooManyRequestsAnswered()).isEqualTo(2);
    }

    @Test
    void alpacaDefaultIs200PerMinute() {
        RestRouter router = router(config());
        Answer a = alpaca(router, ALPACA_URI);
        assertThat(a.header("X-RateLimit-Limit")).isEqualTo("200");
        assertThat(a.header("X-RateLimit-Remaining")).isEqualTo("199");
        for (int i = 0; i < 199; i++) assertThat(alpaca(router, ALPACA_URI).status()).isEqualTo(200);
        assertThat(alpaca(router, ALPACA_URI).status()).isEqualTo(429);
    }

    @Test
    void polygonRateLimitAnswersItsOwnBodyWithoutHeaders() {
        RestRouter router = router(config().withPolygonRequestsPerMinute(2).withKeyRequestsPerMinute("other-key", 1));
        assertThat(polygon(router, "/v2/last/trade/AAPL").status()).isEqualTo(200);
        Answer second = polygon(router, "/v2/last/trade/AAPL");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("X-RateLimit-Limit")).isNull();
        Answer limited = polygon(router, "/v2/last/trade/AAPL");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(limited.json().get("request_id").asText()).hasSize(32);
        assertThat(limited.json().get("error").asText()).isEqualTo("You've exceeded the maximum requests per minute, "
                + "please wait or upgrade your subscription to continue.");
        assertThat(limited.header("X-RateLimit-Limit")).isNull();

        String other = "/v2/last/trade/AAPL?apiKey=other-key";
        assertThat(send(router, HttpMethod.GET, other).status()).isEqualTo(200);
        assertThat(send(router, HttpMethod.GET, other).status()).isEqualTo(429);

        clock.advanceMillis(60_000);
        assertThat(polygon(router, "/v2/last/trade/AAPL").status()).isEqualTo(200);
        assertThat(send(router, HttpMethod.GET, other).status()).isEqualTo(200);
        assertThat(router.stats().tooManyRequestsAnswered()).isEqualTo(2);
    }

    @Test
    void polygonIsUnlimitedByDefault() {
        RestRouter router = router(config());
        for (int i = 0; i < 500; i++) assertThat(polygon(router, "/v2/last/nbbo/AAPL").status()).isEqualTo(200);
    }

    @Test
    void failNextInjectsProviderShapedFailures() {
        RestRouter router = router(config());
        router.failNext(2, 503);
        Answer p = polygon(router, "/v2/last/trade/AAPL");
        assertThat(p.status()).isEqualTo(503);
        assertThat(p.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(p.json().get("request_id").asText()).hasSize(32);
        Answer a = alpaca(router, ALPACA_URI);
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("code").asLong()).isEqualTo(50310000L);
        assertThat(a.header("X-RateLimit-Limit")).isEqualTo("200");
        assertThat(polygon(router, "/v2/last/trade/AAPL").status()).isEqualTo(200);

        router.failNext(1, 429);
        Answer limited = alpaca(router, ALPACA_URI);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("code").asLong()).isEqualTo(42910000L);
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(alpaca(router, ALPACA_URI).status()).isEqualTo(200);

        router.failNext(1, 500);
        assertThat(polygon(router, "/v2/aggs/ticker/AAPL/prev").status()).isEqualTo(500);
        // injected failures apply only to authenticated requests
        router.failNext(1, 503);
        assertThat(send(router, HttpMethod.GET, "/v2/last/trade/AAPL?apiKey=bad").status()).isEqualTo(401);
        assertThat(polygon(router, "/v2/last/trade/AAPL").status()).isEqualTo(503);
        router.failNext(5, 503);
        router.failNext(0, 503);
        assertThat(polygon(router, "/v2/last/trade/AAPL").status()).isEqualTo(200);

        assertThat(router.stats().injectedFailures()).isEqualTo(5);
        assertThat(router.stats().tooManyRequestsAnswered()).isEqualTo(1);
    }

    @Test
    void unknownPathsMethodsAndMalformedUrisAreJsonErrors() {
        RestRouter router = router(config());
        Answer unknown = send(router, HttpMethod.GET, "/v9/whatever?apiKey=" + POLYGON_KEY);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(unknown.json().get("message").asText()).contains("/v9/whatever");
        Answer unknownAlpaca = send(router, HttpMethod.GET, "/v2/stocks/AAPL/bars/extra/deep");
        assertThat(unknownAlpaca.status()).isEqualTo(404);
        assertThat(unknownAlpaca.json().get("code").asLong()).isEqualTo(40410000L);
        assertThat(send(router, HttpMethod.GET, "/").status()).isEqualTo(404);

        Answer post = send(router, HttpMethod.POST, "/v2/last/trade/AAPL?apiKey=" + POLYGON_KEY);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET");

        Answer malformed = send(router, HttpMethod.GET, "/v2/last/trade/%zz?apiKey=" + POLYGON_KEY);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("malformed");
        assertThat(router.stats().notFound()).isEqualTo(3);
        assertThat(router.stats().requests(RestEndpoint.UNKNOWN)).isEqualTo(4);
    }

    @Test
    void countsRequestsPerEndpointAndIssuesDistinctRequestIds() {
        RestRouter router = router(config());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) ids.add(polygon(router, "/v2/last/trade/AAPL").json().get("request_id").asText());
        ids.add(polygon(router, "/v2/aggs/ticker/AAPL/range/1/minute/2024-05-30/2024-05-30").json()
                .get("request_id").asText());
        alpaca(router, "/v2/stocks/bars?symbols=AAPL&timeframe=1Min");
        alpaca(router, "/v2/stocks/AAPL/snapshot");
        assertThat(ids).hasSize(4);
        assertThat(router.stats().requests(RestEndpoint.POLYGON_LAST_TRADE)).isEqualTo(3);
        assertThat(router.stats().requests(RestEndpoint.POLYGON_AGGS)).isEqualTo(1);
        assertThat(router.stats().requests(RestEndpoint.ALPACA_BARS)).isEqualTo(1);
        assertThat(router.stats().requests(RestEndpoint.ALPACA_SYMBOL_SNAPSHOT)).isEqualTo(1);
        assertThat(router.stats().totalRequests()).isEqualTo(6);
        assertThat(router.stats().snapshot()).containsEntry("requests.polygon_last_trade", 3L)
                .containsEntry("too_many_requests", 0L);
    }

    @Test
    void theRouteTableMatchesEveryDocumentedPath() {
        assertThat(route("/v2/aggs/ticker/AAPL/range/1/minute/1/2")).isEqualTo(RestEndpoint.POLYGON_AGGS);
        assertThat(route("/v2/aggs/ticker/AAPL/prev")).isEqualTo(RestEndpoint.POLYGON_PREV);
        assertThat(route("/v2/last/trade/AAPL")).isEqualTo(RestEndpoint.POLYGON_LAST_TRADE);
        assertThat(route("/v2/last/nbbo/AAPL")).isEqualTo(RestEndpoint.POLYGON_LAST_NBBO);
        assertThat(route("/v2/snapshot/locale/us/markets/stocks/tickers")).isEqualTo(RestEndpoint.POLYGON_SNAPSHOT_TICKERS);
        assertThat(route("/v2/snapshot/locale/us/markets/stocks/tickers/AAPL"))
                .isEqualTo(RestEndpoint.POLYGON_SNAPSHOT_TICKER);
        assertThat(route("/v3/trades/AAPL")).isEqualTo(RestEndpoint.POLYGON_TRADES);
        assertThat(route("/v2/stocks/bars")).isEqualTo(RestEndpoint.ALPACA_BARS);
        assertThat(route("/v2/stocks/bars/latest")).isEqualTo(RestEndpoint.ALPACA_LATEST_BARS);
        assertThat(route("/v2/stocks/trades/latest")).isEqualTo(RestEndpoint.ALPACA_LATEST_TRADES);
        assertThat(route("/v2/stocks/quotes/latest")).isEqualTo(RestEndpoint.ALPACA_LATEST_QUOTES);
        assertThat(route("/v2/stocks/snapshots")).isEqualTo(RestEndpoint.ALPACA_SNAPSHOTS);
        assertThat(route("/v2/stocks/AAPL/bars")).isEqualTo(RestEndpoint.ALPACA_SYMBOL_BARS);
        assertThat(route("/v2/stocks/AAPL/trades/latest")).isEqualTo(RestEndpoint.ALPACA_SYMBOL_LATEST_TRADE);
        assertThat(route("/v2/stocks/AAPL/quotes/latest")).isEqualTo(RestEndpoint.ALPACA_SYMBOL_LATEST_QUOTE);
        assertThat(route("/v2/stocks/AAPL/bars/latest")).isEqualTo(RestEndpoint.ALPACA_SYMBOL_LATEST_BAR);
        assertThat(route("/v2/stocks/AAPL/snapshot")).isEqualTo(RestEndpoint.ALPACA_SYMBOL_SNAPSHOT);
        assertThat(route("/v2/aggs/ticker/AAPL/range/1/minute/1")).isEqualTo(RestEndpoint.UNKNOWN);
        assertThat(route("/v2/snapshot/locale/eu/markets/stocks/tickers")).isEqualTo(RestEndpoint.UNKNOWN);
    }

    private static RestEndpoint route(String path) {
        return RestEndpoint.match(java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty())
                .toArray(String[]::new));
    }
}
