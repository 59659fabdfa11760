package com.systemtrader.simulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Bar;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlpacaRestTest extends RestTestSupport {
    private static final String WINDOW = "&start=2024-05-30T13:30:00Z&end=2024-05-30T13:45:00Z";
    private final RestRouter router = router(config());

    @Test
    void multiSymbolBarsAreSortedBySymbolWithRfc3339Times() {
        Answer a = alpaca(router, "/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Min" + WINDOW + "&feed=sip&adjustment=raw");
        assertThat(a.status()).isEqualTo(200);
        JsonNode bars = a.json().get("bars");
        assertThat(fieldNames(bars)).containsExactly("AAPL", "MSFT");
        assertThat(bars.get("AAPL").size()).isEqualTo(12);
        assertThat(bars.get("MSFT").size()).isEqualTo(7);
        JsonNode b = bars.get("AAPL").get(0);
        assertThat(fieldNames(b)).containsExactly("t", "o", "h", "l", "c", "v", "n", "vw");
        assertThat(b.get("t").asText()).isEqualTo("2024-05-30T13:30:00Z");
        assertThat(b.get("o").asDouble()).isEqualTo(100.0);
        assertThat(b.get("h").asDouble()).isEqualTo(101.0);
        assertThat(b.get("l").asDouble()).isEqualTo(99.0);
        assertThat(b.get("c").asDouble()).isEqualTo(100.5);
        assertThat(b.get("v").asLong()).isEqualTo(1000);
        assertThat(b.get("n").asLong()).isEqualTo(10);
        assertThat(b.get("vw").asDouble()).isEqualTo(100.25);
        assertThat(bars.get("MSFT").get(6).get("t").asText()).isEqualTo("2024-05-30T13:36:00Z");
        assertThat(a.json().get("next_page_token").isNull()).isTrue();
    }

    @Test
    void timeframeFormsAndDefaultsAndDailyBars() {
        JsonNode five = alpaca(router, "/v2/stocks/bars?symbols=AAPL&timeframe=5Min" + WINDOW).json();
        JsonNode fiveT = alpaca(router, "/v2/stocks/bars?symbols=AAPL&timeframe=5T" + WINDOW).json();
        assertThat(fiveT).isEqualTo(five);
        assertThat(five.get("bars").get("AAPL").size()).isEqualTo(3);
        assertThat(five.get("bars").get("AAPL").get(0).get("v").asLong()).isEqualTo(5010);
        JsonNode hour = alpaca(router, "/v2/stocks/bars?symbols=AAPL&timeframe=1H" + WINDOW.replace("13:30", "13:00"))
                .json();
        assertThat(hour.get("bars").get("AAPL").get(0).get("t").asText()).isEqualTo("2024-05-30T13:00:00Z");
        // start defaults to the beginning of the New York day, end to now (14:00Z)
        JsonNode dflt = alpaca(router, "/v2/stocks/bars?symbols=AAPL&timeframe=1Min").json();
        assertThat(dflt.get("bars").get("AAPL").size()).isEqualTo(12);
        JsonNode days = alpaca(router, "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Day&start=2024-05-29&end=2024-05-30")
                .json();
        assertThat(days.get("bars").get("AAPL").get(0).get("t").asText()).isEqualTo("2024-05-29T04:00:00Z");
        assertThat(days.get("bars").get("AAPL").get(1).get("t").asText()).isEqualTo("2024-05-30T04:00:00Z");
        assertThat(days.get("bars").get("MSFT").get(1).get("c").asDouble()).isEqualTo(406.5);
        JsonNode d = alpaca(router, "/v2/stocks/bars?symbols=AAPL&timeframe=1D&start=2024-05-29&end=2024-05-30").json();
        assertThat(d.get("bars").get("AAPL")).isEqualTo(days.get("bars").get("AAPL"));
    }

    @Test
    void pageTokensWalkBothSymbolsExactlyOnce() {
        for (String sort : List.of("asc", "desc")) {
            List<String> seen = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            String query = "/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&limit=5&sort=" + sort + WINDOW;
            JsonNode page = alpaca(router, query).json();
            int spanning = 0;
            while (true) {
                int size = 0;
                for (var e : iterable(page.get("bars"))) {
                    for (JsonNode b : e.getValue()) {
                        seen.add(e.getKey() + "@" + b.get("t").asText());
                        size++;
                    }
                }
                if (page.get("bars").size() == 2) spanning++;
                pageSizes.add(size);
                if (page.get("next_page_token").isNull()) break;
                page = alpaca(router, query + "&page_token=" + page.get("next_page_token").asText()).json();
            }
            assertThat(pageSizes).as(sort).containsExactly(5, 5, 5, 4);
            assertThat(spanning).as(sort).isEqualTo(1);
            List<String> expected = new ArrayList<>();
            for (String s : List.of("AAPL", "MSFT")) {
                List<String> one = new ArrayList<>();
                for (Bar b : history.minuteBars(s)) one.add(s + "@" + Timestamps.formatRfc3339(b.eventTimeNs()));
                expected.addAll(sort.equals("asc") ? one : one.reversed());
            }
            assertThat(seen).as(sort).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void singleSymbolBarsPaginateToo() {
        String query = "/v2/stocks/AAPL/bars?timeframe=1Min&limit=7" + WINDOW;
        JsonNode first = alpaca(router, query).json();
        assertThat(first.get("symbol").asText()).isEqualTo("AAPL");
        assertThat(first.get("bars").size()).isEqualTo(7);
        assertThat(first.get("next_page_token").asText()).isNotEmpty();
        JsonNode second = alpaca(router, query + "&page_token=" + first.get("next_page_token").asText()).json();
        assertThat(second.get("bars").size()).isEqualTo(5);
        assertThat(second.get("bars").get(0).get("t").asText()).isEqualTo("2024-05-30T13:37:00Z");
        assertThat(second.get("next_page_token").isNull()).isTrue();
        JsonNode unknown = alpaca(router, "/v2/stocks/ZZZZ/bars?timeframe=1Min").json();
        assertThat(unknown.get("bars").size()).isZero();
        assertThat(unknown.get("symbol").asText()).isEqualTo("ZZZZ");
        JsonNode none = alpaca(router, "/v2/stocks/bars?symbols=ZZZZ,IDLE&timeframe=1Min").json();
        assertThat(none.get("bars").size()).isZero();
        assertThat(none.get("next_page_token").isNull()).isTrue();
    }

    @Test
    void latestTradesMapCodesToLetters() {
        JsonNode trades = alpaca(router, "/v2/stocks/trades/latest?symbols=AAPL,MSFT,ZZZZ&feed=iex").json().get("trades");
        assertThat(fieldNames(trades)).containsExactly("AAPL", "MSFT");
        JsonNode t = trades.get("AAPL");
        assertThat(fieldNames(t)).containsExactly("t", "x", "p", "s", "c", "i", "z");
        assertThat(t.get("t").asText()).isEqualTo("2024-05-30T13:41:30.123456789Z");
        assertThat(t.get("x").asText()).isEqualTo("D");
        assertThat(t.get("p").asDouble()).isEqualTo(111.5);
        assertThat(t.get("s").asLong()).isEqualTo(25);
        assertThat(texts(t.get("c"))).containsExactly("T", "I");
        assertThat(t.get("i").isIntegralNumber()).isTrue();
        assertThat(t.get("i").asLong()).isEqualTo(71_675_577_320_245L);
        assertThat(t.get("z").asText()).isEqualTo("C");
        JsonNode m = trades.get("MSFT");
        assertThat(m.get("x").asText()).isEqualTo("N");
        assertThat(texts(m.get("c"))).containsExactly("@");
        assertThat(m.get("i").asLong()).isEqualTo(77);
    }

    @Test
    void latestQuotesAndBars() {
        JsonNode quotes = alpaca(router, "/v2/stocks/quotes/latest?symbols=AAPL,MSFT").json().get("quotes");
        assertThat(fieldNames(quotes)).containsExactly("AAPL");
        JsonNode q = quotes.get("AAPL");
        assertThat(q.get("t").asText()).isEqualTo("2024-05-30T13:41:45.5Z");
        assertThat(q.get("ax").asText()).isEqualTo("Q");
        assertThat(q.get("ap").asDouble()).isEqualTo(111.52);
        assertThat(q.get("as").asLong()).isEqualTo(2);
        assertThat(q.get("bx").asText()).isEqualTo("P");
        assertThat(q.get("bp").asDouble()).isEqualTo(111.49);
        assertThat(q.get("bs").asLong()).isEqualTo(3);
        assertThat(texts(q.get("c"))).containsExactly("R");
        assertThat(q.get("z").asText()).isEqualTo("C");
        JsonNode bars = alpaca(router, "/v2/stocks/bars/latest?symbols=AAPL,MSFT").json().get("bars");
        assertThat(bars.get("AAPL").get("t").asText()).isEqualTo("2024-05-30T13:41:00Z");
        assertThat(bars.get("AAPL").get("c").asDouble()).isEqualTo(111.5);
        assertThat(bars.get("MSFT").get("t").asText()).isEqualTo("2024-05-30T13:36:00Z");
    }

    @Test
    void snapshotsAreAnUnwrappedMapWithNullForUnknownSymbols() {
        Answer a = alpaca(router, "/v2/stocks/snapshots?symbols=AAPL,INVALID,IDLE");
        assertThat(a.status()).isEqualTo(200);
        JsonNode j = a.json();
        assertThat(fieldNames(j)).containsExactly("AAPL", "INVALID", "IDLE");
        assertThat(j.get("INVALID").isNull()).isTrue();
        JsonNode s = j.get("AAPL");
        assertThat(fieldNames(s)).containsExactly("latestTrade", "latestQuote", "minuteBar", "dailyBar", "prevDailyBar");
        assertThat(s.get("latestTrade").get("x").asText()).isEqualTo("D");
        assertThat(s.get("latestQuote").get("ap").asDouble()).isEqualTo(111.52);
        assertThat(s.get("minuteBar").get("t").asText()).isEqualTo("2024-05-30T13:41:00Z");
        assertThat(s.get("dailyBar").get("t").asText()).isEqualTo("2024-05-30T04:00:00Z");
        assertThat(s.get("dailyBar").get("v").asLong()).isEqualTo(12_066);
        assertThat(s.get("prevDailyBar").get("t").asText()).isEqualTo("2024-05-29T04:00:00Z");
        assertThat(s.get("prevDailyBar").get("c").asDouble()).isEqualTo(99.5);
        assertThat(j.get("IDLE").get("latestTrade").isNull()).isTrue();
        assertThat(j.get("IDLE").get("dailyBar").isNull()).isTrue();
    }

    @Test
    void singleSymbolLatestFormsAreWrapped() {
        JsonNode t = alpaca(router, "/v2/stocks/AAPL/trades/latest").json();
        assertThat(t.get("symbol").asText()).isEqualTo("AAPL");
        assertThat(t.get("trade").get("p").asDouble()).isEqualTo(111.5);
        JsonNode q = alpaca(router, "/v2/stocks/AAPL/quotes/latest").json();
        assertThat(q.get("quote").get("bp").asDouble()).isEqualTo(111.49);
        JsonNode b = alpaca(router, "/v2/stocks/MSFT/bars/latest").json();
        assertThat(b.get("symbol").asText()).isEqualTo("MSFT");
        assertThat(b.get("bar").get("o").asDouble()).isEqualTo(406.0);
        JsonNode snap = alpaca(router, "/v2/stocks/MSFT/snapshot").json();
        assertThat(snap.get("symbol").asText()).isEqualTo("MSFT");
        assertThat(snap.get("latestQuote").isNull()).isTrue();
        assertThat(snap.get("latestTrade").get("p").asDouble()).isEqualTo(406.5);
        for (String uri : List.of("/v2/stocks/ZZZZ/trades/latest", "/v2/stocks/MSFT/quotes/latest",
                "/v2/stocks/ZZZZ/snapshot")) {
            Answer a = alpaca(router, uri);
            assertThat(a.status()).as(uri).isEqualTo(404);
            assertThat(a.json().get("code").asLong()).isEqualTo(40410000L);
        }
    }

    @Test
    void badOrMissingCredentialsAre403() {
        String uri = "/v2/stocks/trades/latest?symbols=AAPL";
        for (Answer a : List.of(send(router, HttpMethod.GET, uri),
                send(router, HttpMethod.GET, uri, "APCA-API-KEY-ID", ALPACA_ID),
                send(router, HttpMethod.GET, uri, "APCA-API-KEY-ID", ALPACA_ID, "APCA-API-SECRET-KEY", "wrong"),
                send(router, HttpMethod.GET, uri, "APCA-API-KEY-ID", "PKOTHER", "APCA-API-SECRET-KEY", ALPACA_SECRET),
                send(router, HttpMethod.GET, uri + "&apiKey=" + POLYGON_KEY))) {
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.text()).isEqualTo("{\"message\":\"forbidden\"}");
            assertThat(a.header("X-RateLimit-Limit")).isNull();
        }
        assertThat(router.stats().authFailures()).isEqualTo(5);
    }

    @Test
    void badParametersAre422NamingTheParameter() {
        String bars = "/v2/stocks/bars?symbols=AAPL";
        assertInvalid(bars, "timeframe");
        assertInvalid(bars + "&timeframe=7Foo", "timeframe");
        assertInvalid(bars + "&timeframe=60Min", "timeframe");
        assertInvalid(bars + "&timeframe=2Day", "timeframe");
        assertInvalid(bars + "&timeframe=1Week", "timeframe");
        assertInvalid(bars + "&timeframe=1Min&limit=0", "limit");
        assertInvalid(bars + "&timeframe=1Min&limit=10001", "limit");
        assertInvalid(bars + "&timeframe=1Min&limit=ten", "limit");
        assertInvalid(bars + "&timeframe=1Min&start=yesterday", "start");
        assertInvalid(bars + "&timeframe=1Min&end=2024-02-30", "end");
        assertInvalid(bars + "&timeframe=1Min&start=2024-05-30&end=2024-05-29", "end");
        assertInvalid(bars + "&timeframe=1Min&sort=up", "sort");
        assertInvalid(bars + "&timeframe=1Min&feed=nasdaq", "feed");
        assertInvalid(bars + "&timeframe=1Min&adjustment=raw,bogus", "adjustment");
        assertInvalid(bars + "&timeframe=1Min&page_token=%21%21", "page_token");
        assertInvalid(bars + "&timeframe=1Min&page_token=" + new Cursor.PageToken("MSFT", 0).encode(), "page_token");
        assertInvalid("/v2/stocks/bars?timeframe=1Min", "symbols");
        assertInvalid("/v2/stocks/bars?symbols=A%22B&timeframe=1Min", "symbol");
        assertInvalid("/v2/stocks/snapshots", "symbols");
        assertInvalid("/v2/stocks/trades/latest?symbols=AAPL&feed=x", "feed");
        assertThat(router.stats().badRequests()).isEqualTo(20);
    }

    private void assertInvalid(String uri, String param) {
        Answer a = alpaca(router, uri);
        assertThat(a.status()).as(uri).isEqualTo(422);
        assertThat(a.json().get("code").asLong()).isEqualTo(42210000L);
        assertThat(a.json().get("message").asText()).as(uri).contains(param);
        assertThat(a.header("X-RateLimit-Limit")).isEqualTo("200");
    }

    private static Iterable<java.util.Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object.properties();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }
}
