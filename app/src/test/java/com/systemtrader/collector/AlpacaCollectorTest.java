package com.systemtrader.collector;

import static com.systemtrader.collector.CollectorTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.provider.alpaca.AlpacaWebsocketCollector;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlpacaCollectorTest {
    private ExchangeSimulator sim;
    private AlpacaWebsocketCollector collector;

    @AfterEach void close() {
        if (collector != null) collector.close();
        if (sim != null) sim.close();
    }

    @Test void streamsTradesQuotesAndBarsForTheSubscribedSymbols() throws Exception {
        sim = simulator(3_000);
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "iex", List.of("trades", "quotes", "bars")),
                defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.addSymbol("MSFT");
        collector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().stream().anyMatch(e -> e instanceof Bar));
        assertThat(r.events()).extracting(MarketEvent::symbol).containsOnly("AAPL", "MSFT");
        assertThat(r.events()).hasAtLeastOneElementOfType(Trade.class).hasAtLeastOneElementOfType(Quote.class);
        assertThat(collector.confirmedSubscriptions().get("trades")).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(collector.confirmedSubscriptions().get("corrections")).containsExactlyInAnyOrder("AAPL", "MSFT");
    }

    /** MessagePack is the default (as the official SDKs); JSON text frames stay selectable, with and without deflate. */
    @Test void bothWireFormatsStreamWithAndWithoutDeflate() throws Exception {
        sim = simulator(3_000);
        assertThat(alpacaFeed(sim, "sip", List.of("trades")).wireFormat()).isEqualTo("msgpack");
        for (String format : List.of("msgpack", "json")) {
            for (boolean deflate : List.of(false, true)) {
                try (AlpacaWebsocketCollector c = new AlpacaWebsocketCollector(alpacaFeed(sim, "sip",
                        List.of("trades", "quotes")).withWireFormat(format).withCompression(deflate), defaultKeys())) {
                    Recorder r = new Recorder();
                    c.addListener(r);
                    c.addSymbol("AAPL");
                    c.start();
                    await(format + " deflate=" + deflate).atMost(Duration.ofSeconds(10))
                            .until(() -> r.events().stream().anyMatch(e -> e instanceof Quote)
                                    && r.events().stream().anyMatch(e -> e instanceof Trade));
                    assertThat(r.events()).extracting(MarketEvent::symbol).containsOnly("AAPL");
                    assertThat(c.stats().decodeErrors()).isZero();
                    assertThat(c.confirmedSubscriptions().get("trades")).containsExactly("AAPL");
                }
            }
        }
    }

    @Test void unsubscribeStopsDataAndReconnectRestoresTheRest() throws Exception {
        sim = simulator(3_000);
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "sip", List.of("trades", "quotes")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("AAPL");
        collector.addSymbol("TSLA");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        collector.removeSymbol("AAPL");
        await().atMost(Duration.ofSeconds(10)).until(() -> !collector.confirmedSubscriptions().get("trades")
                .contains("AAPL"));
        sim.faults().dropAllNow();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.count(State.BACKING_OFF) >= 1
                && collector.state() == State.STREAMING);
        assertThat(collector.confirmedSubscriptions().get("trades")).containsExactly("TSLA");
        int after = r.events().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > after + 50);
        assertThat(r.eventsSince(after)).extracting(MarketEvent::symbol)
                .containsOnly("TSLA");
        assertThat(collector.gapLedger().outageCount()).isEqualTo(1);
    }

    /** Alpaca may send a symbol's data briefly after an unsubscribe: filtered, counted, never delivered. */
    @Test void dataLingeringAfterAnUnsubscribeIsFilteredAndCounted() throws Exception {
        sim = simulator(3_000);
        sim.faults().lingerAfterUnsubscribe(20);
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "sip", List.of("trades", "quotes")), defaultKeys());
        java.util.concurrent.atomic.AtomicBoolean removed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong deliveredAfter = new java.util.concurrent.atomic.AtomicLong();
        collector.addListener(e -> {
            if (removed.get() && e.symbol().equals("AAPL") && !(e instanceof com.systemtrader.schema.Bar)) {
                deliveredAfter.incrementAndGet();
            }
        });
        collector.addSymbol("AAPL");
        collector.addSymbol("TSLA");
        collector.start();
        assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
        // both symbols stream before AAPL is removed
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> collector.hasData("AAPL") && collector.hasData("TSLA"));
        collector.removeSymbol("AAPL");
        await().atMost(Duration.ofSeconds(10)).until(() -> !collector.desiredSubscriptions().get("trades")
                .contains("AAPL"));
        removed.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.faults().injected()
                .getOrDefault("linger-unsubscribed", 0L) >= 20);
        // the 20 lingering messages the simulator sent have reached the collector, which filtered them
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> collector.stats().filteredUnsubscribed() >= 20);
        collector.stop();
        var f = collector.cleaner().snapshot();
        long filtered = f.bySymbol().get("AAPL").rule(com.systemtrader.clean.Rule.UNSUBSCRIBED);
        assertThat(filtered).isGreaterThanOrEqualTo(20);
        assertThat(collector.stats().filteredUnsubscribed()).isEqualTo(filtered);
        assertThat(deliveredAfter.get()).isZero();
        assertThat(collector.qualityReport().accountedFor()).isTrue();
    }

    @Test void testFeedStreamsOnlyFakepaca() throws Exception {
        sim = simulator(2_000);
        collector = new AlpacaWebsocketCollector(alpacaFeed(sim, "test", List.of("trades")), defaultKeys());
        Recorder r = new Recorder();
        collector.addListener(r);
        collector.addSymbol("FAKEPACA");
        collector.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events().size() > 10);
        assertThat(r.events()).extracting(MarketEvent::symbol).containsOnly("FAKEPACA");
    }
}
