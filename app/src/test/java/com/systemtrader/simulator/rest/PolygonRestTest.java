package com.systemtrader.simulator.rest;

import static com.systemtrader.simulator.rest.FixtureHistory.LAST_QUOTE_T;
import static com.systemtrader.simulator.rest.FixtureHistory.LAST_TRADE_T;
import static com.systemtrader.simulator.rest.FixtureHistory.MIN;
import static com.systemtrader.simulator.rest.FixtureHistory.SEC;
import static com.systemtrader.simulator.rest.FixtureHistory.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.Trade;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonRestTest extends RestTestSupport {
    private static final long T0_MS = 1_717_075_800_000L; // 2024-05-30T13:30:00Z
    private final RestRouter router = router(config());

    @Test
    void minuteAggregatesHaveThePolygonShapeAndMillisecondTimes() {
        Answer a = polygon(router, "/v2/aggs/ticker/AAPL/range/1/minute/2024-05-30/2024-05-30");
        assertThat(a.status()).isEqualTo(200);
        JsonNode j = a.json();
        assertThat(fieldNames(j)).containsExactly("ticker", "adjusted", "queryCount", "resultsCount", "status",
                "request_id", "results");
        assertThat(j.get("ticker").asText()).isEqualTo("AAPL");
        assertThat(j.get("adjusted").asBoolean()).isTrue();
        assertThat(j.get("queryCount").asInt()).isEqualTo(12);
        assertThat(j.get("resultsCount").asInt()).isEqualTo(12);
        assertThat(j.get("status").asText()).isEqualTo("OK");
        assertThat(j.get("request_id").asText()).matches("[0-9a-f]{32}");
        assertThat(j.has("next_url")).isFalse();
        JsonNode first = j.get("results").get(0);
        assertThat(fieldNames(first)).containsExactly("v", "vw", "o", "c", "h", "l", "t", "n");
        assertThat(first.get("v").asLong()).isEqualTo(1000);
        assertThat(first.get("vw").asDouble()).isEqualTo(100.25);
        assertThat(first.get("o").asDouble()).isEqualTo(100.0);
        assertThat(first.get("c").asDouble()).isEqualTo(100.5);
        assertThat(first.get("h").asDouble()).isEqualTo(101.0);
        assertThat(first.get("l").asDouble()).isEqualTo(99.0);
        assertThat(first.get("t").asLong()).isEqualTo(T0_MS);
        assertThat(first.get("n").asLong()).isEqualTo(10);
        assertThat(j.get("results").get(11).get("t").asLong()).isEqualTo(T0_MS + 11 * 60_000);
    }

    @Test
    void millisecondBoundsAreInclusiveAndMultipliersAggregate() {
        JsonNode ms = polygon(router, "/v2/aggs/ticker/AAPL/range/1/minute/" + (T0_MS + 120_000) + "/"
                + (T0_MS + 240_000)).json();
        assertThat(ms.get("resultsCount").asInt()).isEqualTo(3);
        assertThat(ms.get("results").get(0).get("t").asLong()).isEqualTo(T0_MS + 120_000);

        JsonNode five = polygon(router, "/v2/aggs/ticker/AAPL/range/5/minute/2024-05-30/2024-05-30").json();
        assertThat(five.get("resultsCount").asInt()).isEqualTo(3);
        JsonNode b = five.get("results").get(0);
        assertThat(b.get("t").asLong()).isEqualTo(T0_MS);
        assertThat(b.get("o").asDouble()).isEqualTo(100.0);
        assertThat(b.get("h").asDouble()).isEqualTo(105.0);
        assertThat(b.get("l").asDouble()).isEqualTo(99.0);
        assertThat(b.get("c").asDouble()).isEqualTo(104.5);
        assertThat(b.get("v").asLong()).isEqualTo(5010);
        assertThat(b.get("n").asLong()).isEqualTo(60);
        assertThat(five.get("results").get(2).get("v").asLong()).isEqualTo(1010 + 1011);

        JsonNode hour = polygon(router, "/v2/aggs/ticker/AAPL/range/1/hour/2024-05-30/2024-05-30").json();
        assertThat(hour.get("resultsCount").asInt()).isEqualTo(1);
        assertThat(hour.get("results").get(0).get("t").asLong()).isEqualTo(T0_MS - 30 * 60_000);
        assertThat(hour.get("results").get(0).get("v").asLong()).isEqualTo(12_066);
    }

    @Test
    void dayAggregatesStartAtNewYorkMidnightAndSortDesc() {
        JsonNode j = polygon(router, "/v2/aggs/ticker/AAPL/range/1/day/2024-05-29/2024-05-30?sort=desc&adjusted=false")
                .json();
        assertThat(j.get("adjusted").asBoolean()).isFalse();
        assertThat(j.get("resultsCount").asInt()).isEqualTo(2);
        assertThat(j.get("results").get(0).get("t").asLong()).isEqualTo(1_717_041_600_000L); // 05-30T04:00Z
        assertThat(j.get("results").get(0).get("c").asDouble()).isEqualTo(111.5);
        assertThat(j.get("results").get(1).get("t").asLong()).isEqualTo(1_716_955_200_000L); // 05-29T04:00Z
        assertThat(j.get("results").get(1).get("n").asLong()).isEqualTo(600);
    }

    @Test
    void unknownTickersSecondsAndEmptyWindowsAnswerOkWithoutResults() {
        for (String uri : List.of("/v2/aggs/ticker/ZZZZ/range/1/minute/2024-05-30/2024-05-30",
                "/v2/aggs/ticker/AAPL/range/1/second/2024-05-30/2024-05-30",
                "/v2/aggs/ticker/AAPL/range/1/minute/2024-05-31/2024-05-31",
                "/v2/aggs/ticker/AAPL/range/1/minute/2024-05-31/2024-05-30")) {
            Answer a = polygon(router, uri);
            assertThat(a.status()).as(uri).isEqualTo(200);
            assertThat(a.json().get("status").asText()).isEqualTo("OK");
            assertThat(a.json().get("resultsCount").asInt()).isZero();
            assertThat(a.json().has("results")).as(uri).isFalse();
            assertThat(a.json().has("next_url")).isFalse();
        }
    }

    @Test
    void nextUrlWalksEveryBarExactlyOnceAscending() {
        List<Long> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        JsonNode page = polygon(router, "/v2/aggs/ticker/AAPL/range/1/minute/2024-05-30/2024-05-30?limit=5").json();
        assertThat(fieldNames(page)).endsWith("results", "next_url");
        String firstNext = page.get("next_url").asText();
        assertThat(firstNext).startsWith(BASE_URL + "/v2/aggs/ticker/AAPL/range/1/minute/" + (T0_MS + 5 * 60_000) + "/")
                .contains("?cursor=");
        int hops = 0;
        while (true) {
            pageSizes.add(page.get("resultsCount").asInt());
            for (JsonNode b : page.get("results")) seen.add(b.get("t").asLong());
            if (!page.has("next_url")) break;
            String next = relative(page.get("next_url").asText());
            // alternate the two ways of authenticating
            page = (hops++ % 2 == 0 ? send(router, HttpMethod.GET, next, "Authorization", "Bearer " + POLYGON_KEY)
                    : polygon(router, next)).json();
            assertThat(page.get("status").asText()).isEqualTo("OK");
        }
        assertThat(pageSizes).containsExactly(5, 5, 2);
        List<Long> expected = new ArrayList<>();
        for (Bar b : history.minuteBars("AAPL")) expected.add(b.eventTimeNs() / 1_000_000);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void nextUrlWalksDescendingAndRespectsTheMaxLimit() {
        RestRouter small = router(config().withMaxLimits(4, 10_000));
        List<Long> seen = new ArrayList<>();
        JsonNode page = polygon(small, "/v2/aggs/ticker/AAPL/range/1/minute/" + T0_MS + "/" + (T0_MS + 3_600_000)
                + "?limit=50000&sort=desc").json();
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.get("resultsCount").asInt()).isLessThanOrEqualTo(4);
            for (JsonNode b : page.get("results")) seen.add(b.get("t").asLong());
            if (!page.has("next_url")) break;
            page = polygon(small, relative(page.get("next_url").asText())).json();
        }
        assertThat(pages).isEqualTo(3);
        List<Long> expected = new ArrayList<>();
        for (Bar b : history.minuteBars("AAPL")) expected.addFirst(b.eventTimeNs() / 1_000_000);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void previousCloseIsStampedAtFourPmNewYork() {
        JsonNode j = polygon(router, "/v2/aggs/ticker/AAPL/prev").json();
        assertThat(j.get("ticker").asText()).isEqualTo("AAPL");
        assertThat(j.get("resultsCount").asInt()).isEqualTo(1);
        assertThat(j.get("queryCount").asInt()).isEqualTo(1);
        assertThat(j.get("status").asText()).isEqualTo("OK");
        JsonNode r = j.get("results").get(0);
        assertThat(r.get("T").asText()).isEqualTo("AAPL");
        assertThat(r.get("o").asDouble()).isEqualTo(98.0);
        assertThat(r.get("h").asDouble()).isEqualTo(112.0);
        assertThat(r.get("l").asDouble()).isEqualTo(97.0);
        assertThat(r.get("c").asDouble()).isEqualTo(99.5);
        assertThat(r.get("v").asLong()).isEqualTo(50_000);
        assertThat(r.get("vw").asDouble()).isEqualTo(100.0);
        assertThat(r.get("t").asLong()).isEqualTo(1_717_012_800_000L); // 2024-05-29T20:00Z = 16:00 EDT
        JsonNode none = polygon(router, "/v2/aggs/ticker/ZZZZ/prev").json();
        assertThat(none.get("resultsCount").asInt()).isZero();
        assertThat(none.has("results")).isFalse();
    }

    @Test
    void lastTradeUsesNanosecondsAndTrfFields() {
        Answer a = polygon(router, "/v2/last/trade/AAPL");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").asText()).isEqualTo("OK");
        assertThat(a.json().get("request_id").asText()).hasSize(32);
        JsonNode r = a.json().get("results");
        assertThat(r.get("T").asText()).isEqualTo("AAPL");
        assertThat(ints(r.get("c"))).containsExactly(12, 37);
        assertThat(r.get("i").isTextual()).isTrue();
        assertThat(r.get("i").asText()).isEqualTo("71675577320245");
        assertThat(r.get("p").asDouble()).isEqualTo(111.5);
        assertThat(r.get("s").asLong()).isEqualTo(25);
        assertThat(r.get("x").asInt()).isEqualTo(4);
        assertThat(r.get("r").asInt()).isEqualTo(202);
        assertThat(r.get("z").asInt()).isEqualTo(3);
        assertThat(r.get("t").asLong()).isEqualTo(LAST_TRADE_T);
        assertThat(r.get("y").asLong()).isEqualTo(LAST_TRADE_T);
        assertThat(r.get("f").asLong()).isEqualTo(LAST_TRADE_T - 29_000);
        assertThat(r.get("q").asLong()).isEqualTo(4_502_211);

        JsonNode msft = polygon(router, "/v2/last/trade/MSFT").json().get("results");
        assertThat(msft.has("c")).isFalse();
        assertThat(msft.has("f")).isFalse();
        assertThat(msft.has("r")).isFalse();
    }

    @Test
    void lastTradeOfUnknownOrIdleTickerIs404NotFound() {
        for (String t : List.of("ZZZZ", "IDLE")) {
            Answer a = polygon(router, "/v2/last/trade/" + t);
            assertThat(a.status()).isEqualTo(404);
            assertThat(a.json().get("status").asText()).isEqualTo("NOT_FOUND");
            assertThat(a.json().get("request_id").asText()).hasSize(32);
            assertThat(a.json().get("message").asText()).contains(t);
        }
        assertThat(polygon(router, "/v2/last/nbbo/MSFT").status()).isEqualTo(404);
    }

    @Test
    void lastNbboHasAskAndBidFields() {
        JsonNode r = polygon(router, "/v2/last/nbbo/AAPL").json().get("results");
        assertThat(r.get("T").asText()).isEqualTo("AAPL");
        assertThat(r.get("P").asDouble()).isEqualTo(111.52);
        assertThat(r.get("S").asLong()).isEqualTo(2);
        assertThat(r.get("X").asInt()).isEqualTo(12);
        assertThat(r.get("p").asDouble()).isEqualTo(111.49);
        assertThat(r.get("s").asLong()).isEqualTo(3);
        assertThat(r.get("x").asInt()).isEqualTo(11);
        assertThat(r.get("t").asLong()).isEqualTo(LAST_QUOTE_T);
        assertThat(r.get("y").asLong()).isEqualTo(LAST_QUOTE_T);
        assertThat(r.get("q").asLong()).isEqualTo(98_211_020L);
        assertThat(r.get("z").asInt()).isEqualTo(3);
        assertThat(ints(r.get("c"))).containsExactly(1);
        assertThat(ints(r.get("i"))).containsExactly(604);
    }

    @Test
    void snapshotOfOneTicker() {
        Answer a = polygon(router, "/v2/snapshot/locale/us/markets/stocks/tickers/AAPL");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").asText()).isEqualTo("OK");
        JsonNode t = a.json().get("ticker");
        assertThat(t.get("ticker").asText()).isEqualTo("AAPL");
        assertThat(t.get("todaysChange").asDouble()).isEqualTo(12.0);
        assertThat(t.get("todaysChangePerc").asDouble()).isCloseTo(12.0 / 99.5 * 100, within(1e-4));
        assertThat(t.get("updated").asLong()).isEqualTo(LAST_QUOTE_T);
        JsonNode day = t.get("day");
        assertThat(day.get("o").asDouble()).isEqualTo(100.0);
        assertThat(day.get("c").asDouble()).isEqualTo(111.5);
        assertThat(day.get("v").asLong()).isEqualTo(12_066);
        assertThat(day.get("vw").asDouble()).isEqualTo(105.75);
        JsonNode min = t.get("min");
        assertThat(min.get("t").asLong()).isEqualTo(T0_MS + 11 * 60_000);
        assertThat(min.get("av").asLong()).isEqualTo(12_066);
        assertThat(min.get("n").asLong()).isEqualTo(21);
        assertThat(min.get("o").asDouble()).isEqualTo(111.0);
        assertThat(min.get("c").asDouble()).isEqualTo(111.5);
        assertThat(min.get("v").asLong()).isEqualTo(1011);
        assertThat(t.get("prevDay").get("c").asDouble()).isEqualTo(99.5);
        assertThat(t.get("prevDay").get("v").asLong()).isEqualTo(50_000);
        JsonNode lt = t.get("lastTrade");
        assertThat(ints(lt.get("c"))).containsExactly(12, 37);
        assertThat(lt.get("i").asText()).isEqualTo("71675577320245");
        assertThat(lt.get("p").asDouble()).isEqualTo(111.5);
        assertThat(lt.get("s").asLong()).isEqualTo(25);
        assertThat(lt.get("t").asLong()).isEqualTo(LAST_TRADE_T);
        assertThat(lt.get("x").asInt()).isEqualTo(4);
        JsonNode lq = t.get("lastQuote");
        assertThat(lq.get("P").asDouble()).isEqualTo(111.52);
        assertThat(lq.get("S").asLong()).isEqualTo(2);
        assertThat(lq.get("p").asDouble()).isEqualTo(111.49);
        assertThat(lq.get("s").asLong()).isEqualTo(3);
        assertThat(lq.get("t").asLong()).isEqualTo(LAST_QUOTE_T);

        Answer unknown = polygon(router, "/v2/snapshot/locale/us/markets/stocks/tickers/ZZZZ");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("status").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void snapshotOfSeveralTickersSkipsUnknownOnes() {
        JsonNode j = polygon(router, "/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL,ZZZZ,MSFT").json();
        assertThat(j.get("status").asText()).isEqualTo("OK");
        assertThat(j.get("count").asInt()).isEqualTo(2);
        assertThat(j.get("tickers").get(0).get("ticker").asText()).isEqualTo("AAPL");
        assertThat(j.get("tickers").get(1).get("ticker").asText()).isEqualTo("MSFT");
        assertThat(j.get("tickers").get(1).get("lastTrade").get("p").asDouble()).isEqualTo(406.5);
        assertThat(j.get("tickers").get(1).has("lastQuote")).isFalse();

        JsonNode all = polygon(router, "/v2/snapshot/locale/us/markets/stocks/tickers").json();
        assertThat(all.get("count").asInt()).isEqualTo(3);
        JsonNode idle = all.get("tickers").get(1);
        assertThat(idle.get("ticker").asText()).isEqualTo("IDLE");
        assertThat(idle.get("day").get("c").asDouble()).isZero();
        assertThat(idle.get("updated").asLong()).isZero();
        assertThat(idle.has("lastTrade")).isFalse();
    }

    @Test
    void v3TradesHaveNanosecondFieldsAndPaginateThroughTiesAscending() {
        List<String> ids = new ArrayList<>();
        JsonNode page = polygon(router, "/v3/trades/AAPL?order=asc&limit=3&timestamp.gte=" + T0
                + "&timestamp.lt=" + (T0 + 20 * MIN)).json();
        JsonNode first = page.get("results").get(0);
        assertThat(fieldNames(first)).containsExactly("exchange", "id", "participant_timestamp", "price",
                "sequence_number", "sip_timestamp", "size", "tape");
        assertThat(first.get("exchange").asInt()).isEqualTo(12);
        assertThat(first.get("id").asText()).isEqualTo("1");
        assertThat(first.get("participant_timestamp").asLong()).isEqualTo(T0 + SEC);
        assertThat(first.get("sip_timestamp").asLong()).isEqualTo(T0 + SEC);
        assertThat(first.get("price").asDouble()).isEqualTo(100.1);
        assertThat(first.get("sequence_number").asLong()).isEqualTo(11);
        assertThat(first.get("size").asLong()).isEqualTo(100);
        assertThat(first.get("tape").asInt()).isEqualTo(3);
        assertThat(ints(page.get("results").get(1).get("conditions"))).containsExactly(37);
        int pages = 0;
        JsonNode last = null;
        while (true) {
            pages++;
            assertThat(page.get("status").asText()).isEqualTo("OK");
            for (JsonNode t : page.get("results")) {
                ids.add(t.get("id").asText());
                last = t;
            }
            if (!page.has("next_url")) break;
            String next = relative(page.get("next_url").asText());
            assertThat(next).startsWith("/v3/trades/AAPL?cursor=");
            page = polygon(router, next).json();
        }
        assertThat(pages).isEqualTo(4);
        assertThat(ids).containsExactlyElementsOf(idsOf(history.allTrades("AAPL")));
        assertThat(last.get("trf_id").asInt()).isEqualTo(202);
        assertThat(last.get("trf_timestamp").asLong()).isEqualTo(LAST_TRADE_T - 29_000);
        assertThat(ints(last.get("conditions"))).containsExactly(12, 37);
    }

    @Test
    void v3TradesDefaultToDescendingAndPaginateThroughTies() {
        List<String> ids = new ArrayList<>();
        JsonNode page = polygon(router, "/v3/trades/AAPL?limit=2&timestamp.gte=2024-05-30").json();
        while (true) {
            for (JsonNode t : page.get("results")) ids.add(t.get("id").asText());
            if (!page.has("next_url")) break;
            page = send(router, HttpMethod.GET, relative(page.get("next_url").asText()),
                    "Authorization", "Bearer " + POLYGON_KEY).json();
        }
        assertThat(ids).containsExactlyElementsOf(idsOf(history.allTrades("AAPL")).reversed());
    }

    @Test
    void v3TradesWindowAndUnknownTicker() {
        JsonNode j = polygon(router, "/v3/trades/AAPL?order=asc&timestamp.gt=" + (T0 + SEC) + "&timestamp.lte="
                + (T0 + 3 * SEC)).json();
        assertThat(idsOf(j.get("results"))).containsExactly("2", "3", "4", "5");
        JsonNode exact = polygon(router, "/v3/trades/AAPL?order=asc&timestamp=" + (T0 + 2 * SEC)).json();
        assertThat(idsOf(exact.get("results"))).containsExactly("2", "3", "4");
        Answer none = polygon(router, "/v3/trades/ZZZZ");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("results").size()).isZero();
        assertThat(none.json().has("next_url")).isFalse();
    }

    @Test
    void authenticationFailuresAre401() {
        Answer missing = send(router, HttpMethod.GET, "/v2/last/trade/AAPL");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(missing.json().get("error").asText()).isEqualTo("API Key was not provided");
        Answer unknown = send(router, HttpMethod.GET, "/v2/last/trade/AAPL?apiKey=nope");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(unknown.json().get("request_id").asText()).hasSize(32);
        assertThat(unknown.json().get("error").asText()).isEqualTo("Unknown API Key");
        assertThat(send(router, HttpMethod.GET, "/v2/last/trade/AAPL", "Authorization", "Bearer nope").status())
                .isEqualTo(401);
        assertThat(send(router, HttpMethod.GET, "/v2/last/trade/AAPL", "Authorization", "Bearer " + POLYGON_KEY)
                .status()).isEqualTo(200);
        assertThat(router.stats().authFailures()).isEqualTo(3);
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        String aggs = "/v2/aggs/ticker/AAPL/range/1/minute/2024-05-30/2024-05-30";
        assertBad(aggs + "?limit=abc", "limit");
        assertBad(aggs + "?limit=0", "limit");
        assertBad(aggs + "?sort=up", "sort");
        assertBad(aggs + "?adjusted=maybe", "adjusted");
        assertBad(aggs + "?cursor=!!notbase64", "cursor");
        assertBad(aggs + "?cursor=" + Cursor.encode("start", "x"), "cursor");
        assertBad("/v2/aggs/ticker/AAPL/range/1/fortnight/2024-05-30/2024-05-30", "timespan");
        assertBad("/v2/aggs/ticker/AAPL/range/1/week/2024-05-30/2024-05-30", "timespan");
        assertBad("/v2/aggs/ticker/AAPL/range/0/minute/2024-05-30/2024-05-30", "multiplier");
        assertBad("/v2/aggs/ticker/AAPL/range/x/minute/2024-05-30/2024-05-30", "multiplier");
        assertBad("/v2/aggs/ticker/AAPL/range/2/day/2024-05-30/2024-05-30", "multiplier");
        assertBad("/v2/aggs/ticker/AAPL/range/1/minute/2024-13-01/2024-05-30", "from");
        assertBad("/v2/aggs/ticker/AAPL/range/1/minute/2024-05-30/tomorrow", "to");
        assertBad("/v2/aggs/ticker/AAPL/prev?adjusted=1", "adjusted");
        assertBad("/v3/trades/AAPL?timestamp.gte=yesterday", "timestamp.gte");
        assertBad("/v3/trades/AAPL?order=sideways", "order");
        assertBad("/v3/trades/AAPL?limit=-5", "limit");
        assertBad("/v3/trades/AAPL?cursor=" + Cursor.encode("gte", 1, "lt", 2), "cursor");
        assertThat(router.stats().badRequests()).isEqualTo(18);
    }

    private void assertBad(String uri, String param) {
        Answer a = polygon(router, uri);
        assertThat(a.status()).as(uri).isEqualTo(400);
        assertThat(a.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(a.json().get("request_id").asText()).hasSize(32);
        assertThat(a.json().get("error").asText()).as(uri).contains(param);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asInt());
        return out;
    }

    private static List<String> idsOf(List<Trade> trades) {
        return trades.stream().map(Trade::tradeId).toList();
    }

    private static List<String> idsOf(JsonNode results) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : results) out.add(t.get("id").asText());
        return out;
    }
}
