package com.systemtrader.simulator;

import static com.systemtrader.provider.alpaca.AlpacaChannel.BARS;
import static com.systemtrader.provider.alpaca.AlpacaChannel.QUOTES;
import static com.systemtrader.provider.alpaca.AlpacaChannel.TRADES;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.provider.alpaca.AlpacaChannel;
import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.provider.alpaca.AlpacaError;
import com.systemtrader.provider.alpaca.AlpacaSubscription;
import com.systemtrader.provider.alpaca.AlpacaSuccess;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Alpaca stock stream v2 of the simulator over real sockets (protocols.md sections 2.2-2.4, 2.7, 2.9). */
class AlpacaSessionTest extends SimulatorTestSupport {
    private static final String CONNECTED = AlpacaSuccess.CONNECTED.msg();
    private static final String AUTHENTICATED = AlpacaSuccess.AUTHENTICATED.msg();

    private static AlpacaClientMessage subscribe(Map<AlpacaChannel, List<String>> channels) {
        return new AlpacaClientMessage.Subscribe(AlpacaSubscription.of(channels));
    }

    private static AlpacaClientMessage unsubscribe(Map<AlpacaChannel, List<String>> channels) {
        return new AlpacaClientMessage.Unsubscribe(AlpacaSubscription.of(channels));
    }

    private static boolean isTrade(MarketEvent e, String symbol) {
        return e instanceof Trade t && t.symbol().equals(symbol);
    }

    /** Waits for the n-th subscription echo (counted from 1). */
    private static AlpacaSubscription awaitEcho(WsProbe p, int n) {
        org.awaitility.Awaitility.await().atMost(WsProbe.TIMEOUT)
                .until(() -> p.controls().stream().filter(AlpacaSubscription.class::isInstance).count() >= n);
        return p.controls().stream().filter(AlpacaSubscription.class::isInstance).map(AlpacaSubscription.class::cast)
                .skip(n - 1).findFirst().orElseThrow();
    }

