package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each error class of the providers, handled as fatal or retryable, against the simulator over real sockets. */
class CollectorFaultsTest {
    private ExchangeSimulator sim;
    private WebsocketCollector collector;
    private WebsocketCollector second;

    @AfterEach void close() {
        if (second != null) second.close();
        if (collector != null) collector.close();
        if (sim != null) sim.close();
    }

    @Test void badPolygonKeyIsFatalWithoutRetrying() throws Exception {
        sim = simulator(1_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")),
                keys(Map.of("POLYGON_API_KEY", "wrong-key-123456")));
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.FAILED, Duration.ofSeconds(10))).isTrue();
        assertThat(collector.stateDetail()).contains("auth_failed").doesNotContain("wrong-key-123456");
        Thread.sleep(1_000); // deliberate: shows that the collector does not connect again within 1 s (no retry)
        assertThat(sim.stats().authFailures.sum()).isEqualTo(1);
        assertThat(sim.stats().connections.sum()).isEqualTo(1);
    }

    @Test void rejectedKeyRotatesToTheNextOne() throws Exception {
        sim = simulator(1_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")),
                keys(Map.of("POLYGON_API_KEY", "revoked-key-abcdef", "POLYGON_API_KEY_NEXT",
                        SimulatorConfig.DEFAULT_POLYGON_KEY)));
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > 10);
        assertThat(collector.state()).isEqualTo(State.STREAMING);
        assertThat(sim.stats().authFailures.sum()).isEqualTo(1);
    }

    @Test void badAlpacaSecretIsFatal() throws Exception {
        sim = simulator(1_000);
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "iex", List.of("trades")),
                keys(Map.of("APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY, "APCA_API_SECRET_KEY", "nope-nope-nope")));
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.FAILED, Duration.ofSeconds(10))).isTrue();
        assertThat(collector.stateDetail()).contains("402").doesNotContain("nope-nope-nope");
    }

    @Test void alpacaPlanWithoutSipIsFatal() throws Exception {
        sim = simulator(SimulatorConfig.builder(market()).rate(1_000).alpacaSipEntitled(false));
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "sip", List.of("trades")), defaultKeys());
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.FAILED, Duration.ofSeconds(10))).isTrue();
        assertThat(collector.stateDetail()).contains("409");
    }

    @Test void secondPolygonConnectionEvictsTheFirstWhichWaitsTheConnectionLimitBackoff() throws Exception {
        sim = simulator(2_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")), defaultKeys());
        Recorder first = new Recorder();
        collector.addListener(first);
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        second = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")), defaultKeys());
        second.addSymbol("AAPL");
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.stats().reconnectsByCause()
                .containsKey("connection-limit"));
        assertThat(collector.state()).isEqualTo(State.BACKING_OFF);
        assertThat(collector.stateDetail()).containsPattern("reconnecting in (1[5-9]\\d\\d|[2-9]\\d\\d\\d) ms");
        assertThat(sim.stats().evictions.sum()).isEqualTo(1);
    }

    @Test void alpacaConnectionLimitOnTheNewcomerIsRetryableNotFatal() throws Exception {
        sim = simulator(2_000);
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "iex", List.of("trades")), defaultKeys());
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        second = new AlpacaWebsocketCollector(alpacaFeed(sim, "iex", List.of("trades")), defaultKeys());
        second.addSymbol("AAPL");
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.stats().reconnectsByCause()
                .containsKey("connection-limit"));
        assertThat(second.state()).isIn(State.BACKING_OFF, State.CONNECTING, State.AUTHENTICATING);
        assertThat(collector.state()).isEqualTo(State.STREAMING);
        collector.close();
        collector = null;
        assertThat(second.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
    }

    @Test void upgradeAnswered429WaitsTheConnectionLimitBackoffThenConnects() throws Exception {
        sim = simulator(1_000);
        sim.faults().rejectUpgrades(1, 429);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")), defaultKeys());
        collector.addSymbol("AAPL");
        long start = System.nanoTime();
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(1_400).toNanos());
        assertThat(collector.stats().reconnectsByCause()).containsEntry("http-429", 1L);
    }

    @Test void stalenessWatchdogCatchesASilentStall() throws Exception {
        sim = simulator(2_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "Q")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > 20);
        sim.faults().stall(Duration.ofSeconds(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.stats().reconnectsByCause().containsKey("stale"));
        assertThat(collector.gapLedger().gaps()).anySatisfy(g -> assertThat(g.cause()).isEqualTo("stale"));
    }

    @Test void slowConsumerKillIsRetryable() throws Exception {
        sim = simulator(2_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")), defaultKeys());
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        sim.faults().slowConsumerKillNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.stats().reconnectsByCause()
                .containsKey("slow_consumer"));
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
    }

    @Test void malformedFramesAreCountedAndSkipped() throws Exception {
        sim = simulator(2_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "Q")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("*");
        collector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > 20);
        sim.faults().injectMalformed(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.stats().decodeErrors() == 4);
        int before = r.events().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > before + 20);
        assertThat(collector.state()).isEqualTo(State.STREAMING);
        assertThat(r.events()).extracting(MarketEvent::symbol).isNotEmpty();
    }
}
