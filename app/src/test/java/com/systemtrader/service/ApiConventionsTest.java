package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's conventions over a real socket: every endpoint answers a parameter it does not take with 400 naming it;
 * {@code /api/openapi.json} is a valid OpenAPI 3 document (parsed by swagger-parser) listing exactly the routes the
 * server answers, with the parameters each accepts; JSON names are snake_case.
 */
class ApiConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HttpApi api;

    @BeforeAll static void start() {
        api = HttpApi.start(HttpApiConfig.loopback(0), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new CollectorsView(Map.of()));
    }

    @AfterAll static void stop() {
        if (api != null) api.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> head(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test void everyEndpointAnswersAnUnknownParameterWith400NamingIt() throws Exception {
        for (ApiSpec.Endpoint e : ApiSpec.ENDPOINTS) {
            HttpResponse<String> r = get(e.path() + "?symbol=AAPL&zz_unknown=1");
            String name = e.takes("symbol") ? "zz_unknown" : "symbol";  // the first it does not take
            assertThat(r.statusCode()).as(e.path() + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("message").asText())
                    .startsWith("unknown parameter '" + name + "' for " + e.path());
        }
    }

    /** The cases users hit: a range asked of the last-N endpoint, a format that does not exist, a typo. */
    @Test void parametersThatWereSilentlyIgnoredAreNamed() throws Exception {
        HttpResponse<String> start = get("/api/ohlcv?symbol=AAPL&start=2026-12-04T14:30:00Z");
        assertThat(start.statusCode()).isEqualTo(400);
        assertThat(start.body()).contains("unknown parameter 'start' for /api/ohlcv",
                "it takes symbol, bars, interval, origin, source, max_age");
        HttpResponse<String> format = get("/api/ohlcv?symbol=AAPL&format=csv");
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.body()).contains("unknown parameter 'format'");
        HttpResponse<String> typo = get("/api/ohlcv?symbol=AAPL&intreval=5m");
        assertThat(typo.body()).contains("unknown parameter 'intreval'", "did you mean 'interval'?");
        HttpResponse<String> badTime = get("/api/bars?symbol=AAPL&start=yesterday");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(badTime.body()).contains("parameter 'start': not an RFC 3339 time");
    }

    @Test void theOpenApiDocumentIsValidAndListsExactlyTheRoutes() throws Exception {
        HttpResponse<String> r = get("/api/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body());
        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");

        Set<String> documented = parsed.getOpenAPI().getPaths().keySet();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                ApiSpec.ENDPOINTS.stream().map(ApiSpec.Endpoint::path).toList());
        for (String path : documented) {
            var op = parsed.getOpenAPI().getPaths().get(path).getGet();
            assertThat(op).as(path).isNotNull();
            // the server routes it (no 404 "no such endpoint"), and takes every parameter it documents
            StringBuilder q = new StringBuilder();
            List<String> names = new ArrayList<>();
            if (op.getParameters() != null) op.getParameters().forEach(p -> names.add(p.getName()));
            for (String n : names) q.append(q.isEmpty() ? "?" : "&").append(n).append("=x");
            // an event stream does not end: its headers only (HEAD), which say it is one
            boolean stream = op.getResponses().get("200").getContent().containsKey("text/event-stream");
            HttpResponse<String> answer = stream ? head(path + q) : get(path + q);
            if (stream) {
                assertThat(answer.statusCode()).as(path).isEqualTo(200);
                assertThat(answer.headers().firstValue("content-type")).as(path).hasValue("text/event-stream");
            }
            String message = answer.statusCode() >= 400 ? JSON.readTree(answer.body()).path("message").asText() : "";
            assertThat(message).as(path).doesNotContain("no such endpoint", "unknown parameter");
        }
        // and a route it does not document does not exist
        HttpResponse<String> none = get("/api/trade_history");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("no such endpoint", "/api/openapi.json");
    }

    @Test void jsonNamesAreSnakeCase() throws Exception {
        for (String path : List.of("/health", "/ready", "/api/collectors", "/api/quality", "/api/gaps",
                "/api/openapi.json")) {
            List<String> camel = new ArrayList<>();
            names(JSON.readTree(get(path).body()), camel, path.equals("/api/openapi.json"));
            assertThat(camel).as(path).isEmpty();
        }
    }

    /** Keys with a lower-case letter followed by an upper-case one (OpenAPI's own keywords excepted). */
    private static void names(JsonNode n, List<String> camel, boolean openApi) {
        Set<String> keywords = openApi ? new HashSet<>(List.of("operationId")) : Set.of();
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().matches(".*[a-z][A-Z].*") && !keywords.contains(f.getKey())) camel.add(f.getKey());
                names(f.getValue(), camel, openApi);
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) names(c, camel, openApi);
        }
    }
}