    @Test
    void greetingThenAuthMessageAuthenticates() throws Exception {
        start();
        WsProbe p = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        assertThat(p.awaitControlCount(1)).isEqualTo(AlpacaSuccess.CONNECTED);
        assertThat(p.controlFrameTexts().getFirst()).isEqualTo("[{\"T\":\"success\",\"msg\":\"connected\"}]");
        p.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, ALPACA_SECRET));
        p.awaitSuccess(AUTHENTICATED);
        assertThat(p.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaSuccess.AUTHENTICATED);
        assertThat(p.controlFrameTexts().get(1)).isEqualTo("[{\"T\":\"success\",\"msg\":\"authenticated\"}]");
        assertThat(p.textFrames()).isEqualTo(2);
    }

    @Test
    void headerCredentialsAuthenticateWithoutAMessage() throws Exception {
        start();
        HttpHeaders h = new DefaultHttpHeaders().set("APCA-API-KEY-ID", ALPACA_KEY)
                .set("APCA-API-SECRET-KEY", ALPACA_SECRET);
        WsProbe p = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON, h);
        p.awaitSuccess(AUTHENTICATED);
        assertThat(p.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaSuccess.AUTHENTICATED);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"))));
        p.awaitEvents(10, e -> isTrade(e, "AAPL"));
        assertThat(p.controls()).noneMatch(AlpacaError.class::isInstance);
    }

    @Test
    void badHeaderCredentialsGet402AndClose() throws Exception {
        start();
        HttpHeaders h = new DefaultHttpHeaders().set("APCA-API-KEY-ID", ALPACA_KEY)
                .set("APCA-API-SECRET-KEY", "wrong");
        WsProbe p = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON, h);
        p.awaitClosed();
        assertThat(p.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaError.AUTH_FAILED);
    }

    @Test
    void badSecretGets402AndTheSocketCloses() throws Exception {
        start();
        WsProbe p = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.awaitSuccess(CONNECTED);
        p.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, "wrong-secret"));
        p.awaitClosed();
        assertThat(p.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaError.AUTH_FAILED);
        assertThat(p.controlFrameTexts().getLast()).isEqualTo("[{\"T\":\"error\",\"code\":402,\"msg\":\"auth failed\"}]");
    }

    @Test
    void noAuthWithinTheTimeoutGets404AndClose() throws Exception {
        start(config().authTimeoutMs(300));
        WsProbe p = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.awaitClosed();
        assertThat(p.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaError.AUTH_TIMEOUT);
    }

    @Test
    void secondAuthGets403AndTheSessionStaysUsable() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, ALPACA_SECRET));
        assertThat(p.awaitError(403)).isEqualTo(AlpacaError.ALREADY_AUTHENTICATED);
        assertThat(p.isOpen()).isTrue();
        p.alpacaSend(subscribe(Map.of(QUOTES, List.of("MSFT"))));
        p.awaitEvents(5, e -> e instanceof Quote q && q.symbol().equals("MSFT"));
    }

    @Test
    void subscribeBeforeAuthGets401() throws Exception {
        start();
        WsProbe p = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.awaitSuccess(CONNECTED);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"))));
        assertThat(p.awaitError(401)).isEqualTo(AlpacaError.NOT_AUTHENTICATED);
        assertThat(p.isOpen()).isTrue();
        assertThat(p.eventCount()).isZero();
    }

    @Test
    void subscriptionEchoIsTheFullStateWithCorrectionsAndCancelErrorsMirroringTrades() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_JSON);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"), QUOTES, List.of("MSFT", "TSLA"), BARS, List.of("*"))));
        AlpacaSubscription first = awaitEcho(p, 1);
        assertThat(first.trades()).containsExactly("AAPL");
        assertThat(first.quotes()).containsExactly("MSFT", "TSLA");
        assertThat(first.bars()).containsExactly("*");
        assertThat(first.corrections()).containsExactly("AAPL");
        assertThat(first.cancelErrors()).containsExactly("AAPL");
        assertThat(first.updatedBars()).isEmpty();
        assertThat(first.dailyBars()).isEmpty();
        assertThat(first.statuses()).isEmpty();
        assertThat(first.lulds()).isEmpty();
        String text = p.controlFrameTexts().getLast();
        assertThat(text).startsWith("[{\"T\":\"subscription\",");
        for (String key : List.of("trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds",
                "corrections", "cancelErrors")) {
            assertThat(text).as("echo carries every key").contains("\"" + key + "\":[");
        }

        // a delta: add TSLA trades, drop the bars wildcard; the reply is the whole resulting state
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("TSLA"))));
        AlpacaSubscription second = awaitEcho(p, 2);
        assertThat(second.trades()).containsExactly("AAPL", "TSLA");
        assertThat(second.quotes()).containsExactly("MSFT", "TSLA");
        assertThat(second.corrections()).containsExactly("AAPL", "TSLA");
        assertThat(second.cancelErrors()).containsExactly("AAPL", "TSLA");
        p.alpacaSend(unsubscribe(Map.of(TRADES, List.of("AAPL"), BARS, List.of("*"))));
        AlpacaSubscription third = awaitEcho(p, 3);
        assertThat(third.trades()).containsExactly("TSLA");
        assertThat(third.quotes()).containsExactly("MSFT", "TSLA");
        assertThat(third.bars()).isEmpty();
        assertThat(third.corrections()).containsExactly("TSLA");
        assertThat(third.cancelErrors()).containsExactly("TSLA");
        // control messages arrive alone, one per frame
        assertThat(p.controlsWithFrames().stream().map(WsProbe.Control::frame).distinct().count())
                .isEqualTo(p.controls().size());
    }

    @Test
    void dataMatchesTheSubscription() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"), QUOTES, List.of("MSFT"))));
        p.awaitEvents(30, e -> isTrade(e, "AAPL"));
        p.awaitEvents(30, e -> e instanceof Quote q && q.symbol().equals("MSFT"));
        assertThat(p.events()).allSatisfy(e -> assertThat(e.symbol().equals("AAPL") && e instanceof Trade
                || e.symbol().equals("MSFT") && e instanceof Quote
                || e.symbol().equals("AAPL") && !(e instanceof Quote)).as("%s", e).isTrue());
    }

    @Test
    void iexSymbolLimitRejectsTheWholeRequestWith405AndKeepsTheState() throws Exception {
        start(config().alpacaIexSymbolLimit(2));
        WsProbe p = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"), QUOTES, List.of("MSFT"))));
        awaitEcho(p, 1);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("TSLA"), QUOTES, List.of("AAPL"))));
        assertThat(p.awaitError(405)).isEqualTo(AlpacaError.SYMBOL_LIMIT_EXCEEDED);
        // bars do not count toward the limit; the echo shows trades and quotes unchanged
        p.alpacaSend(subscribe(Map.of(BARS, List.of("TSLA"))));
        AlpacaSubscription after = awaitEcho(p, 2);
        assertThat(after.trades()).containsExactly("AAPL");
        assertThat(after.quotes()).containsExactly("MSFT");
        assertThat(after.bars()).containsExactly("TSLA");
        long aapl = p.count(e -> isTrade(e, "AAPL"));
        p.awaitEvents(aapl + 100, e -> isTrade(e, "AAPL"));
        assertThat(p.events()).noneMatch(e -> isTrade(e, "TSLA"))
                .noneMatch(e -> e instanceof Quote q && q.symbol().equals("AAPL"));
        assertThat(p.isOpen()).isTrue();
    }

    @Test
    void secondSessionOnTheSameKeyGets406WhileTheFirstKeepsStreaming() throws Exception {
        start();
        WsProbe first = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        first.alpacaSend(subscribe(Map.of(TRADES, List.of("*"))));
        first.awaitEvents(20);
        WsProbe second = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        second.awaitSuccess(CONNECTED);
        second.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, ALPACA_SECRET));
        assertThat(second.awaitError(406)).isEqualTo(AlpacaError.CONNECTION_LIMIT_EXCEEDED);
        second.awaitClosed();
        assertThat(second.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaError.CONNECTION_LIMIT_EXCEEDED);
        int seen = first.eventCount();
        first.awaitEvents(seen + 200);
        assertThat(first.isOpen()).isTrue();
        assertThat(first.controls()).noneMatch(AlpacaError.class::isInstance);
    }

    @Test
    void theKeyIsFreeAgainOnceTheFirstSessionHasClosed() throws Exception {
        start();
        WsProbe first = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        first.close();
        org.awaitility.Awaitility.await().atMost(WsProbe.TIMEOUT).until(() -> sim.sessionCount() == 0);
        WsProbe second = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        // the allowance is per endpoint: the same key may hold one sip session at the same time
        WsProbe sip = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_JSON);
        assertThat(second.controls()).noneMatch(AlpacaError.class::isInstance);
        assertThat(sip.controls()).noneMatch(AlpacaError.class::isInstance);
    }

    @Test
    void sipWithoutEntitlementGets409() throws Exception {
        start(config().alpacaSipEntitled(false));
        WsProbe p = connect("/v2/sip", WsProbe.Codec.ALPACA_JSON);
        p.awaitSuccess(CONNECTED);
        p.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, ALPACA_SECRET));
        assertThat(p.awaitError(409)).isEqualTo(AlpacaError.INSUFFICIENT_SUBSCRIPTION);
        p.awaitClosed();
        assertThat(p.controls()).noneMatch(AlpacaSuccess.AUTHENTICATED::equals);
    }

    @Test
    void testFeedAcceptsOnlyFakepacaAndStreamsIt() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/test", WsProbe.Codec.ALPACA_JSON);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"))));
        assertThat(p.awaitError(400)).isEqualTo(AlpacaError.INVALID_SYNTAX);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("FAKEPACA"), QUOTES, List.of("FAKEPACA"))));
        AlpacaSubscription echo = awaitEcho(p, 1);
        assertThat(echo.trades()).containsExactly("FAKEPACA");
        p.awaitEvents(20, e -> e instanceof Trade);
        p.awaitEvents(20, e -> e instanceof Quote);
        assertThat(p.events().stream().map(MarketEvent::symbol).collect(Collectors.toSet()))
                .isEqualTo(Set.of("FAKEPACA"));
    }

    @Test
    void malformedJsonGets400AndTheConnectionStaysOpen() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.sendText("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"");
        assertThat(p.awaitError(400)).isEqualTo(AlpacaError.INVALID_SYNTAX);
        assertThat(p.controlFrameTexts().getLast()).isEqualTo("[{\"T\":\"error\",\"code\":400,\"msg\":\"invalid syntax\"}]");
        assertThat(p.isOpen()).isTrue();
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"))));
        p.awaitEvents(10, e -> isTrade(e, "AAPL"));
    }

    @Test
    void msgpackModeUsesBinaryFramesBothWays() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_MSGPACK);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL", "MSFT"), QUOTES, List.of("TSLA"))));
        AlpacaSubscription echo = awaitEcho(p, 1);
        assertThat(echo.trades()).containsExactly("AAPL", "MSFT");
        assertThat(echo.corrections()).containsExactly("AAPL", "MSFT");
        p.awaitEvents(30, e -> e instanceof Trade);
        p.awaitEvents(30, e -> e instanceof Quote);
        assertThat(p.textFrames()).as("no text frames in msgpack mode").isZero();
        assertThat(p.malformed()).isEmpty();
        List<ControlMessage> controls = p.controls();
        assertThat(controls.subList(0, 2)).containsExactly(AlpacaSuccess.CONNECTED, AlpacaSuccess.AUTHENTICATED);
        for (MarketEvent e : p.events()) {
            if (e instanceof Trade t) {
                assertThat(t.symbol()).isIn("AAPL", "MSFT");
                assertThat(t.price()).isPositive();
                assertThat(t.size()).isPositive();
                assertThat(t.eventTimeNs()).isPositive();
                assertThat(Long.parseLong(t.tradeId())).isPositive();
            } else if (e instanceof Quote q) {
                assertThat(q.symbol()).isEqualTo("TSLA");
                assertThat(q.askPrice()).isGreaterThanOrEqualTo(q.bidPrice());
            }
        }
    }
}
