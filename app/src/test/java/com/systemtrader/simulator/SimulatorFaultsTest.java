package com.systemtrader.simulator;

import static com.systemtrader.provider.alpaca.AlpacaChannel.QUOTES;
import static com.systemtrader.provider.alpaca.AlpacaChannel.TRADES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.provider.alpaca.AlpacaError;
import com.systemtrader.provider.alpaca.AlpacaSubscription;
import com.systemtrader.provider.alpaca.AlpacaSuccess;
import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The simulator's fault injection ({@link Faults}) as a client sees it over real sockets. */
class SimulatorFaultsTest extends SimulatorTestSupport {

    private static AlpacaClientMessage subscribe(Map<com.systemtrader.provider.alpaca.AlpacaChannel, List<String>> m) {
        return new AlpacaClientMessage.Subscribe(AlpacaSubscription.of(m));
    }

    private static String key(Trade t) {
        return t.symbol() + "/" + t.tradeId();
    }

    private static long sequence(MarketEvent e) {
        return switch (e) {
            case Trade t -> t.sequence();
            case Quote q -> q.sequence();
            default -> throw new AssertionError("unexpected event " + e);
        };
    }

    @Test
    void dropAfterMessagesClosesTheNextConnectionAfterExactlyNDataMessages() throws Exception {
        start();
        sim.faults().dropAfterMessages(500, 1);
        WsProbe dropped = polygonAuthenticated("/stocks");
        dropped.polygonSubscribe("T.*", "Q.*");
        dropped.awaitClosed();
        assertThat(dropped.eventCount()).isEqualTo(500);
        assertThat(dropped.malformed()).isEmpty();
        assertThat(dropped.statuses()).noneMatch(PolygonStatus::isDisconnect);
        assertThat(sim.stats().faultDrops.sum()).isEqualTo(1);

        // the rule applied to one connection only
        WsProbe next = polygonAuthenticated("/stocks");
        next.polygonSubscribe("T.*", "Q.*");
        next.awaitEvents(800);
        assertThat(next.isOpen()).isTrue();
    }

