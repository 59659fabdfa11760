package com.systemtrader.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.systemtrader.data.AnswerJson;
import com.systemtrader.data.BarOrigin;
import com.systemtrader.data.DataUnavailableException;
import com.systemtrader.data.OhlcvInterval;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Symbols;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's routes, independent of the transport: a method and a URI in, a status, a type and a body out. */
final class ApiRoutes {
    static final String JSON_TYPE = "application/json";
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** @param gzipped the body gzip-compressed, sent to a client that accepts it; null: the body as it is */
    record Response(int status, String contentType, byte[] body, byte[] gzipped) {
        /** The answer that opens the dashboard's event stream ({@link DashboardStream}); the transport streams it. */
        static final Response STREAM = new Response(200, DashboardStream.TYPE, new byte[0], null);

        Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }

        static Response json(int status, Object value) {
            try {
                return new Response(status, JSON_TYPE, HttpApi.JSON.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                return error(500, "cannot serialize the answer: " + e.getOriginalMessage());
            }
        }

        static Response error(int status, String message) {
            return json(status, Map.of("status", status, "message", message));
        }
    }

    /** A query parameter that is missing or not valid: answered 400 with the message. */
    private static final class BadParameter extends RuntimeException {
        BadParameter(String message) {
            super(message, null, false, false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    /** Numbers the unexpected failures, so that a 500 answer points at its log line. */
    private static final AtomicLong ERRORS = new AtomicLong();

    private final ServiceView view;
    private final PrometheusMeterRegistry metrics;
    private final RealtimeDataProvider provider;
    private final DashboardFiles dashboard;

    /** @param provider null: the provider's endpoints answer 503 */
    ApiRoutes(ServiceView view, PrometheusMeterRegistry metrics, RealtimeDataProvider provider,
              DashboardFiles dashboard) {
        this.view = view;
        this.metrics = metrics;
        this.provider = provider;
        this.dashboard = dashboard;
    }

    /** False for the endpoints answered from memory at once ({@code /health}, {@code /ready}, {@code /metrics}). */
    static boolean mayWait(String uri) {
        String path = new QueryStringDecoder(uri).path();
        return !(path.equals("/health") || path.equals("/ready") || path.equals("/metrics"));
    }

    /**
     * Answers {@code GET} (and {@code HEAD}: the transport sends the headers of the same answer without its body).
     * Every parameter is checked before any data tier is asked (400 naming the parameter); an unexpected failure is
     * 500 with a reference to the log line, never the exception's text (it may hold a URL or SQL).
     */
    Response handle(String method, String uri) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Response.error(405, "only GET and HEAD are supported");
        }
        try {
            q.parameters(); // decodes the query now: a malformed escape is the client's error, not a 500 later
        } catch (IllegalArgumentException e) {
            return Response.error(400, "malformed query string: " + e.getMessage());
        }
        Optional<ApiSpec.Endpoint> endpoint = ApiSpec.endpoint(q.path());
        if (endpoint.isEmpty()) {
            return Response.error(404, "no such endpoint: " + q.path() + " (try " + ApiSpec.paths() + ")");
        }
        Optional<String> unknown = ApiSpec.unknownParameter(endpoint.get(), q.parameters());
        if (unknown.isPresent()) return Response.error(400, unknown.get());
        try {
            return switch (q.path()) {
                case "/health" -> Response.json(200, view.health()); // liveness: 200 while the process answers
                case "/ready" -> {
                    ServiceView.Readiness r = view.readiness();
                    yield Response.json(r.ready() ? 200 : 503, r);
                }
                case "/metrics" -> new Response(200, PROMETHEUS_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
                case "/api/collectors" -> Response.json(200, view.collectors());
                case "/api/quality" -> Response.json(200, view.quality());
                case "/api/gaps" -> Response.json(200, view.gaps());
                case "/api/latest" -> latest(q.parameters());
                case "/api/openapi.json" -> Response.json(200, ApiSpec.openApi(version()));
                case DashboardStream.PATH -> Response.STREAM;
                case String p when ApiSpec.isDashboardFile(p) -> dashboard.get(p)
                        .map(f -> new Response(200, f.type(), f.body(), f.gzipped()))
                        .orElseGet(() -> Response.error(404, "no such file: " + p));
                default -> fromProvider(q.path(), q.parameters()); // the provider's endpoints
            };
        } catch (BadParameter e) {
            return Response.error(400, e.getMessage());
        } catch (DataUnavailableException e) {
            return Response.error(404, e.getMessage());
        } catch (RuntimeException e) {
            long id = ERRORS.incrementAndGet();
            LOG.error("http api: {} {} failed (error {})", method, q.path(), id, e);
            return Response.error(500, "internal error " + id + " (the service log has the details)");
        }
    }

    /**
     * The {@link RealtimeDataProvider}'s answers with their provenance (memory, Redis, database, REST):
     * {@code /api/price?symbol=&source=&max_age=}, {@code /api/quote?...}, {@code /api/ohlcv?symbol=&bars=&interval=},
     * {@code /api/prices?symbols=A,B,C}.
     */
    private Response fromProvider(String path, Map<String, List<String>> params) {
        // every parameter first: nothing is asked of any tier for a request that is wrong anyway
        DataSource source = source(params);
        Duration maxAge = maxAge(params); // null: the provider's default
        Function<Duration, Object> answer = switch (path) {
            case "/api/price" -> {
                String sym = symbol(params);
                yield age -> AnswerJson.price(provider.getLatestPrice(sym, source, age));
            }
            case "/api/quote" -> {
                String sym = symbol(params);
                yield age -> AnswerJson.quote(provider.getLatestQuote(sym, source, age));
            }
            case "/api/ohlcv" -> {
                String sym = symbol(params);
                OhlcvInterval interval = interval(params);
                int bars = bars(params, interval);
                BarOrigin origin = origin(params);
                yield age -> AnswerJson.series(provider.getOhlcv(sym, bars, interval, source, origin, age));
            }
            case "/api/bars" -> {
                String sym = symbol(params);
                OhlcvInterval interval = interval(params);
                BarOrigin origin = origin(params);
                Instant start = instant(params, "start", null);
                if (one(params, "cursor") != null) start = instant(params, "cursor", null);
                Instant end = instant(params, "end", Instant.now());
                if (!end.isAfter(start)) throw new BadParameter("parameter 'end': must be after start (" + start + ")");
                int limit = limit(params);
                Instant from = start;
                yield age -> AnswerJson.page(provider.getOhlcv(sym, interval, from, end, source, origin), limit, end);
            }
            case "/api/trades", "/api/quotes" -> {
                String sym = symbol(params);
                Instant start = instant(params, "start", null);
                Instant end = instant(params, "end", Instant.now());
                if (!end.isAfter(start)) throw new BadParameter("parameter 'end': must be after start (" + start + ")");
                int limit = limit(params);
                String cursor = one(params, "cursor");
                boolean trades = path.equals("/api/trades");
                yield age -> {
                    try {
                        return AnswerJson.ticks(trades ? provider.getTrades(sym, start, end, source, limit, cursor)
                                : provider.getQuotes(sym, start, end, source, limit, cursor));
                    } catch (IllegalArgumentException e) {
                        throw new BadParameter("parameter 'cursor': " + e.getMessage());
                    }
                };
            }
            default -> {
                String list = one(params, "symbols");
                if (list == null || list.isBlank()) throw new BadParameter("parameter 'symbols' is required (A,B,C)");
                List<String> symbols = Symbols.parse(list);
                if (symbols.size() > 1_000) throw new BadParameter("parameter 'symbols': at most 1000 symbols");
                for (String sym : symbols) checked("symbols", sym);
                yield age -> AnswerJson.prices(provider.getMultiSymbolPrices(symbols, source, age));
            }
        };
        if (provider == null) return noProvider();
        return Response.json(200, answer.apply(maxAge != null ? maxAge : provider.maxAge()));
    }

    /** The build's version from the jar manifest ("dev" when run from classes). */
    private static String version() {
        String v = ApiRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static Response noProvider() {
        return Response.error(503, "no data provider in this process");
    }

    private static String symbol(Map<String, List<String>> params) {
        String symbol = one(params, "symbol");
        if (symbol == null || symbol.isBlank()) throw new BadParameter("parameter 'symbol' is required");
        return checked("symbol", symbol);
    }

    private static String checked(String parameter, String symbol) {
        try {
            return Symbols.check(symbol);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("parameter '" + parameter + "': " + e.getMessage());
        }
    }

    /** Bars to answer: 1 to 50,000, and no further back than 1970 at the interval's width. */
    private static int bars(Map<String, List<String>> params, OhlcvInterval interval) {
        String b = Optional.ofNullable(one(params, "bars")).orElse("100");
        int n;
        try {
            n = Integer.parseInt(b);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 50_000) {
            throw new BadParameter("parameter 'bars': must be a whole number from 1 to 50000, got '" + b + "'");
        }
        long reach = (System.currentTimeMillis() * 1_000_000L) / interval.nanos();
        if (n > reach) {
            throw new BadParameter("parameter 'bars': " + n + " bars of " + interval.label() + " reach back before 1970;"
                    + " at most " + reach + " at this interval");
        }
        return n;
    }

    private static OhlcvInterval interval(Map<String, List<String>> params) {
        try {
            return OhlcvInterval.parse(Optional.ofNullable(one(params, "interval")).orElse("1m"));
        } catch (IllegalArgumentException e) {
            throw new BadParameter("parameter 'interval': " + e.getMessage());
        }
    }

    private static BarOrigin origin(Map<String, List<String>> params) {
        try {
            return BarOrigin.parse(Optional.ofNullable(one(params, "origin")).orElse("built"));
        } catch (IllegalArgumentException e) {
            throw new BadParameter("parameter 'origin': " + e.getMessage());
        }
    }

    /** An RFC 3339 time; absent: {@code otherwise} (null: the parameter is required). */
    private static Instant instant(Map<String, List<String>> params, String name, Instant otherwise) {
        String v = one(params, name);
        if (v == null) {
            if (otherwise == null) throw new BadParameter("parameter '" + name + "' is required (RFC 3339, e.g. "
                    + "2026-12-04T14:30:00Z)");
            return otherwise;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadParameter("parameter '" + name + "': not an RFC 3339 time (2026-12-04T14:30:00Z): '" + v + "'");
        }
    }

    private static int limit(Map<String, List<String>> params) {
        String v = Optional.ofNullable(one(params, "limit")).orElse("1000");
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 10_000) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new BadParameter("parameter 'limit': a whole number from 1 to 10000, got '" + v + "'");
    }

    /** {@code max_age} in seconds; absent: null (the provider's default). */
    private static Duration maxAge(Map<String, List<String>> params) {
        String m = one(params, "max_age");
        if (m == null) return null;
        try {
            double s = Double.parseDouble(m);
            if (s >= 0 && s <= 31_536_000) return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new BadParameter("parameter 'max_age': seconds from 0 to 31536000, got '" + m + "'");
    }

    private static DataSource source(Map<String, List<String>> params) {
        String sourceName = one(params, "source");
        if (sourceName == null) return null;
        try {
            return DataSource.provider(sourceName);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("parameter 'source': " + e.getMessage());
        }
    }

    private Response latest(Map<String, List<String>> params) {
        String sym = symbol(params);
        String typeName = Optional.ofNullable(one(params, "type")).orElse("trade");
        RecordType type;
        try {
            type = RecordType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Response.error(400, "parameter 'type': unknown type '" + typeName + "' (trade, quote, bar, luld, "
                    + "trading_status, imbalance)");
        }
        DataSource source = source(params);
        if (!view.knows(sym)) return Response.error(404, "unknown symbol '" + sym + "'");
        Optional<MarketEvent> e = view.latest(sym, type, source);
        if (e.isEmpty()) return Response.error(404, "no " + typeName + " for " + sym + " yet");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", sym);
        body.put("type", type.name().toLowerCase(Locale.ROOT));
        body.put("source", e.get().source().name().toLowerCase(Locale.ROOT));
        body.put("tier", "memory");
        body.put("event", e.get());
        return Response.json(200, body);
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
