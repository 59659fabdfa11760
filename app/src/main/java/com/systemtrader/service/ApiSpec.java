package com.systemtrader.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.systemtrader.support.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API's endpoints and the parameters each takes: the one list {@link ApiRoutes} checks every request against
 * (a parameter an endpoint does not take is answered 400 naming it, so that a misspelled {@code start=} or
 * {@code format=csv} is not silently ignored) and publishes as an OpenAPI 3 document at {@code /api/openapi.json}.
 * Every JSON body uses snake_case names.
 */
final class ApiSpec {
    private ApiSpec() {}

    /** A query parameter. */
    record Param(String name, String type, boolean required, String description) {}

    /**
     * An endpoint (GET and HEAD).
     *
     * @param type what a 200 answer is ({@code application/json} for the API's queries)
     */
    record Endpoint(String path, String summary, List<Param> params, String type) {
        Endpoint(String path, String summary, List<Param> params) {
            this(path, summary, params, ApiRoutes.JSON_TYPE);
        }

        boolean takes(String name) {
            return params.stream().anyMatch(p -> p.name().equals(name));
        }

        List<String> names() {
            return params.stream().map(Param::name).toList();
        }
    }

    private static final Param SYMBOL = new Param("symbol", "string", true,
            "one symbol: 1-32 letters, digits and . - / : ^ _ (case does not matter)");
    private static final Param SOURCE = new Param("source", "string", false,
            "only this provider (polygon, alpaca); default: any, in preference order");
    private static final Param MAX_AGE = new Param("max_age", "number", false,
            "freshness limit in seconds (0 to 31536000); default: the provider's (30)");
    private static final Param INTERVAL = new Param("interval", "string", false, "1m (default), 5m, 15m, 1h or 1d");
    private static final Param ORIGIN = new Param("origin", "string", false,
            "built (default: System Trader's bars from eligible trades) or provider (the vendor's own bars)");

