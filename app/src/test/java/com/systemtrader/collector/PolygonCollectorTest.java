package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.RecordType;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolygonCollectorTest {
    private ExchangeSimulator sim;
    private PolygonWebsocketCollector collector;

    @AfterEach void close() {
        if (collector != null) collector.close();
        if (sim != null) sim.close();
    }

    @Test void authenticatesSubscribesAndDeliversOnlySubscribedSymbols() throws Exception {
        sim = simulator(3_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "Q")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > 100);
        assertThat(r.events()).extracting(MarketEvent::symbol).containsOnly("AAPL");
        assertThat(collector.getLatestData("AAPL", RecordType.TRADE)).get().isInstanceOf(Trade.class);
        assertThat(collector.confirmedSubscriptions()).containsKeys("T", "Q");
        assertThat(r.count(State.CONNECTING)).isEqualTo(1);
    }

    @Test void runtimeAddAndRemoveAreSentAsDeltas() throws Exception {
        sim = simulator(3_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        collector.addSymbol("MSFT");
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().stream().anyMatch(e -> e.symbol().equals("MSFT")));
        collector.removeSymbol("AAPL");
        await().atMost(Duration.ofSeconds(10)).until(() -> !collector.confirmedSubscriptions().get("T").contains("AAPL"));
        int before = r.events().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > before + 50);
        assertThat(r.eventsSince(before + 20)).extracting(MarketEvent::symbol)
                .containsOnly("MSFT");
    }

    @Test void restoresSubscriptionsAfterReconnectAndRecordsTheGap() throws Exception {
        sim = simulator(3_000);
        collector = new PolygonWebsocketCollector(polygonFeed(sim, List.of("T", "Q")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        collector.addSymbol("TSLA");
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().stream().anyMatch(e -> e.symbol().equals("TSLA")));
        sim.faults().dropAllNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.count(State.BACKING_OFF) >= 1
                && collector.state() == State.STREAMING);
        int after = r.events().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.eventsSince(after).stream()
                .anyMatch(e -> e.symbol().equals("TSLA")));
        assertThat(collector.confirmedSubscriptions().get("T")).containsExactlyInAnyOrder("AAPL", "TSLA");
        assertThat(collector.gapLedger().gaps()).hasSize(1);
        Gap g = collector.gapLedger().gaps().getFirst();
        assertThat(g.isOpen()).isFalse();
        assertThat(g.endNs()).isGreaterThan(g.startNs());
        assertThat(g.symbols()).containsExactlyInAnyOrder("AAPL", "TSLA");
        assertThat(collector.stats().reconnectsByCause()).containsKey("disconnected");
    }
}
