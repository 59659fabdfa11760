package com.systemtrader.simulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketHistory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /v3/quotes/{ticker}}: Polygon's v3 quote shape and the same cursor paging as {@code /v3/trades}. */
class PolygonQuotesRestTest extends RestTestSupport {
    private static final long T0 = ns("2024-05-30T13:30:00Z");
    private static final long MS = 1_000_000L;

    private final List<Quote> quotes = quotes();
    private final RestRouter router = new RestRouter(new WithQuotes(history, quotes), config(), clock);

    /** 30 AAPL quotes, in groups of three sharing one nanosecond timestamp (ties across page edges). */
    private static List<Quote> quotes() {
        List<Quote> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t = T0 + (i / 3) * 7 * MS + 123_456;
            Conditions ind = i % 4 == 0 ? Conditions.of(604) : Conditions.NONE;
            Conditions cond = i % 5 == 0 ? Conditions.NONE : Conditions.of(1);
            out.add(new Quote(DataSource.SIMULATOR, "AAPL", t, 0L, 11 + i % 3, 100.0 + i / 100.0, 1 + i,
                    12, 100.05 + i / 100.0, 2 + i, cond, ind, 'C', 1_000 + 2L * i));
        }
        return out;
    }

    @Test
    void routesTheQuotesEndpoint() {
        assertThat(RestEndpoint.match(new String[] {"v3", "quotes", "AAPL"})).isEqualTo(RestEndpoint.POLYGON_QUOTES);
        assertThat(RestEndpoint.match(new String[] {"v3", "trades", "AAPL"})).isEqualTo(RestEndpoint.POLYGON_TRADES);
        assertThat(RestEndpoint.match(new String[] {"v3", "nbbo", "AAPL"})).isEqualTo(RestEndpoint.UNKNOWN);
    }

    @Test
    void v3QuotesHavePolygonsFieldsInNanoseconds() {
        Answer a = polygon(router, "/v3/quotes/AAPL?order=asc&limit=2&timestamp.gte=" + T0);
        assertThat(a.status()).isEqualTo(200);
        JsonNode j = a.json();
        assertThat(j.get("status").asText()).isEqualTo("OK");
        assertThat(j.get("request_id").asText()).isNotEmpty();
        JsonNode first = j.get("results").get(0);
        assertThat(names(first)).containsExactly("ask_exchange", "ask_price", "ask_size", "bid_exchange",
                "bid_price", "bid_size", "indicators", "participant_timestamp", "sequence_number", "sip_timestamp",
                "tape");
        Quote q = quotes.getFirst();
        assertThat(first.get("sip_timestamp").asLong()).isEqualTo(q.eventTimeNs());
        assertThat(first.get("participant_timestamp").asLong()).isEqualTo(q.eventTimeNs());
        assertThat(first.get("sequence_number").asLong()).isEqualTo(1_000);
        assertThat(first.get("bid_exchange").asInt()).isEqualTo(11);
        assertThat(first.get("bid_price").asDouble()).isEqualTo(100.0);
        assertThat(first.get("bid_size").asLong()).isEqualTo(1);
        assertThat(first.get("ask_exchange").asInt()).isEqualTo(12);
        assertThat(first.get("ask_price").asDouble()).isEqualTo(100.05);
        assertThat(first.get("ask_size").asLong()).isEqualTo(2);
        assertThat(first.get("indicators").get(0).asInt()).isEqualTo(604);
        assertThat(first.get("tape").asInt()).isEqualTo(3);
        assertThat(j.get("results").get(1).get("conditions").get(0).asInt()).isEqualTo(1);
        assertThat(relative(j.get("next_url").asText())).startsWith("/v3/quotes/AAPL?cursor=");

        JsonNode none = polygon(router, "/v3/quotes/ZZZZ").json();
        assertThat(none.get("results")).isEmpty();
        assertThat(none.has("next_url")).isFalse();
    }

    @Test
    void pagesAscendingEqualOneBigPageAndTheHistory() {
        String window = "&timestamp.gte=" + T0 + "&timestamp.lt=" + (T0 + MS * 1_000);
        List<Long> paged = new ArrayList<>();
        int pages = follow("/v3/quotes/AAPL?order=asc&limit=4" + window, paged);
        List<Long> big = new ArrayList<>();
        assertThat(follow("/v3/quotes/AAPL?order=asc&limit=50000" + window, big)).isEqualTo(1);
        List<Long> truth = quotes.stream().map(Quote::sequence).toList();
        assertThat(paged).containsExactlyElementsOf(big).containsExactlyElementsOf(truth);
        assertThat(pages).as("pages of 4 never splitting a group of 3 ties").isGreaterThan(5);
    }

    @Test
    void pagesDescendingAndWindowsAreHalfOpen() {
        List<Long> desc = new ArrayList<>();
        follow("/v3/quotes/AAPL?limit=5&timestamp.gte=" + T0, desc);
        assertThat(desc).containsExactlyElementsOf(quotes.stream().map(Quote::sequence).toList().reversed());

        long from = quotes.get(3).eventTimeNs();
        long to = quotes.get(9).eventTimeNs();
        List<Long> window = new ArrayList<>();
        follow("/v3/quotes/AAPL?order=asc&limit=2&timestamp.gte=" + from + "&timestamp.lt=" + to, window);
        assertThat(window).containsExactly(1_006L, 1_008L, 1_010L, 1_012L, 1_014L, 1_016L);
    }

    /** Follows {@code next_url} from {@code first}, collecting sequence numbers; returns the number of pages. */
    private int follow(String first, List<Long> sequences) {
        JsonNode page = polygon(router, first).json();
        int pages = 0;
        while (true) {
            pages++;
            for (JsonNode q : page.get("results")) sequences.add(q.get("sequence_number").asLong());
            if (!page.has("next_url")) return pages;
            page = polygon(router, relative(page.get("next_url").asText())).json();
        }
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    /** The fixture history with a quote history for AAPL. */
    private record WithQuotes(MarketHistory base, List<Quote> quotes) implements MarketHistory {
        @Override public List<String> symbols() { return base.symbols(); }
        @Override public boolean knows(String symbol) { return base.knows(symbol); }
        @Override public List<Bar> bars(String s, long i, long f, long t) { return base.bars(s, i, f, t); }
        @Override public List<Trade> trades(String s, long f, long t, int l) { return base.trades(s, f, t, l); }
        @Override public List<Quote> quotes(String s, long f, long t, int l) {
            return quotes.stream().filter(q -> q.symbol().equals(s) && q.eventTimeNs() >= f && q.eventTimeNs() < t)
                    .limit(l).toList();
        }
        @Override public Optional<Trade> lastTrade(String s) { return base.lastTrade(s); }
        @Override public Optional<Quote> lastQuote(String s) { return base.lastQuote(s); }
        @Override public Optional<Bar> lastMinuteBar(String s) { return base.lastMinuteBar(s); }
        @Override public Optional<Bar> dailyBar(String s, long n) { return base.dailyBar(s, n); }
        @Override public Optional<Bar> previousDailyBar(String s, long n) { return base.previousDailyBar(s, n); }
    }
}