    /** Every endpoint, in the order the 404 answer lists them. */
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/health", "liveness and each component's state", List.of()),
            new Endpoint("/ready", "200 when every feed streams, nothing is being lost and the database answers; "
                    + "503 with the reasons otherwise", List.of()),
            new Endpoint("/metrics", "Prometheus text exposition of every meter", List.of(), "text/plain"),
            new Endpoint("/api/latest", "the latest event of a symbol in this process's memory", List.of(SYMBOL,
                    new Param("type", "string", false,
                            "trade (default), quote, bar, luld, trading_status or imbalance"), SOURCE)),
            new Endpoint("/api/price", "the latest trade price, from the freshest tier, with its provenance",
                    List.of(SYMBOL, SOURCE, MAX_AGE)),
            new Endpoint("/api/quote", "the latest quote, from the freshest tier, with its provenance",
                    List.of(SYMBOL, SOURCE, MAX_AGE)),
            new Endpoint("/api/ohlcv", "the newest closed bars of one origin (docs/DATA_MODEL.md)", List.of(SYMBOL,
                    new Param("bars", "integer", false, "how many, 1 to 50000 (default 100)"), INTERVAL, ORIGIN,
                    SOURCE, MAX_AGE)),
            new Endpoint("/api/bars", "the bars of one origin starting in [start, end), oldest first, a page at a "
                    + "time; the open bucket is labelled partial", List.of(SYMBOL,
                    new Param("start", "string", true, "range start, RFC 3339 (2026-12-04T14:30:00Z)"),
                    new Param("end", "string", false, "range end (exclusive), RFC 3339; default: now"),
                    INTERVAL, ORIGIN, SOURCE,
                    new Param("limit", "integer", false, "bars per page, 1 to 10000 (default 1000)"),
                    new Param("cursor", "string", false, "next_cursor of the previous page"))),
            ticks("/api/trades", "trades"),
            ticks("/api/quotes", "quotes"),
            new Endpoint("/api/prices", "the latest prices of several symbols, one batch per tier",
                    List.of(new Param("symbols", "string", true, "comma-separated symbols, at most 1000"), SOURCE,
                            MAX_AGE)),
            new Endpoint("/api/quality", "each feed's data-quality counts", List.of()),
            new Endpoint("/api/gaps", "the gap ledger: outages and their backfill", List.of()),
            new Endpoint("/api/collectors", "each collector's state and counters", List.of()),
            new Endpoint("/api/openapi.json", "this document", List.of()),
            new Endpoint(DashboardStream.PATH, "Server-Sent Events for the dashboard: one snapshot of the feeds, "
                    + "symbols, storage and cache, gaps (and every 5 s the quality reports) a second, as "
                    + "'data: {json}' events; a client too slow to take them is skipped, then disconnected",
                    List.of(), DashboardStream.TYPE),
            new Endpoint("/", "the dashboard (HTML; with a token configured it asks for it and keeps it in the "
                    + "tab's sessionStorage, never in a URL)", List.of(), "text/html"),
            new Endpoint("/ui/dashboard.js", "the dashboard's script", List.of(), "text/javascript"),
            new Endpoint("/ui/dashboard.css", "the dashboard's style sheet", List.of(), "text/css"),
            new Endpoint("/ui/echarts.min.js", "Apache ECharts, the dashboard's chart library", List.of(),
                    "text/javascript"),
            new Endpoint("/ui/echarts-LICENSE.txt", "Apache ECharts' licence (Apache-2.0) and notice", List.of(),
                    "text/plain"));

    /** The dashboard's page and files: answered without a token (they hold no data; the page asks for it). */
    static boolean isDashboardFile(String path) {
        return path.equals("/") || path.startsWith("/ui/");
    }

    private static Endpoint ticks(String path, String what) {
        return new Endpoint(path, "the " + what + " of one symbol and source with event time in [start, end), in (time, "
                + "id) order, a page at a time, each read from the freshest tier that holds it", List.of(SYMBOL,
                new Param("start", "string", true, "range start, RFC 3339 (2026-12-04T14:30:00Z)"),
                new Param("end", "string", false, "range end (exclusive), RFC 3339; default: now"),
                new Param("source", "string", false, "polygon or alpaca; default: the first in preference order"),
                new Param("limit", "integer", false, "events per page, 1 to 10000 (default 1000)"),
                new Param("cursor", "string", false, "next_cursor of the previous page")));
    }

    static Optional<Endpoint> endpoint(String path) {
        return ENDPOINTS.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /** The first parameter of {@code given} that {@code e} does not take, with what it takes; empty when none. */
    static Optional<String> unknownParameter(Endpoint e, Map<String, List<String>> given) {
        for (String name : given.keySet()) {
            if (e.takes(name)) continue;
            String takes = e.params().isEmpty() ? "it takes none" : "it takes " + String.join(", ", e.names());
            String best = Suggestions.closest(name, e.names());
            String near = best == null ? "" : " (did you mean '" + best + "'?)";
            return Optional.of("unknown parameter '" + name + "' for " + e.path() + near + ": " + takes);
        }
        return Optional.empty();
    }

    /** The paths, for the 404 answer. */
    static String paths() {
        return String.join(", ", ENDPOINTS.stream().map(Endpoint::path).toList());
    }

    /** The OpenAPI 3.0 document of {@link #ENDPOINTS}. */
    static ObjectNode openApi(String version) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "System Trader API").put("version", version)
                .put("description", "Market data from the freshest tier (memory, Redis, the database, the "
                        + "providers' REST APIs) with provenance; health, readiness and metrics. Every JSON body "
                        + "uses snake_case names; an unknown parameter is answered 400 naming it.");
        ObjectNode paths = doc.putObject("paths");
        for (Endpoint e : ENDPOINTS) {
            ObjectNode get = paths.putObject(e.path()).putObject("get");
            get.put("summary", e.summary());
            get.put("operationId", operationId(e.path()));
            ArrayNode params = get.putArray("parameters");
            for (Param p : e.params()) {
                ObjectNode o = params.addObject();
                o.put("name", p.name()).put("in", "query").put("required", p.required())
                        .put("description", p.description());
                o.putObject("schema").put("type", p.type());
            }
            ObjectNode responses = get.putObject("responses");
            boolean json = e.type().equals(ApiRoutes.JSON_TYPE);
            responses.putObject("200").put("description", "the answer").putObject("content")
                    .putObject(e.type()).putObject("schema").put("type", json ? "object" : "string");
            if (!e.params().isEmpty()) error(responses, "400", "a parameter is missing, malformed or unknown");
            if (e.path().startsWith("/api/") && !e.params().isEmpty()) error(responses, "404", "no tier has the data");
            if (e.path().equals("/ready")) error(responses, "503", "not ready: the reasons");
        }
        return doc;
    }

    private static void error(ObjectNode responses, String status, String description) {
        ObjectNode schema = responses.putObject(status).put("description", description).putObject("content")
                .putObject("application/json").putObject("schema").put("type", "object");
        schema.putObject("properties").putObject("message").put("type", "string");
    }

    private static String operationId(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.replace(".json", "").split("[/_]")) if (!s.isEmpty()) parts.add(s);
        StringBuilder b = new StringBuilder("get");
        for (String s : parts) b.append(Character.toUpperCase(s.charAt(0))).append(s.substring(1));
        return b.toString();
    }
}
