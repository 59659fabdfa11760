package com.systemtrader.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Polygon stocks stream of the simulator over real sockets (protocols.md sections 1.3, 1.8, 1.9). */
class PolygonSessionTest extends SimulatorTestSupport {

    private static boolean isTrade(MarketEvent e, String symbol) {
        return e instanceof Trade t && t.symbol().equals(symbol);
    }

    @Test
    void greetingComesFirstAndTheDefaultKeyAuthenticates() throws Exception {
        start();
        WsProbe p = connect("/stocks", WsProbe.Codec.POLYGON);
        assertThat(p.awaitControlCount(1)).as("the first message").isEqualTo(PolygonStatus.connected());
        assertThat(p.controlFrameTexts().getFirst())
                .isEqualTo("[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
        p.polygonAuth(POLYGON_KEY);
        PolygonStatus ok = p.awaitStatus(PolygonStatus.AUTH_SUCCESS);
        assertThat(ok).isEqualTo(PolygonStatus.authSuccess());
        assertThat(p.controlFrameTexts().get(1))
                .isEqualTo("[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");
        assertThat(p.statuses()).containsExactly(PolygonStatus.connected(), PolygonStatus.authSuccess());
        assertThat(p.eventCount()).as("no data before a subscription").isZero();
        assertThat(p.isOpen()).isTrue();
    }

    @Test
    void authSentWithoutWaitingForTheGreetingIsAccepted() throws Exception {
        start();
        WsProbe p = connect("/stocks", WsProbe.Codec.POLYGON);
        p.polygonAuth(POLYGON_KEY); // straight after the upgrade, like client-go
        p.polygonSubscribe("T.AAPL");
        p.awaitStatusMessage(PolygonStatus.SUBSCRIBED_PREFIX + "T.AAPL");
        assertThat(p.statuses()).startsWith(PolygonStatus.connected(), PolygonStatus.authSuccess());
        p.awaitEvents(5, e -> isTrade(e, "AAPL"));
    }

    @Test
    void badKeyGetsAuthFailedAndTheSocketCloses() throws Exception {
        start();
        WsProbe p = connect("/stocks", WsProbe.Codec.POLYGON);
        p.awaitStatus(PolygonStatus.CONNECTED);
        p.polygonAuth("not-a-key");
        p.awaitClosed();
        assertThat(p.statuses()).containsExactly(PolygonStatus.connected(), PolygonStatus.authFailed());
        assertThat(sim.stats().authFailures.sum()).isEqualTo(1);
    }

    @Test
    void subscribeBeforeAuthIsAnsweredWithAuthRequired() throws Exception {
        start();
        WsProbe p = connect("/stocks", WsProbe.Codec.POLYGON);
        p.awaitStatus(PolygonStatus.CONNECTED);
        p.polygonSubscribe("T.AAPL");
        assertThat(p.awaitStatus(PolygonStatus.AUTH_REQUIRED)).isEqualTo(PolygonStatus.authRequired());
        assertThat(p.isOpen()).isTrue();
        // the session is still usable: auth and subscribe work afterwards
        p.polygonAuth(POLYGON_KEY);
        p.awaitStatus(PolygonStatus.AUTH_SUCCESS);
        p.polygonSubscribe("T.AAPL");
        p.awaitEvents(3, e -> isTrade(e, "AAPL"));
    }

    @Test
    void eachTopicGetsItsOwnAckInItsOwnFrame() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.AAPL", "Q.MSFT", "AM.*");
        p.awaitStatusMessage(PolygonStatus.SUBSCRIBED_PREFIX + "AM.*");
        List<WsProbe.Control> acks = p.controlsWithFrames().stream()
                .filter(c -> c.message() instanceof PolygonStatus s && s.subscribedTopic() != null).toList();
        assertThat(acks).extracting(c -> ((PolygonStatus) c.message()).subscribedTopic())
                .containsExactly("T.AAPL", "Q.MSFT", "AM.*");
        assertThat(acks).extracting(WsProbe.Control::message).allMatch(m -> ((PolygonStatus) m).status().equals("success"));
        assertThat(acks.stream().map(WsProbe.Control::frame).collect(Collectors.toSet()))
                .as("one frame per ack").hasSize(3);
    }

