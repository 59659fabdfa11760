package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Secret;
import com.systemtrader.config.DataConfig;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API over a real socket, in front of a real collector streaming from the simulator. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ExchangeSimulator sim;
    private static WebsocketCollector collector;
    private static HttpApi api;
    private static HttpApi guarded;

    @BeforeAll static void start() throws Exception {
        sim = ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(3, List.of("AAPL", "MSFT"))
                .withBarIntervalMs(1_000).withHalts(0)).rate(2_000).build());
        APIKeyManager keys = APIKeyManager.load(Path.of("does-not-exist.yaml"),
                Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY), Clock.systemUTC());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedConfig feed = FeedConfig.polygonDefaults().withUrl(sim.uri("/stocks"));
        collector = new PolygonWebsocketCollector(feed, keys, DataConfig.defaults(), metrics);
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        // AAPL's trades and quotes stream: its latest of each is known, and 3,000 messages
        // (1.5 s at 2,000 a second) have been cleaned
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> collector
                .getLatestData("AAPL", RecordType.TRADE).isPresent() && collector.getLatestData("AAPL",
                RecordType.QUOTE).isPresent() && collector.qualityReport().received() >= 3_000);
        CollectorsView view = new CollectorsView(Map.of("polygon/stocks", collector));
        api = HttpApi.start(HttpApiConfig.loopback(0), metrics, view);
        guarded = HttpApi.start(new HttpApiConfig("127.0.0.1", 0, Secret.of("t0ken-for-tests")), metrics, view);
    }

    @AfterAll static void stop() {
        if (api != null) api.close();
        if (guarded != null) guarded.close();
        if (collector != null) collector.close();
        if (sim != null) sim.close();
    }

    private static HttpResponse<String> get(HttpApi on, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The dashboard's event stream: a snapshot at once and then every second, with the feed and its symbols. */
    @Test void theDashboardStreamSendsSnapshots() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + api.port() + "/api/stream")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
        List<com.fasterxml.jackson.databind.JsonNode> snapshots = new java.util.ArrayList<>();
        try (java.util.stream.Stream<String> lines = r.body()) {
            lines.filter(l -> l.startsWith("data: ")).limit(2).forEach(l -> {
                try {
                    snapshots.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l.substring(6)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        com.fasterxml.jackson.databind.JsonNode last = snapshots.get(1);
        assertThat(last.path("feeds").get(0).path("name").asText()).isEqualTo("polygon/stocks");
        assertThat(last.path("feeds").get(0).path("state").asText()).isEqualTo("STREAMING");
        assertThat(last.path("symbols").get(0).path("symbol").asText()).isEqualTo("AAPL");
        assertThat(last.path("symbols").get(0).path("price").asDouble()).isPositive();
        assertThat(last.path("storage").path("database").path("state").asText()).isEqualTo("OFF");
    }

    /**
     * With a token: the page and its files answer without it (they hold no data, and the page never holds the token),
     * the event stream does not; the files go gzip-compressed to a client that accepts it.
     */
    @Test void theDashboardsPageIsOpenAndItsDataIsGuarded() throws Exception {
        HttpResponse<String> page = get(guarded, "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-auth=\"bearer\"").doesNotContain("t0ken-for-tests");
        assertThat(get(api, "/", null).body()).contains("data-auth=\"none\"");
        assertThat(get(guarded, "/api/stream", null).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> zipped = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port()
                + "/ui/echarts.min.js")).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        byte[] js = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body())).readAllBytes();
        assertThat(js.length).isGreaterThan(3 * zipped.body().length);
        assertThat(get(guarded, "/ui/echarts-LICENSE.txt", null).body()).contains("Apache License");
    }

    @Test void healthReadyAndMetrics() throws Exception {
        assertThat(get(api, "/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(api, "/ready", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        HttpResponse<String> m = get(api, "/metrics", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        assertThat(PrometheusText.parse(m.body())).containsKeys("collector_messages_total", "cleaner_messages_total");
        assertThat(m.body()).contains("collector_messages_total", "cleaner_messages_total{", "outcome=\"accepted\"",
                "cleaner_rule_total{", "collector_ring_depth", "bars_published_total");
    }

    @Test void latestTradeWithItsProvenance() throws Exception {
        HttpResponse<String> r = get(api, "/api/latest?symbol=aapl&type=trade", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        assertThat(n.path("symbol").asText()).isEqualTo("AAPL");
        assertThat(n.path("source").asText()).isEqualTo("polygon");
        assertThat(n.path("tier").asText()).isEqualTo("memory");
        assertThat(n.path("event").path("price").asDouble()).isPositive();
        assertThat(n.path("event").path("conditions").isArray()).isTrue();
    }

    @Test void badParametersAre400AndUnknownSymbols404() throws Exception {
        assertThat(get(api, "/api/latest", null).statusCode()).isEqualTo(400);
        HttpResponse<String> badType = get(api, "/api/latest?symbol=AAPL&type=candle", null);
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.body()).contains("parameter 'type'", "candle");
        assertThat(get(api, "/api/latest?symbol=AAPL&source=nyse", null).statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = get(api, "/api/latest?symbol=NOPE", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown symbol 'NOPE'");
        assertThat(get(api, "/api/nothing", null).statusCode()).isEqualTo(404);
    }

    /** Every parameter is checked before any tier is asked: 400 naming it, never a 500 or an internal detail. */
    @Test void malformedInputIs400NamingTheParameter() throws Exception {
        String escape = raw(api, "/api/price?symbol=%ZZ");   // java.net.URI refuses to send it: a raw socket does
        assertThat(escape).startsWith("HTTP/1.1 400").contains("malformed query string");
        HttpResponse<String> nul = get(api, "/api/latest?symbol=X%00", null);
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.body()).contains("parameter 'symbol'", "U+0000");
        HttpResponse<String> quote = get(api, "/api/price?symbol=A%27B", null);   // A'B
        assertThat(quote.statusCode()).isEqualTo(400);
        assertThat(quote.body()).contains("parameter 'symbol'", "'''");
        HttpResponse<String> list = get(api, "/api/prices?symbols=AAPL,MS%22FT", null);   // MS"FT
        assertThat(list.statusCode()).isEqualTo(400);
        assertThat(list.body()).contains("parameter 'symbols'");
        // 50,000 daily bars reach back to the 19th century: refused, not sent to REST as a negative time
        HttpResponse<String> far = get(api, "/api/ohlcv?symbol=AAPL&bars=50000&interval=1d", null);
        assertThat(far.statusCode()).isEqualTo(400);
        assertThat(far.body()).contains("parameter 'bars'", "before 1970");
        HttpResponse<String> age = get(api, "/api/price?symbol=AAPL&max_age=NaN", null);
        assertThat(age.statusCode()).isEqualTo(400);
        assertThat(age.body()).contains("parameter 'max_age'");
        // valid parameters reach the (absent) provider
        assertThat(get(api, "/api/ohlcv?symbol=BRK.B&bars=500&interval=1d", null).statusCode()).isEqualTo(503);
    }

    /** The whole answer to {@code GET path} sent as typed, over a plain socket. */
    private static String raw(HttpApi on, String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", on.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test void headIsAnsweredWhereGetIs() throws Exception {
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/health")).HEAD().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        long length = Long.parseLong(head.headers().firstValue("content-length").orElseThrow());
        assertThat(length).isEqualTo(get(api, "/health", null).body().getBytes(StandardCharsets.UTF_8).length);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/health")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test void qualityGapsAndCollectors() throws Exception {
        JsonNode q = JSON.readTree(get(api, "/api/quality", null).body());
        assertThat(q.get(0).path("accounted_for").asBoolean()).isTrue();
        assertThat(q.get(0).path("received").asLong()).isPositive();
        assertThat(JSON.readTree(get(api, "/api/gaps", null).body()).isArray()).isTrue();
        assertThat(get(api, "/api/collectors", null).body()).contains("polygon/stocks", "STREAMING");
    }

    @Test void everyQualityReadWhileStreamingAddsUp() throws Exception {
        // the report is a cut taken between frames: no read may catch a message counted but not yet cleaned
        for (int i = 0; i < 5_000; i++) {
            var r = collector.qualityReport();
            assertThat(r.accountedFor()).as("read %d: %s", i, r).isTrue();
        }
        long before = collector.qualityReport().received();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(collector.qualityReport().received()).as("still streaming").isGreaterThan(before));
    }

    @Test void aConfiguredTokenGuardsEverythingButHealth() throws Exception {
        assertThat(get(guarded, "/health", null).statusCode()).isEqualTo(200);
        assertThat(get(guarded, "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/api/latest?symbol=AAPL", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = get(guarded, "/api/latest?symbol=AAPL", "t0ken-for-tests");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(get(guarded, "/metrics", null).body()).doesNotContain("t0ken-for-tests");
        // the scheme in any case (RFC 7235)
        for (String scheme : List.of("bearer", "BEARER", "Bearer")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port()
                    + "/ready")).header("Authorization", scheme + " t0ken-for-tests").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(scheme).isNotEqualTo(401);
        }
        HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port()
                + "/ready")).header("Authorization", "Basic t0ken-for-tests").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
    }
}
