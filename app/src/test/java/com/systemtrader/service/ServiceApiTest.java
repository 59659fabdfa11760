package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.systemtrader.cache.RangeQuery;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.cache.SeriesKey;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.RecordType;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's query endpoints over a real socket: the {@code RealtimeDataProvider} answers with provenance from
 * the tiers the service runs (memory, Redis, the database, the simulator's REST), and bad parameters are named.
 */
class ServiceApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir static Path dir;
    private static ExchangeSimulator sim;
    private static TestDatabase db;
    private static RedisTestServer redis;
    private static SystemTraderService service;

    @BeforeAll static void start() throws Exception {
        sim = ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(5, List.of("AAPL", "MSFT", "TSLA"))
                .withBarIntervalMs(1_000).withHalts(0)).rate(1_500).build());
        db = TestDatabase.create();
        redis = RedisTestServer.start();
        String yaml = ServiceTestSupport.yaml(dir, sim, db.url, redis, List.of("T", "Q", "AM"), List.of("AAPL", "MSFT"),
                "", "");
        CollectorConfig config = ServiceTestSupport.config(dir, yaml);
        APIKeyManager keys = ServiceTestSupport.simulatorKeys(dir);
        service = SystemTraderService.start(config, keys, Map.of());
        WebsocketCollector collector = service.collectors().values().iterator().next();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        // both symbols stream: AAPL's latest trade and MSFT's latest quote are known, and memory holds an AAPL
        // minute bar (AM)
        SeriesKey aaplMinutes = SeriesKey.bars(DataSource.POLYGON, "AAPL", BarInterval.MINUTE);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> collector
                .getLatestData("AAPL", RecordType.TRADE).isPresent()
                && collector.getLatestData("MSFT", RecordType.QUOTE).isPresent()
                && !service.memoryCache().range(RangeQuery.all(aaplMinutes, 1, false)).isEmpty()
                // the writer has migrated the fresh database and committed rows: the database tier can answer
                && service.storageWriter().rowsWritten() > 0);
    }

    @AfterAll static void stop() {
        if (service != null) service.close();
        if (sim != null) sim.close();
        if (redis != null) redis.close();
        if (db != null) db.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test void latestPriceAndQuoteComeFromMemoryWithTheirProvenance() throws Exception {
        HttpResponse<String> r = get("/api/price?symbol=aapl");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("symbol").asText()).isEqualTo("AAPL");
        assertThat(p.path("price").asDouble()).isPositive();
        assertThat(p.path("provenance").path("tier").asText()).isEqualTo("memory");
        assertThat(p.path("provenance").path("source").asText()).isEqualTo("polygon");
        assertThat(p.path("provenance").path("fresh").asBoolean()).isTrue();
        JsonNode q = JSON.readTree(get("/api/quote?symbol=MSFT&source=polygon").body());
        assertThat(q.path("ask").asDouble()).isGreaterThanOrEqualTo(q.path("bid").asDouble());
    }

    @Test void aSymbolNotStreamedIsAnsweredByRestAndSaysSo() throws Exception {
        HttpResponse<String> r = get("/api/price?symbol=TSLA");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("provenance").path("tier").asText()).isEqualTo("rest");
        assertThat(p.path("provenance").path("attempts").toString()).contains("memory", "redis", "database");
    }

    @Test void ohlcvAndMultiSymbolPrices() throws Exception {
        // the provider's minute bars (the simulator's AM, one-second "minutes" here): built bars need a whole minute
        HttpResponse<String> o = get("/api/ohlcv?symbol=AAPL&bars=5&interval=1m&origin=provider");
        assertThat(o.statusCode()).as(o.body()).isEqualTo(200);
        JsonNode s = JSON.readTree(o.body());
        assertThat(s.path("origin").asText()).isEqualTo("provider");
        assertThat(s.path("bars").size()).isBetween(1, 5);
        assertThat(s.path("bars").get(0).path("state").asText()).isEqualTo("final");
        HttpResponse<String> bad = get("/api/ohlcv?symbol=AAPL&origin=vendor");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("parameter 'origin'", "built or provider");
        assertThat(s.path("parts").size()).isPositive();
        JsonNode m = JSON.readTree(get("/api/prices?symbols=AAPL,MSFT,TSLA").body());
        assertThat(m.path("prices").size()).isEqualTo(3);
        assertThat(m.path("missing").size()).isZero();
    }

    @Test void badParametersAreNamed() throws Exception {
        assertThat(get("/api/price").body()).contains("parameter 'symbol'");
        assertThat(get("/api/price").statusCode()).isEqualTo(400);
        assertThat(get("/api/ohlcv?symbol=AAPL&bars=0").body()).contains("parameter 'bars'");
        assertThat(get("/api/ohlcv?symbol=AAPL&interval=7m").body()).contains("parameter 'interval'");
        assertThat(get("/api/price?symbol=AAPL&source=nyse").body()).contains("parameter 'source'");
        assertThat(get("/api/price?symbol=AAPL&max_age=soon").body()).contains("parameter 'max_age'");
        assertThat(get("/api/prices").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = get("/api/price?symbol=NOSUCH");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        // a NUL in the symbol never reaches the database (it used to fail the query and cool the tier down)
        HttpResponse<String> nul = get("/api/price?symbol=AAPL%00");
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(get("/api/price?symbol=MSFT&source=polygon").statusCode()).isEqualTo(200);
    }

    /** One request sent as typed (java.net.URI refuses malformed escapes): the status code and the body. */
    private static String[] raw(String pathAndQuery) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", service.httpPort())) {
            sock.setSoTimeout(30_000);
            sock.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String all = new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int sp = all.indexOf(' ');
            int body = all.indexOf("\r\n\r\n");
            return new String[] {all.substring(sp + 1, sp + 4), body < 0 ? "" : all.substring(body + 4)};
        }
    }

    /**
     * 2,000 hostile requests, 50 at a time (bad percent-encoding, NUL bytes, huge and negative numbers, overlong
     * symbols, unknown symbols): never a 500, never an internal detail in a body, and no data tier is cooled down
     * by any of them (a good request right after is still answered by the database and REST).
     */
    @Test void hostileRequestsNeverCoolATierDownOrLeakInternals() throws Exception {
        String[] paths = {"/api/price", "/api/quote", "/api/ohlcv", "/api/prices", "/api/latest"};
        String[] symbols = {"%ZZ", "%", "%0", "X%00", "A%27B", "%E2%82", "%C3%A9", "AAPL%20MSFT", "-1", "AAPL",
                "NOFUZZ1", "NOFUZZ2", "A".repeat(40), "A".repeat(3_000), "%25%30%30", "AAPL;DROP", "../../etc"};
        String[] numbers = {"-5", "0", "99999999999999999999", "50000", "1e9", "NaN", "Infinity", "-0", "%00", "%FF"};
        String[] intervals = {"7m", "", "1d", "%00", "1m"};
        String[] sources = {"nyse", "", "POLYGON", "%00", "alpaca"};
        java.util.Random random = new java.util.Random(42);
        java.util.List<String> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String path = paths[random.nextInt(paths.length)];
            String sym = symbols[random.nextInt(symbols.length)];
            StringBuilder q = new StringBuilder(path).append(path.equals("/api/prices") ? "?symbols=" : "?symbol=")
                    .append(sym);
            if (random.nextBoolean()) q.append("&bars=").append(numbers[random.nextInt(numbers.length)]);
            if (random.nextBoolean()) q.append("&interval=").append(intervals[random.nextInt(intervals.length)]);
            if (random.nextBoolean()) q.append("&max_age=").append(numbers[random.nextInt(numbers.length)]);
            if (random.nextInt(4) == 0) q.append("&source=").append(sources[random.nextInt(sources.length)]);
            requests.add(q.toString());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
        java.util.Map<String, String[]> answers = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    answers.put(n + " " + requests.get(n), raw(requests.get(n)));
                    return null;
                }));
            }
            for (var f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(answers).hasSize(2_000);
        assertThat(answers.entrySet()).allSatisfy(e -> {
            assertThat(e.getValue()[0]).as(e.getKey()).isIn("200", "400", "404", "503");
            // no URL, SQL or stack trace (a tier's failure reason in the provenance, e.g. a Redis read timeout
            // under CPU load, may name its exception class: that is the answer's own account, not a leak)
            assertThat(e.getValue()[1]).as(e.getKey()).doesNotContainIgnoringCase("jdbc")
                    .doesNotContain("SQLSTATE", "SELECT ", "at com.", "postgres", "redis://", "http://");
        });
        assertThat(answers.values()).extracting(a -> a[0]).contains("400", "200");
        // no tier was failed (and so cooled down) by any of them
        var families = PrometheusText.parse(get("/metrics").body());
        PrometheusText.Family failures = families.get("provider_tier_failures_total");
        if (failures != null) {
            // the database and REST tiers (which a bad parameter could reach) never failed; Redis may time out
            // under CPU load, which no request causes
            assertThat(failures.samples()).as("database and REST failures after hostile requests")
                    .filteredOn(x -> List.of("database", "rest").contains(x.labels().get("tier")))
                    .allMatch(x -> x.value() == 0);
        }
        HttpResponse<String> rest = get("/api/price?symbol=TSLA");
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        assertThat(JSON.readTree(rest.body()).path("provenance").path("tier").asText()).isEqualTo("rest");
    }

    /** Every metric the docs name (README, docs/, deploy/ READMEs) is one the service exports. */
    @Test void everyMetricTheDocsNameIsExported() throws Exception {
        get("/api/price?symbol=AAPL"); // the provider's meters appear with its first answer
        java.util.Set<String> exported = new java.util.HashSet<>();
        for (PrometheusText.Family f : PrometheusText.parse(get("/metrics").body()).values()) {
            exported.add(f.name());
            f.samples().forEach(x -> exported.add(x.name()));
        }
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile(
                "^(collector|cleaner|storage|cache|provider|http_api|bars|sink|jvm|process|system_cpu)_[a-z0-9_]+$");
        java.util.Set<String> missing = new java.util.TreeSet<>();
        int checked = 0;
        for (String[] span : com.systemtrader.docs.DocReferences.spans()) {
            for (String token : span[0].split("[\\s{(=,]+")) {
                if (!metric.matcher(token).matches()) continue;
                checked++;
                if (!exported.contains(token)) missing.add(token + " (" + span[1] + ")");
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(missing).as("metrics named by the docs that the service does not export").isEmpty();
    }

    /** Every collector feeds its four sinks through the one fan-out, each under its stated overflow policy. */
    @Test void eachCollectorsSinksAreMeteredWithTheirOverflowPolicy() throws Exception {
        String scrape = get("/metrics").body();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (PrometheusText.Family f : PrometheusText.parse(scrape).values()) {
            if (!f.name().equals("sink_depth")) continue;
            f.samples().forEach(x -> seen.add(x.labels().get("source") + "/" + x.labels().get("sink") + "="
                    + x.labels().get("overflow")));
        }
        assertThat(seen).as("the one enabled feed (Polygon)").containsExactly("polygon/listeners=block",
                "polygon/memory=block", "polygon/redis=conflate", "polygon/storage=spill");
    }

    /** The lint Prometheus's own tool applies to a scrape: zero findings. */
    @Test void promtoolFindsNothingToFixInTheMetrics() throws Exception {
        java.nio.file.Path promtool = java.util.stream.Stream.of(System.getenv("PATH").split(":"))
                .map(d -> java.nio.file.Path.of(d, "promtool")).filter(java.nio.file.Files::isExecutable)
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(promtool != null,
                "promtool is not installed (Debian's prometheus package; scripts/test.sh installs it when it can)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(get("/metrics").body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isBlank();
    }

    /** Every metric a query of the Grafana dashboard in deploy/ names is one the service exports. */
    @Test void theGrafanaDashboardNamesOnlyMetricsTheServiceExports() throws Exception {
        get("/api/price?symbol=AAPL"); // the provider's meters appear with its first answer
        java.util.Set<String> exported = new java.util.HashSet<>();
        for (PrometheusText.Family f : PrometheusText.parse(get("/metrics").body()).values()) {
            f.samples().forEach(x -> exported.add(x.name()));
        }
        JsonNode dash = JSON.readTree(java.nio.file.Path.of("deploy/grafana/system-trader.json").toFile());
        java.util.List<String> exprs = new java.util.ArrayList<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode t : panel.path("targets")) exprs.add(t.path("expr").asText());
        }
        assertThat(exprs).hasSizeGreaterThan(10);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b([a-z_][a-z0-9_]*_[a-z0-9_]+)\\b(?!\\s*\\()")
                .matcher(String.join("\n", exprs));
        java.util.Set<String> named = new java.util.TreeSet<>();
        while (m.find()) named.add(m.group(1));
        named.removeAll(java.util.Set.of("histogram_quantile")); // PromQL functions and keywords are not metrics
        assertThat(named).isNotEmpty();
        assertThat(named).filteredOn(n -> !exported.contains(n)).as("named by the dashboard, not exported").isEmpty();
    }

    @Test void theServiceExportsItsJvmAndProcessMeters() throws Exception {
        var m = PrometheusText.parse(get("/metrics").body());
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"))
                .anyMatch(k -> k.startsWith("jvm_gc_pause_seconds") || k.startsWith("jvm_gc_memory_allocated_bytes"))
                .anyMatch(k -> k.startsWith("jvm_threads_live_threads"))
                .anyMatch(k -> k.startsWith("process_cpu_usage"))
                .anyMatch(k -> k.startsWith("process_uptime_seconds"))
                .anyMatch(k -> k.startsWith("collector_messages_total"));
        // what promtool check metrics asks of every family: HELP text, and no gauge posing as a summary
        assertThat(m.values()).filteredOn(f -> f.help() == null || f.help().isBlank())
                .extracting(PrometheusText.Family::name).isEmpty();
        assertThat(m.values()).filteredOn(f -> f.type().equals("gauge"))
                .allSatisfy(f -> assertThat(f.samples()).noneMatch(x -> x.labels().containsKey("quantile")));
    }
}
