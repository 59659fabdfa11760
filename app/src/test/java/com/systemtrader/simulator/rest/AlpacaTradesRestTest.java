package com.systemtrader.simulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.SipCodes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Alpaca historical trades ({@code /v2/stocks/trades}, {@code /v2/stocks/{symbol}/trades}) over the fixture. */
class AlpacaTradesRestTest extends RestTestSupport {
    private static final String DAY = "&start=2024-05-30T13:30:00Z&end=2024-05-30T13:45:00Z";
    private final RestRouter router = router(config());

    @Test
    void routesAreMatched() {
        assertThat(RestEndpoint.match(new String[] {"v2", "stocks", "trades"})).isEqualTo(RestEndpoint.ALPACA_TRADES);
        assertThat(RestEndpoint.match(new String[] {"v2", "stocks", "AAPL", "trades"}))
                .isEqualTo(RestEndpoint.ALPACA_SYMBOL_TRADES);
        assertThat(RestEndpoint.match(new String[] {"v2", "stocks", "trades", "latest"}))
                .isEqualTo(RestEndpoint.ALPACA_LATEST_TRADES);
        assertThat(RestEndpoint.match(new String[] {"v2", "stocks", "AAPL", "trades", "latest"}))
                .isEqualTo(RestEndpoint.ALPACA_SYMBOL_LATEST_TRADE);
        assertThat(RestEndpoint.ALPACA_SYMBOL_TRADES.provider()).isEqualTo(RestEndpoint.Provider.ALPACA);
        assertThat(RestEndpoint.ALPACA_TRADES.provider()).isEqualTo(RestEndpoint.Provider.ALPACA);
    }

