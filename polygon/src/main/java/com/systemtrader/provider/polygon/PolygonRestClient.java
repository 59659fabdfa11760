package com.systemtrader.provider.polygon;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.rest.PageIterator;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.rest.Snapshot;
import com.systemtrader.rest.Urls;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Polygon (Massive) REST market data as schema records with {@code source} POLYGON, ready for the same cleaner
 * and storage path as the WebSocket data. Base URL from {@code polygon.rest.url} ({@code https://api.polygon.io},
 * or the simulator's). Rate limits, retries and authentication are {@link RestTransport}'s; the key goes in the
 * {@code Authorization: Bearer} header. Paginated calls follow {@code next_url} (moved onto the configured base,
 * so the key never goes to another host) one page at a time. Thread-safe.
 */
public final class PolygonRestClient {
    private static final Provider P = Provider.POLYGON;

    private final URI base;
    private final APIKeyManager keys;
    private final RestTransport transport;

    public PolygonRestClient(URI baseUrl, APIKeyManager keys, RestTransport transport) {
        this.base = Objects.requireNonNull(baseUrl, "baseUrl");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.transport = Objects.requireNonNull(transport, "transport");
        if (base.getScheme() == null || base.getRawAuthority() == null) {
            throw new IllegalArgumentException("Polygon REST base URL needs scheme and host: " + base);
        }
    }

    /** The aggregate spans of {@code /v2/aggs}. Week and longer spans are left out: their bars have no fixed length. */
    public enum Timespan {
        SECOND(BarInterval.SECOND, 1_000_000_000L),
        MINUTE(BarInterval.MINUTE, 60_000_000_000L),
        HOUR(BarInterval.MINUTE, 3_600_000_000_000L),
        DAY(BarInterval.DAILY, 86_400_000_000_000L);

        /**
         * The schema interval of the bars: the base unit (hour bars are MINUTE-based); {@link Bar#endTimeNs()} gives
         * the real window, multiplier x unit.
         */
        final BarInterval interval;
        final long unitNs;

        Timespan(BarInterval interval, long unitNs) {
            this.interval = interval;
            this.unitNs = unitNs;
        }

        String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * Aggregates of {@code [from, to]} (Polygon's bounds are inclusive, as Unix ms), ascending, not split-adjusted
     * (as the stream and Alpaca's raw bars), one page
     * per element ({@code limit} bars per page, at most 50000).
     */
    public Iterator<List<Bar>> aggregatePages(String ticker, int multiplier, Timespan timespan, Instant from,
                                              Instant to, int limit) {
        if (multiplier < 1) throw new IllegalArgumentException("multiplier must be >= 1");
        String path = "/v2/aggs/ticker/" + Urls.segment(ticker) + "/range/" + multiplier + "/" + timespan.wire() + "/"
                + from.toEpochMilli() + "/" + to.toEpochMilli();
        URI first = Urls.of(base, path, new Urls.Query().add("adjusted", false).add("sort", "asc").add("limit", limit)
                .toString());
        long lengthNs = timespan.unitNs * multiplier;
        return pages(path, "/v2/aggs/ticker/{ticker}/range", first, json -> {
            long rx = Timestamps.nowNs();
            List<Bar> bars = new ArrayList<>(json.path("results").size());
            for (JsonNode r : json.path("results")) {
                bars.add(PolygonRestJson.aggregate(r, ticker, timespan.interval, lengthNs, rx));
            }
            return bars;
        });
    }

    /** As {@link #aggregatePages}, handing each page to {@code sink}; returns the number of bars. */
    public long aggregates(String ticker, int multiplier, Timespan timespan, Instant from, Instant to, int limit,
                           Consumer<List<Bar>> sink) {
        return PageIterator.drain(aggregatePages(ticker, multiplier, timespan, from, to, limit), sink);
    }

    /** All aggregates of the range in one list (pages of 50000; bounded by {@link RestSettings#maxPages()}). */
    public List<Bar> aggregates(String ticker, int multiplier, Timespan timespan, Instant from, Instant to) {
        List<Bar> all = new ArrayList<>();
        aggregates(ticker, multiplier, timespan, from, to, 50_000, all::addAll);
        return all;
    }

    /** The previous session's daily bar ({@code /v2/aggs/ticker/{t}/prev}); empty when Polygon has none. */
    public Optional<Bar> previousClose(String ticker) {
        JsonNode json = get("/v2/aggs/ticker/{ticker}/prev", "/v2/aggs/ticker/" + Urls.segment(ticker) + "/prev",
                new Urls.Query().add("adjusted", false), true);
        if (json == null || json.path("results").isEmpty()) return Optional.empty();
        return Optional.of(PolygonRestJson.previousClose(json.path("results").get(0), ticker, Timestamps.nowNs()));
    }

    /** The last trade ({@code /v2/last/trade/{t}}); empty on 404 (unknown ticker or no trade). */
    public Optional<Trade> lastTrade(String ticker) {
        JsonNode json = get("/v2/last/trade/{ticker}", "/v2/last/trade/" + Urls.segment(ticker), null, true);
        if (json == null || !json.path("results").isObject()) return Optional.empty();
        return Optional.of(PolygonRestJson.lastTrade(json.get("results"), ticker, Timestamps.nowNs()));
    }

    /** The last NBBO quote ({@code /v2/last/nbbo/{t}}); empty on 404. */
    public Optional<Quote> lastQuote(String ticker) {
        JsonNode json = get("/v2/last/nbbo/{ticker}", "/v2/last/nbbo/" + Urls.segment(ticker), null, true);
        if (json == null || !json.path("results").isObject()) return Optional.empty();
        return Optional.of(PolygonRestJson.lastQuote(json.get("results"), ticker, Timestamps.nowNs()));
    }

    /**
     * Snapshots of many tickers, one request per {@link RestSettings#maxSymbolsPerRequest()} tickers; unknown
     * tickers are absent from the map (in request order otherwise).
     */
    public Map<String, Snapshot> snapshots(Collection<String> tickers) {
        Map<String, Snapshot> out = new LinkedHashMap<>();
        for (List<String> chunk : PageIterator.chunks(tickers, transport.settings().maxSymbolsPerRequest())) {
            JsonNode json = get("/v2/snapshot/locale/us/markets/stocks/tickers",
                    "/v2/snapshot/locale/us/markets/stocks/tickers",
                    new Urls.Query().add("tickers", String.join(",", chunk)), false);
            long rx = Timestamps.nowNs();
            for (JsonNode t : json.path("tickers")) {
                Snapshot s = PolygonRestJson.snapshot(t, rx);
                out.put(s.symbol(), s);
            }
        }
        return out;
    }

    /**
     * Trades with SIP time in {@code [fromNs, toNs)} ({@code /v3/trades}, ascending), one page per element of up
     * to {@code limit} trades (at most 50000).
     */
    public Iterator<List<Trade>> tradePages(String ticker, long fromNs, long toNs, int limit) {
        return v3Pages("trades", ticker, fromNs, toNs, limit, PolygonRestJson::v3Trade);
    }

    /** As {@link #tradePages}, handing each page to {@code sink}; returns the number of trades. */
    public long trades(String ticker, long fromNs, long toNs, int limit, Consumer<List<Trade>> sink) {
        return PageIterator.drain(tradePages(ticker, fromNs, toNs, limit), sink);
    }

    /**
     * Quotes with SIP time in {@code [fromNs, toNs)} ({@code /v3/quotes}, ascending), one page per element of up
     * to {@code limit} quotes (at most 50000). Times are Polygon's nanoseconds (the stream's are milliseconds).
     */
    public Iterator<List<Quote>> quotePages(String ticker, long fromNs, long toNs, int limit) {
        return v3Pages("quotes", ticker, fromNs, toNs, limit, PolygonRestJson::v3Quote);
    }

    /** A v3 tick endpoint ({@code /v3/trades}, {@code /v3/quotes}) in {@code [fromNs, toNs)}, ascending, by page. */
    private <T> Iterator<List<T>> v3Pages(String kind, String ticker, long fromNs, long toNs, int limit,
                                         V3Parser<T> parse) {
        String path = "/v3/" + kind + "/" + Urls.segment(ticker);
        URI first = Urls.of(base, path, new Urls.Query().add("timestamp.gte", fromNs).add("timestamp.lt", toNs)
                .add("order", "asc").add("sort", "timestamp").add("limit", limit).toString());
        return pages(path, "/v3/" + kind + "/{ticker}", first, json -> {
            long rx = Timestamps.nowNs();
            List<T> out = new ArrayList<>(json.path("results").size());
            for (JsonNode r : json.path("results")) out.add(parse.parse(r, ticker, rx));
            return out;
        });
    }

    @FunctionalInterface
    private interface V3Parser<T> {
        T parse(JsonNode result, String ticker, long receiveNs);
    }

    /** As {@link #quotePages}, handing each page to {@code sink}; returns the number of quotes. */
    public long quotes(String ticker, long fromNs, long toNs, int limit, Consumer<List<Quote>> sink) {
        return PageIterator.drain(quotePages(ticker, fromNs, toNs, limit), sink);
    }

    // ---- plumbing ----

    private JsonNode get(String endpoint, String path, Urls.Query query, boolean notFoundIsEmpty) {
        return transport.get(P, keys, endpoint, Urls.of(base, path, query == null ? null : query.toString()),
                notFoundIsEmpty);
    }

    private <T> Iterator<List<T>> pages(String path, String endpoint, URI first,
                                        java.util.function.Function<JsonNode, List<T>> items) {
        return new PageIterator<>(P, path, transport.settings().maxPages(), cursor -> {
            URI uri = cursor == null ? first : Urls.rebase(base, cursor);
            JsonNode json = transport.get(P, keys, endpoint, uri, false);
            JsonNode next = json.get("next_url");
            return new PageIterator.Page<>(items.apply(json), next == null || !next.isTextual() ? null : next.asText());
        });
    }


}