    @Test
    void dropAfterMessagesCountsAlpacaMsgpackMessagesToo() throws Exception {
        start();
        sim.faults().dropAfterMessages(300, 1);
        WsProbe p = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_MSGPACK);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("*"), QUOTES, List.of("*"))));
        p.awaitClosed();
        assertThat(p.eventCount()).isEqualTo(300);
        assertThat(p.malformed()).isEmpty();
    }

    @Test
    void stallWithholdsDataButKeepsTheSocketOpenAndAnswersPings() throws Exception {
        start();
        JdkWsProbe p = track(new JdkWsProbe(sim.uri("/stocks")));
        p.send("{\"action\":\"auth\",\"params\":\"" + POLYGON_KEY + "\"}");
        p.send("{\"action\":\"subscribe\",\"params\":\"T.*,Q.*\"}");
        await().atMost(WsProbe.TIMEOUT).until(() -> p.dataEvents() > 50);

        long stallMs = 1_500;
        long t0 = System.nanoTime();
        sim.faults().stall(Duration.ofMillis(stallMs));
        // frames handed to the socket before the stall may still arrive: allow 400 ms for them
        await().pollDelay(Duration.ofMillis(400)).atMost(WsProbe.TIMEOUT).until(() -> true);
        int during = p.dataEvents();
        p.ping();
        await().atMost(Duration.ofMillis(stallMs)).until(() -> p.pongs() >= 1);
        long untilNearEnd = stallMs - 150 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (untilNearEnd > 0) await().pollDelay(Duration.ofMillis(untilNearEnd)).until(() -> true);
        assertThat(p.dataEvents()).as("data during the stall").isEqualTo(during);
        assertThat(p.isOpen()).isTrue();

        await().atMost(WsProbe.TIMEOUT).until(() -> p.dataEvents() > during + 50);
        assertThat(TimeUnit.NANOSECONDS.toMillis(p.lastDataNanoTime() - t0)).isGreaterThanOrEqualTo(stallMs - 100);
        assertThat(p.isOpen()).isTrue();
        assertThat(p.statuses()).noneMatch(PolygonStatus::isDisconnect);
    }

    @Test
    void slowConsumerKillNowSendsSlowConsumerAndCloses() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*");
        p.awaitEvents(20);
        sim.faults().slowConsumerKillNow();
        p.awaitClosed();
        assertThat(p.statuses()).last().isEqualTo(PolygonStatus.slowConsumer());
        assertThat(sim.stats().slowConsumerKills.sum()).isEqualTo(1);
    }

    @Test
    void slowConsumerKillNowSends407OnAlpaca() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("AAPL"))));
        p.awaitEvents(5);
        sim.faults().slowConsumerKillNow();
        p.awaitClosed();
        assertThat(p.controls()).last().isEqualTo(AlpacaError.SLOW_CLIENT);
    }

    @Test
    void aClientThatStopsReadingIsKilledAsASlowConsumer() throws Exception {
        start(config().slowConsumerBytes(65_536));
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*", "Q.*");
        p.awaitEvents(20);
        p.autoRead(false);
        sim.rate(50_000);
        await().atMost(Duration.ofSeconds(15)).until(() -> sim.stats().slowConsumerKills.sum() >= 1);
        p.autoRead(true); // drain what the kernel buffered, then see the status and the close
        p.awaitClosed();
        assertThat(p.statuses()).last().isEqualTo(PolygonStatus.slowConsumer());
        assertThat(p.malformed()).isEmpty();
    }

    /**
     * A client that stops reading for good must still be disconnected: the server cannot wait for its close frame
     * (or status message) to be flushed, since a stuck client never reads it. The threshold is large here so that
     * the kill can only come from a client that really stopped reading (kernel buffers full, megabytes queued).
     */
    @Test
    void aClientThatNeverReadsAgainIsStillDisconnectedByTheServer() throws Exception {
        start(config().slowConsumerBytes(4 << 20));
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*", "Q.*");
        p.awaitEvents(20);
        p.autoRead(false);
        sim.rate(100_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.stats().slowConsumerKills.sum() >= 1);
        sim.rate(2_000);
        await("server-side session closed while the client does not read").atMost(WsProbe.TIMEOUT)
                .until(() -> sim.sessionCount() == 0);
    }

    @Test
    void malformedEveryFollowsTheDataFrameItCounts() throws Exception {
        start(config().maxEventsPerFrame(1));
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*", "Q.*");
        p.awaitEvents(50);
        sim.faults().malformedEvery(1);
        await().atMost(WsProbe.TIMEOUT).until(() -> p.malformed().size() >= 200);
        sim.faults().malformedEvery(0);
        List<WsProbe.Malformed> bad = p.malformed();
        // one data frame (one event) then its malformed frame: never two malformed frames in a row
        for (int i = 1; i < bad.size(); i++) {
            assertThat(bad.get(i).eventsBefore()).as("data events before malformed frame %d", i)
                    .isGreaterThan(bad.get(i - 1).eventsBefore());
        }
    }

    @Test
    void forceDisconnectSendsTheStatusAndClosesEverySession() throws Exception {
        start();
        JdkWsProbe polygon = track(new JdkWsProbe(sim.uri("/stocks")));
        polygon.send("{\"action\":\"auth\",\"params\":\"" + POLYGON_KEY + "\"}");
        polygon.send("{\"action\":\"subscribe\",\"params\":\"T.*\"}");
        WsProbe alpaca = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        await().atMost(WsProbe.TIMEOUT).until(() -> polygon.dataEvents() > 10);
        sim.faults().forceDisconnectNow();
        assertThat(polygon.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(polygon.statuses()).last().isEqualTo(PolygonStatus.forceDisconnect());
        alpaca.awaitClosed();
    }

    @Test
    void dropAllNowClosesEverySessionWithoutACloseFrame() throws Exception {
        start();
        JdkWsProbe polygon = track(new JdkWsProbe(sim.uri("/stocks")));
        polygon.send("{\"action\":\"auth\",\"params\":\"" + POLYGON_KEY + "\"}");
        WsProbe alpaca = alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        await().atMost(WsProbe.TIMEOUT).until(() -> polygon.hasStatus(PolygonStatus.AUTH_SUCCESS));
        sim.faults().dropAllNow();
        // 1006: the JDK client's code for a connection that ended without a close frame (RFC 6455 7.1.5)
        assertThat(polygon.closeCode().get(10, TimeUnit.SECONDS)).as("no close frame").isEqualTo(1006);
        alpaca.awaitClosed();
        assertThat(sim.stats().faultDrops.sum()).isEqualTo(2);
        await().atMost(WsProbe.TIMEOUT).until(() -> sim.sessionCount() == 0);
    }

    @Test
    void rejectedUpgradeFailsTheHandshakeOnceThenConnectsNormally() throws Exception {
        start();
        sim.faults().rejectUpgrades(1, 429);
        assertThatThrownBy(() -> WsProbe.connect(sim.uri("/stocks"), WsProbe.Codec.POLYGON).close())
                .hasStackTraceContaining("429");
        assertThat(sim.stats().upgradesRejected.sum()).isEqualTo(1);
        WsProbe p = connect("/stocks", WsProbe.Codec.POLYGON);
        p.awaitStatus(PolygonStatus.CONNECTED);
        assertThat(sim.sessionCount()).isEqualTo(1);
    }

    @Test
    void rejectedUpgradeCarriesTheConfiguredHttpStatus() throws Exception {
        start();
        sim.faults().rejectUpgrades(1, 429);
        try (HttpClient http = HttpClient.newHttpClient()) {
            Throwable error = null;
            try {
                http.newWebSocketBuilder().buildAsync(sim.uri("/v2/iex"), new WebSocket.Listener() { }).join()
                        .abort();
            } catch (CompletionException e) {
                error = e.getCause();
            }
            assertThat(error).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) error).getResponse().statusCode()).isEqualTo(429);
            http.shutdownNow();
        }
    }

    @Test
    void rejectCredentialsFailsValidKeysOnBothProviders() throws Exception {
        start();
        sim.faults().rejectCredentials(true);
        WsProbe polygon = connect("/stocks", WsProbe.Codec.POLYGON);
        polygon.polygonAuth(POLYGON_KEY);
        polygon.awaitClosed();
        assertThat(polygon.statuses()).containsExactly(PolygonStatus.connected(), PolygonStatus.authFailed());

        WsProbe alpaca = connect("/v2/iex", WsProbe.Codec.ALPACA_JSON);
        alpaca.awaitSuccess(AlpacaSuccess.CONNECTED.msg());
        alpaca.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, ALPACA_SECRET));
        alpaca.awaitClosed();
        assertThat(alpaca.controls()).containsExactly(AlpacaSuccess.CONNECTED, AlpacaError.AUTH_FAILED);

        sim.faults().rejectCredentials(false);
        polygonAuthenticated("/stocks");
        alpacaAuthenticated("/v2/iex", WsProbe.Codec.ALPACA_JSON);
    }

    @Test
    void injectedMalformedFramesAreRejectedByThePolygonDecoderAndLaterFramesStillDecode() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*", "Q.*");
        p.awaitEvents(50);
        sim.faults().injectMalformed(2);
        await().atMost(WsProbe.TIMEOUT).until(() -> p.malformed().size() >= 2);
        int after = p.malformed().getLast().eventsBefore();
        p.awaitEvents(after + 100);
        assertThat(p.malformed()).hasSize(2);
        assertThat(sim.stats().malformedSent.sum()).isEqualTo(2);
        assertThat(p.isOpen()).isTrue();
    }

    @Test
    void injectedMalformedFramesAreRejectedByTheMsgpackDecoder() throws Exception {
        start();
        WsProbe p = alpacaAuthenticated("/v2/sip", WsProbe.Codec.ALPACA_MSGPACK);
        p.alpacaSend(subscribe(Map.of(TRADES, List.of("*"), QUOTES, List.of("*"))));
        p.awaitEvents(50);
        sim.faults().injectMalformed(2);
        await().atMost(WsProbe.TIMEOUT).until(() -> p.malformed().size() >= 2);
        int after = p.malformed().getLast().eventsBefore();
        p.awaitEvents(after + 100);
        assertThat(p.malformed()).hasSize(2);
        assertThat(p.textFrames()).isZero();
    }

    @Test
    void duplicateEverySendsIdenticalTradesBackToBack() throws Exception {
        start();
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.*");
        p.awaitEvents(200);
        int before = p.eventCount();
        sim.faults().duplicateEvery(5);
        p.awaitEvents(before + 600);
        sim.faults().duplicateEvery(0);
        List<Trade> trades = p.trades();
        Set<String> seen = new HashSet<>();
        int duplicatesBefore = 0;
        int duplicatesAfter = 0;
        for (int i = 0; i < trades.size(); i++) {
            Trade t = trades.get(i);
            if (!seen.add(key(t))) {
                if (i < before) duplicatesBefore++;
                else duplicatesAfter++;
                assertThat(trades.get(i - 1)).as("a duplicate directly follows its original").isEqualTo(t);
            }
        }
        assertThat(duplicatesBefore).isZero();
        // every 5th message is doubled: about one in six received; well above zero whatever the timing
        assertThat(duplicatesAfter).isGreaterThan(50);
    }

    @Test
    void reorderEverySwapsNeighboursInTheSequenceOrder() throws Exception {
        start(SimulatorConfig.builder(market(7, List.of("AAPL"))).rate(2_000));
        WsProbe p = polygonAuthenticated("/stocks");
        p.polygonSubscribe("T.AAPL", "Q.AAPL");
        p.awaitEvents(200);
        int before = p.eventCount();
        sim.faults().reorderEvery(10);
        p.awaitEvents(before + 1_000);
        sim.faults().reorderEvery(0);
        long[] q = p.events().stream().mapToLong(SimulatorFaultsTest::sequence).toArray();
        int inversionsBefore = 0;
        int inversionsAfter = 0;
        for (int i = 1; i < q.length; i++) {
            if (q[i] >= q[i - 1]) continue;
            if (i < before) inversionsBefore++;
            else inversionsAfter++;
            long t = q[i];
            q[i] = q[i - 1];
            q[i - 1] = t;
        }
        assertThat(inversionsBefore).isZero();
        assertThat(inversionsAfter).isGreaterThan(10);
        // undoing each adjacent swap restores a strictly increasing per-ticker sequence
        for (int i = 1; i < q.length; i++) assertThat(q[i]).as("sequence at %d", i).isGreaterThan(q[i - 1]);
    }
}