    @Test
    void singleSymbolShapeAndTradeFields() {
        Answer a = alpaca(router, "/v2/stocks/AAPL/trades?feed=sip" + DAY);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("X-RateLimit-Limit")).isEqualTo("200");
        JsonNode j = a.json();
        assertThat(fieldNames(j)).containsExactly("trades", "symbol", "next_page_token");
        assertThat(j.get("symbol").asText()).isEqualTo("AAPL");
        assertThat(j.get("next_page_token").isNull()).isTrue();
        JsonNode trades = j.get("trades");
        List<Trade> truth = history.allTrades("AAPL");
        assertThat(trades.size()).isEqualTo(truth.size()).isEqualTo(10);
        for (int i = 0; i < truth.size(); i++) {
            Trade t = truth.get(i);
            JsonNode n = trades.get(i);
            assertThat(fieldNames(n)).containsExactly("t", "x", "p", "s", "c", "i", "z");
            assertThat(n.get("t").asText()).isEqualTo(Timestamps.formatRfc3339(t.eventTimeNs()));
            assertThat(n.get("x").asText()).isEqualTo(String.valueOf(SipCodes.exchangeLetter(t.exchange())));
            assertThat(n.get("p").asDouble()).isEqualTo(t.price());
            assertThat(n.get("s").asLong()).isEqualTo(t.size());
            assertThat(n.get("i").isIntegralNumber()).isTrue();
            assertThat(n.get("i").asLong()).isEqualTo(Long.parseLong(t.tradeId()));
            assertThat(n.get("z").asText()).isEqualTo("C");
        }
        JsonNode last = trades.get(9);
        assertThat(last.get("t").asText()).isEqualTo("2024-05-30T13:41:30.123456789Z");
        assertThat(last.get("x").asText()).isEqualTo("D");
        assertThat(texts(last.get("c"))).containsExactly("T", "I");
        assertThat(texts(trades.get(0).get("c"))).containsExactly("@");
        // the default window is the New York day up to now (14:00Z)
        assertThat(alpaca(router, "/v2/stocks/AAPL/trades").json()).isEqualTo(j);
    }

    @Test
    void startAndEndAreInclusive() {
        JsonNode j = alpaca(router, "/v2/stocks/AAPL/trades?start=2024-05-30T13:30:02Z&end=2024-05-30T13:30:05Z").json();
        assertThat(ids(j.get("trades"))).containsExactly("2", "3", "4", "5", "6", "7");
        JsonNode day = alpaca(router, "/v2/stocks/AAPL/trades?start=2024-05-30&end=2024-05-30").json();
        assertThat(day.get("trades").size()).isEqualTo(10);
        JsonNode none = alpaca(router, "/v2/stocks/AAPL/trades?start=2024-05-29&end=2024-05-29").json();
        assertThat(none.get("trades").size()).isZero();
        assertThat(none.get("next_page_token").isNull()).isTrue();
    }

    @Test
    void singleSymbolPagesNeverSplitWronglyAGroupOfEqualTimestamps() {
        List<String> asc = new ArrayList<>();
        for (Trade t : history.allTrades("AAPL")) asc.add(t.tradeId());
        for (String sort : List.of("asc", "desc")) {
            List<String> expected = sort.equals("asc") ? asc : asc.reversed();
            for (int l = 1; l <= 11; l++) {
                int limit = l;
                String query = "/v2/stocks/AAPL/trades?limit=" + limit + "&sort=" + sort + DAY;
                List<String> seen = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                JsonNode page = alpaca(router, query).json();
                while (true) {
                    assertThat(page.get("symbol").asText()).isEqualTo("AAPL");
                    sizes.add(page.get("trades").size());
                    seen.addAll(ids(page.get("trades")));
                    if (page.get("next_page_token").isNull()) break;
                    assertThat(sizes.size()).isLessThan(20);
                    page = alpaca(router, query + "&page_token=" + enc(page.get("next_page_token").asText())).json();
                }
                assertThat(seen).as(sort + " limit " + limit).containsExactlyElementsOf(expected);
                assertThat(sizes).as(sort + " limit " + limit).hasSize((10 + limit - 1) / limit)
                        .allSatisfy(s -> assertThat(s).isPositive().isLessThanOrEqualTo(limit));
            }
        }
    }

    @Test
    void aTokenInsideAGroupCarriesTheOffsetAndPlainTokensStillWork() {
        // limit 2: page one ends with trade 2, the first of three stamped 13:30:02
        JsonNode first = alpaca(router, "/v2/stocks/AAPL/trades?limit=2" + DAY).json();
        assertThat(ids(first.get("trades"))).containsExactly("1", "2");
        String plain = decode(first.get("next_page_token").asText());
        assertThat(plain).isEqualTo("AAPL|2024-05-30T13:30:02Z|1");
        // a token without offset (the bars' form) starts at the first trade of that time
        String bare = new Cursor.PageToken("AAPL", ns("2024-05-30T13:30:02Z")).encode();
        assertThat(decode(bare)).isEqualTo("AAPL|2024-05-30T13:30:02Z");
        JsonNode fromBare = alpaca(router, "/v2/stocks/AAPL/trades?limit=4&page_token=" + enc(bare) + DAY).json();
        assertThat(ids(fromBare.get("trades"))).containsExactly("2", "3", "4", "5");
        assertThat(decode(fromBare.get("next_page_token").asText())).isEqualTo("AAPL|2024-05-30T13:30:05Z");
        // an offset past the group just moves on to the next time
        String past = new Cursor.PageToken("AAPL", ns("2024-05-30T13:30:02Z"), 7).encode();
        JsonNode fromPast = alpaca(router, "/v2/stocks/AAPL/trades?limit=1&page_token=" + enc(past) + DAY).json();
        assertThat(ids(fromPast.get("trades"))).containsExactly("5");
        // desc: page one ends inside the 13:30:05 pair, counted from the newest end
        JsonNode desc = alpaca(router, "/v2/stocks/AAPL/trades?limit=4&sort=desc" + DAY).json();
        assertThat(ids(desc.get("trades"))).containsExactly("71675577320245", "9", "8", "7");
        assertThat(decode(desc.get("next_page_token").asText())).isEqualTo("AAPL|2024-05-30T13:30:05Z|1");
    }

    @Test
    void multiSymbolShapeOrderAndPagesAcrossSymbols() {
        JsonNode all = alpaca(router, "/v2/stocks/trades?symbols=MSFT,ZZZZ,AAPL,IDLE" + DAY).json();
        assertThat(fieldNames(all)).containsExactly("trades", "next_page_token");
        assertThat(fieldNames(all.get("trades"))).containsExactly("AAPL", "MSFT");
        assertThat(all.get("trades").get("AAPL").size()).isEqualTo(10);
        assertThat(ids(all.get("trades").get("MSFT"))).containsExactly("77");
        assertThat(all.get("trades").get("MSFT").get(0).get("x").asText()).isEqualTo("N");
        assertThat(all.get("next_page_token").isNull()).isTrue();

        for (String sort : List.of("asc", "desc")) {
            List<String> expected = new ArrayList<>();
            for (String s : List.of("AAPL", "MSFT")) {
                List<String> one = new ArrayList<>();
                for (Trade t : history.allTrades(s)) one.add(s + ":" + t.tradeId());
                expected.addAll(sort.equals("asc") ? one : one.reversed());
            }
            for (int limit : List.of(1, 2, 3, 10)) {
                String query = "/v2/stocks/trades?symbols=MSFT,AAPL,IDLE&limit=" + limit + "&sort=" + sort + DAY;
                List<String> seen = new ArrayList<>();
                Set<String> tokens = new HashSet<>();
                JsonNode page = alpaca(router, query).json();
                while (true) {
                    int size = 0;
                    for (var e : page.get("trades").properties()) {
                        for (String id : ids(e.getValue())) seen.add(e.getKey() + ":" + id);
                        size += e.getValue().size();
                    }
                    assertThat(size).isBetween(1, limit);
                    if (page.get("next_page_token").isNull()) break;
                    assertThat(tokens.add(page.get("next_page_token").asText())).isTrue();
                    page = alpaca(router, query + "&page_token=" + enc(page.get("next_page_token").asText())).json();
                }
                assertThat(seen).as(sort + " limit " + limit).containsExactlyElementsOf(expected);
            }
        }
        // limit 10 spans both symbols: AAPL's ten, then MSFT's one on the next page
        JsonNode p1 = alpaca(router, "/v2/stocks/trades?symbols=AAPL,MSFT&limit=10" + DAY).json();
        assertThat(decode(p1.get("next_page_token").asText())).isEqualTo("MSFT|2024-05-30T13:36:00Z");
    }

    @Test
    void unknownSymbolsAnswerEmpty() {
        Answer single = alpaca(router, "/v2/stocks/ZZZZ/trades");
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.text()).isEqualTo("{\"trades\":[],\"symbol\":\"ZZZZ\",\"next_page_token\":null}");
        Answer idle = alpaca(router, "/v2/stocks/IDLE/trades");
        assertThat(idle.json().get("trades").size()).isZero();
        Answer multi = alpaca(router, "/v2/stocks/trades?symbols=ZZZZ,IDLE");
        assertThat(multi.status()).isEqualTo(200);
        assertThat(multi.text()).isEqualTo("{\"trades\":{},\"next_page_token\":null}");
    }

    @Test
    void badParametersAre422WithAlpacasErrorBody() {
        String one = "/v2/stocks/AAPL/trades?";
        String many = "/v2/stocks/trades?symbols=AAPL,MSFT";
        assertInvalid(one + "limit=0", "limit");
        assertInvalid(one + "limit=10001", "limit");
        assertInvalid(one + "limit=ten", "limit");
        assertInvalid(one + "start=yesterday", "start");
        assertInvalid(one + "end=2024-02-30", "end");
        assertInvalid(one + "start=2024-05-30T13:31:00Z&end=2024-05-30T13:30:00Z", "end");
        assertInvalid(one + "sort=up", "sort");
        assertInvalid(one + "feed=nasdaq", "feed");
        assertInvalid(one + "page_token=%21%21", "page_token");
        assertInvalid(one + "page_token=" + b64("AAPL|2024-05-30T13:30:02Z|x"), "page_token");
        assertInvalid(one + "page_token=" + b64("AAPL|2024-05-30T13:30:02Z|"), "page_token");
        assertInvalid(one + "page_token=" + b64("AAPL|not-a-time"), "page_token");
        assertInvalid(one + "page_token=" + enc(new Cursor.PageToken("MSFT", 0).encode()), "page_token");
        assertInvalid("/v2/stocks/A%22B/trades", "symbol");
        assertInvalid("/v2/stocks/trades", "symbols");
        assertInvalid(many + "&limit=0", "limit");
        assertInvalid(many + "&page_token=" + enc(new Cursor.PageToken("TSLA", 0).encode()), "page_token");
        assertThat(router.stats().badRequests()).isEqualTo(17);
        assertThat(router.stats().requests(RestEndpoint.ALPACA_SYMBOL_TRADES)).isEqualTo(14);
        assertThat(router.stats().requests(RestEndpoint.ALPACA_TRADES)).isEqualTo(3);
    }

    @Test
    void authenticationAndRateLimitApplyAsForEveryAlpacaEndpoint() {
        Answer a = send(router, io.netty.handler.codec.http.HttpMethod.GET, "/v2/stocks/AAPL/trades");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.text()).isEqualTo("{\"message\":\"forbidden\"}");
        RestRouter limited = router(config().withAlpacaRequestsPerMinute(1));
        assertThat(alpaca(limited, "/v2/stocks/trades?symbols=AAPL").status()).isEqualTo(200);
        Answer tooMany = alpaca(limited, "/v2/stocks/AAPL/trades");
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.json().get("code").asLong()).isEqualTo(42910000L);
        assertThat(tooMany.header("X-RateLimit-Remaining")).isEqualTo("0");
    }

    private void assertInvalid(String uri, String param) {
        Answer a = alpaca(router, uri);
        assertThat(a.status()).as(uri).isEqualTo(422);
        assertThat(fieldNames(a.json())).containsExactly("code", "message");
        assertThat(a.json().get("code").asLong()).isEqualTo(42210000L);
        assertThat(a.json().get("message").asText()).as(uri).contains(param);
    }

    private static String b64(String plain) {
        return enc(Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
    }

    private static String enc(String token) {
        return java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private static String decode(String token) {
        return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode trades) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : trades) out.add(t.get("i").asText());
        return out;
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
