package com.systemtrader.provider.alpaca;

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
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpaca market data v2 REST as schema records with {@code source} ALPACA. Base URL from {@code alpaca.rest.url}
 * ({@code https://data.alpaca.markets}, or the simulator's); {@code feed} ({@code iex}, {@code sip}, ...) from
 * configuration, sent on every call (null: the provider's default). Rate limits, retries and authentication
 * ({@code APCA-API-KEY-ID}/{@code APCA-API-SECRET-KEY} headers) are {@link RestTransport}'s. Paginated calls repeat
 * the query with {@code page_token} one page at a time. Thread-safe.
 */
public final class AlpacaRestClient {
    private static final Provider P = Provider.ALPACA;
    /** The feeds Alpaca's REST API accepts. */
    public static final Set<String> FEEDS = Set.of("iex", "sip", "delayed_sip", "boats", "overnight", "otc");
    private static final Pattern TIMEFRAME = Pattern.compile("(\\d{1,2})(Min|T|Hour|H|Day|D)");

    private final URI base;
    private final APIKeyManager keys;
    private final RestTransport transport;
    private final String feed;

    /** @param feed one of {@link #FEEDS}, or null to leave the choice to Alpaca */
    public AlpacaRestClient(URI baseUrl, APIKeyManager keys, RestTransport transport, String feed) {
        this.base = Objects.requireNonNull(baseUrl, "baseUrl");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.transport = Objects.requireNonNull(transport, "transport");
        if (base.getScheme() == null || base.getRawAuthority() == null) {
            throw new IllegalArgumentException("Alpaca REST base URL needs scheme and host: " + base);
        }
        if (feed != null && !FEEDS.contains(feed)) {
            throw new IllegalArgumentException("Alpaca REST feed '" + feed + "' is not one of " + FEEDS
                    + " (the stream's test feed has no REST counterpart)");
        }
        this.feed = feed;
    }

    /** The feed sent with every request; null when left to Alpaca. */
    public String feed() { return feed; }

    /**
     * Bars of {@code symbols} in {@code [start, end]} (inclusive, as Alpaca defines them), one page per element;
     * {@code limit} (1..10000) counts all symbols together. Items are ordered by symbol, then time. A single symbol
     * uses {@code /v2/stocks/{symbol}/bars}, several {@code /v2/stocks/bars}. {@code timeframe}: {@code [1-59]Min},
     * {@code [1-23]Hour} or {@code 1Day} ({@code T}, {@code H}, {@code D} also accepted); hour bars have the MINUTE
     * interval and a window of the real length ({@link Bar#endTimeNs()}).
     */
    public Iterator<List<Bar>> barPages(Collection<String> symbols, String timeframe, Instant start, Instant end,
                                        int limit) {
        Matcher m = TIMEFRAME.matcher(timeframe);
        if (!m.matches()) throw new IllegalArgumentException("unsupported Alpaca timeframe: " + timeframe);
        long amount = Long.parseLong(m.group(1));
        BarInterval interval = m.group(2).startsWith("D") ? BarInterval.DAILY : BarInterval.MINUTE;
        long lengthNs = amount * switch (m.group(2)) {
            case "Min", "T" -> 60_000_000_000L;
            case "Hour", "H" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        List<String> list = List.copyOf(new java.util.LinkedHashSet<>(symbols));
        if (list.isEmpty()) throw new IllegalArgumentException("no symbols given");
        boolean single = list.size() == 1;
        String path = single ? "/v2/stocks/" + Urls.segment(list.getFirst()) + "/bars" : "/v2/stocks/bars";
        String endpoint = single ? "/v2/stocks/{symbol}/bars" : "/v2/stocks/bars";
        Urls.Query query = new Urls.Query();
        if (!single) query.add("symbols", String.join(",", list));
        query.add("timeframe", timeframe).add("start", rfc3339(start)).add("end", rfc3339(end))
                .add("limit", limit).add("adjustment", "raw").add("feed", feed).add("sort", "asc");
        String q = query.toString();
        return pages(path, endpoint, q, json -> {
            long rx = Timestamps.nowNs();
            List<Bar> bars = new ArrayList<>();
            JsonNode node = json.path("bars");
            if (single) {
                for (JsonNode b : node) bars.add(AlpacaRestJson.bar(b, list.getFirst(), interval, lengthNs, rx));
            } else {
                node.properties().forEach(e -> {
                    for (JsonNode b : e.getValue()) bars.add(AlpacaRestJson.bar(b, e.getKey(), interval, lengthNs, rx));
                });
            }
            return bars;
        });
    }

    /** As {@link #barPages}, handing each page to {@code sink}; returns the number of bars. */
    public long bars(Collection<String> symbols, String timeframe, Instant start, Instant end, int limit,
                     Consumer<List<Bar>> sink) {
        return PageIterator.drain(barPages(symbols, timeframe, start, end, limit), sink);
    }

    /** All bars in one list (pages of 10000; bounded by {@link RestSettings#maxPages()}). */
    public List<Bar> bars(Collection<String> symbols, String timeframe, Instant start, Instant end) {
        List<Bar> all = new ArrayList<>();
        bars(symbols, timeframe, start, end, 10_000, all::addAll);
        return all;
    }

    /** Latest trade per symbol ({@code /v2/stocks/trades/latest}); symbols without one are absent. */
    public Map<String, Trade> latestTrades(Collection<String> symbols) {
        return perSymbol(symbols, "/v2/stocks/trades/latest", "trades", AlpacaRestJson::trade);
    }

    /** Latest quote per symbol ({@code /v2/stocks/quotes/latest}); symbols without one are absent. */
    public Map<String, Quote> latestQuotes(Collection<String> symbols) {
        return perSymbol(symbols, "/v2/stocks/quotes/latest", "quotes", AlpacaRestJson::quote);
    }

    /** Snapshots ({@code /v2/stocks/snapshots}); unknown symbols (Alpaca maps them to null) are absent. */
    public Map<String, Snapshot> snapshots(Collection<String> symbols) {
        return perSymbol(symbols, "/v2/stocks/snapshots", null, AlpacaRestJson::snapshot);
    }

    /** How one symbol's object of a multi-symbol answer becomes a value. */
    private interface SymbolReader<T> {
        T read(JsonNode node, String symbol, long receiveTimeNs);
    }

    /**
     * A multi-symbol endpoint, in chunks of {@link RestSettings#maxSymbolsPerRequest()}: the answer maps symbols to
     * objects (under {@code field}, or at the top level when it is null); symbols without an object are absent.
     */
    private <T> Map<String, T> perSymbol(Collection<String> symbols, String path, String field, SymbolReader<T> reader) {
        Map<String, T> out = new LinkedHashMap<>();
        for (List<String> chunk : PageIterator.chunks(symbols, transport.settings().maxSymbolsPerRequest())) {
            JsonNode json = get(path, path, chunk);
            long rx = Timestamps.nowNs();
            (field == null ? json : json.path(field)).properties().forEach(e -> {
                if (e.getValue().isObject()) out.put(e.getKey(), reader.read(e.getValue(), e.getKey(), rx));
            });
        }
        return out;
    }

    /**
     * Historical trades of one symbol in {@code [start, end]} ({@code /v2/stocks/{symbol}/trades}), ascending, one
     * page per element of up to {@code limit} (1..10000). Prints Alpaca marks {@code "u":"canceled"} or
     * {@code "incorrect"} are left out (the schema has no flag for them); {@code "corrected"} prints are kept.
     */
    public Iterator<List<Trade>> tradePages(String symbol, Instant start, Instant end, int limit) {
        String path = "/v2/stocks/" + Urls.segment(symbol) + "/trades";
        String q = new Urls.Query().add("start", rfc3339(start)).add("end", rfc3339(end)).add("limit", limit)
                .add("feed", feed).add("sort", "asc").toString();
        return pages(path, "/v2/stocks/{symbol}/trades", q, json -> {
            long rx = Timestamps.nowNs();
            List<Trade> trades = new ArrayList<>(json.path("trades").size());
            for (JsonNode t : json.path("trades")) {
                String u = t.path("u").asText("");
                if (u.equals("canceled") || u.equals("incorrect")) continue;
                trades.add(AlpacaRestJson.trade(t, symbol, rx));
            }
            return trades;
        });
    }

    /** As {@link #tradePages}, handing each page to {@code sink}; returns the number of trades. */
    public long trades(String symbol, Instant start, Instant end, int limit, Consumer<List<Trade>> sink) {
        return PageIterator.drain(tradePages(symbol, start, end, limit), sink);
    }

    // ---- plumbing ----

    private JsonNode get(String endpoint, String path, List<String> symbols) {
        String q = new Urls.Query().add("symbols", String.join(",", symbols)).add("feed", feed).toString();
        return transport.get(P, keys, endpoint, Urls.of(base, path, q), false);
    }

    private <T> Iterator<List<T>> pages(String path, String endpoint, String query,
                                        java.util.function.Function<JsonNode, List<T>> items) {
        return new PageIterator<>(P, path, transport.settings().maxPages(), token -> {
            String q = token == null ? query : query + "&" + new Urls.Query().add("page_token", token);
            JsonNode json = transport.get(P, keys, endpoint, Urls.of(base, path, q), false);
            JsonNode next = json.get("next_page_token");
            return new PageIterator.Page<>(items.apply(json), next == null || !next.isTextual() ? null : next.asText());
        });
    }

    private static String rfc3339(Instant i) {
        return Timestamps.formatRfc3339(i.getEpochSecond() * 1_000_000_000L + i.getNano());
    }
}