    @Test
    void dataArrivesOnlyForSubscribedSymbolsAndChannels() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.AAPL");
        p.awaitEvents(100);
        assertThat(p.events()).allSatisfy(e -> {
            assertThat(e).isInstanceOf(Trade.class);
            assertThat(e.symbol()).isEqualTo("AAPL");
        });
    }

    @Test
    void wildcardDeliversEverySymbolButOnlyThatChannel() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*");
        for (String s : SYMBOLS) p.awaitEvents(20, e -> isTrade(e, s));
        assertThat(p.events()).allMatch(Trade.class::isInstance);
        assertThat(p.events().stream().map(MarketEvent::symbol).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(SYMBOLS));
    }

    @Test
    void unsubscribeIsAcknowledgedAndStopsThatData() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.AAPL", "T.MSFT");
        p.awaitEvents(10, e -> isTrade(e, "MSFT"));
        p.polygonUnsubscribe("T.MSFT");
        PolygonStatus ack = p.awaitStatusMessage(PolygonStatus.UNSUBSCRIBED_PREFIX + "T.MSFT");
        assertThat(ack).isEqualTo(PolygonStatus.unsubscribed("T.MSFT"));
        // grace period for frames already in flight: let AAPL advance, then MSFT must not move any more
        long aapl = p.count(e -> isTrade(e, "AAPL"));
        p.awaitEvents(aapl + 100, e -> isTrade(e, "AAPL"));
        long msft = p.count(e -> isTrade(e, "MSFT"));
        aapl = p.count(e -> isTrade(e, "AAPL"));
        p.awaitEvents(aapl + 300, e -> isTrade(e, "AAPL"));
        assertThat(p.count(e -> isTrade(e, "MSFT"))).as("MSFT trades after the grace period").isEqualTo(msft);
    }

    @Test
    void delayedFeedRefusesQuotesButStreamsTrades() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/delayed/stocks");
        p.polygonSubscribe("Q.AAPL");
        PolygonStatus refused = p.awaitStatus(PolygonStatus.ERROR);
        assertThat(refused).isEqualTo(PolygonStatus.notAuthorized());
        assertThat(refused.message()).isEqualTo("not authorized");
        p.polygonSubscribe("T.AAPL");
        p.awaitStatusMessage(PolygonStatus.SUBSCRIBED_PREFIX + "T.AAPL");
        p.awaitEvents(50);
        assertThat(p.events()).noneMatch(Quote.class::isInstance).allMatch(e -> isTrade(e, "AAPL"));
    }

    @Test
    void malformedClientMessageGetsAnErrorStatusAndTheConnectionStaysOpen() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.sendText("{\"action\":\"subscribe\",\"params\":");
        PolygonStatus error = p.awaitStatus(PolygonStatus.ERROR);
        assertThat(error.message()).isNotBlank();
        p.sendText("[1,2,3]");
        await().atMost(WsProbe.TIMEOUT).until(() -> p.statuses().stream().filter(PolygonStatus::isError).count() == 2);
        assertThat(p.isOpen()).isTrue();
        p.polygonSubscribe("T.AAPL");
        p.awaitEvents(10, e -> isTrade(e, "AAPL"));
        assertThat(sim.stats().malformedReceived.sum()).isEqualTo(2);
    }

    @Test
    void noAuthWithinTheTimeoutGetsAuthTimeoutAndClose() throws Exception {
        start(config().authTimeoutMs(300));
        WsProbe p = connect("/stocks", WsProbe.Codec.POLYGON);
        long t0 = System.nanoTime();
        p.awaitClosed();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(p.statuses()).containsExactly(PolygonStatus.connected(), PolygonStatus.authTimeout());
        assertThat(waitedMs).isLessThan(5_000);
        assertThat(sim.stats().authTimeouts.sum()).isEqualTo(1);
    }

    @Test
    void authenticatingInTimeCancelsTheAuthTimer() throws Exception {
        start(config().authTimeoutMs(300));
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.AAPL");
        long t0 = System.nanoTime();
        // well past the timeout the session is still open and streaming
        await().atMost(WsProbe.TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(900) && p.eventCount() > 0);
        assertThat(p.isOpen()).isTrue();
        assertThat(p.statuses()).noneMatch(PolygonStatus::isAuthTimeout);
    }

    @Test
    void secondConnectionWithTheSameKeyEvictsTheFirst() throws Exception {
        start();
        WsProbe first = polygonAuthenticated("/stocks");
        first.polygonSubscribe("T.*");
        first.awaitEvents(20);
        WsProbe second = polygonAuthenticated("/stocks");
        second.polygonSubscribe("T.*");
        first.awaitClosed();
        assertThat(first.statuses()).last().isEqualTo(PolygonStatus.maxConnections());
        int seen = second.eventCount();
        second.awaitEvents(seen + 200);
        assertThat(second.isOpen()).isTrue();
        assertThat(second.statuses()).noneMatch(PolygonStatus::isDisconnect);
        assertThat(sim.stats().evictions.sum()).isEqualTo(1);
    }

    @Test
    void evictionClosesTheOlderConnectionWithCode1008() throws Exception {
        start();
        JdkWsProbe first = track(new JdkWsProbe(sim.uri("/stocks")));
        first.send("{\"action\":\"auth\",\"params\":\"" + POLYGON_KEY + "\"}");
        await().atMost(WsProbe.TIMEOUT).until(() -> first.hasStatus(PolygonStatus.AUTH_SUCCESS));
        polygonAuthenticated("/stocks");
        assertThat(first.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(first.statuses()).last().isEqualTo(PolygonStatus.maxConnections());
    }

    @Test
    void aggregatesArriveForSubscribedSymbolsOnly() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("AM.MSFT");
        // one-second "minute" bars: a few of them within the timeout
        p.awaitEvents(1, e -> e instanceof Bar);
        assertThat(p.events()).allSatisfy(e -> {
            assertThat(e).isInstanceOf(Bar.class);
            assertThat(e.symbol()).isEqualTo("MSFT");
        });
    }
}
