package com.systemtrader.collector;

import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Helpers for collector tests: a simulator, fast collector settings, and a recording listener. */
final class CollectorTestSupport {
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA");

    private CollectorTestSupport() {}

    static ExchangeSimulator simulator(long rate) {
        return simulator(SimulatorConfig.builder(market()).rate(rate));
    }

    static ExchangeSimulator simulator(SimulatorConfig.Builder b) {
        return ExchangeSimulator.start(b.build());
    }

    static MarketConfig market() {
        return MarketConfig.defaults(42, SYMBOLS).withBarIntervalMs(1_000).withHalts(0);
    }

    static APIKeyManager keys(Map<String, String> env) {
        return APIKeyManager.load(Path.of("does-not-exist.yaml"), env, Clock.systemUTC());
    }

    static APIKeyManager defaultKeys() {
        return keys(Map.of("POLYGON_API_KEY", SimulatorConfig.DEFAULT_POLYGON_KEY,
                "APCA_API_KEY_ID", SimulatorConfig.DEFAULT_ALPACA_KEY,
                "APCA_API_SECRET_KEY", SimulatorConfig.DEFAULT_ALPACA_SECRET));
    }

    /** Fast timings so that tests reconnect and detect stalls in well under a second. */
    static FeedConfig polygonFeed(ExchangeSimulator sim, List<String> channels) {
        return fast(FeedConfig.polygonDefaults(), sim.uri("/stocks"), null, channels);
    }

    static FeedConfig alpacaFeed(ExchangeSimulator sim, String feed, List<String> channels) {
        return fast(FeedConfig.alpacaDefaults(), URI.create("ws://127.0.0.1:" + sim.port() + "/v2"), feed, channels);
    }

    static FeedConfig fast(FeedConfig base, URI url, String feed, List<String> channels) {
        return new FeedConfig(true, url, feed, channels, List.of(), Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofMillis(1_500), Duration.ofMillis(500), Duration.ofMillis(400), Duration.ofSeconds(2), false,
                Duration.ofSeconds(1), 4_096, base.maxFrameBytes(), base.compression(), base.wireFormat());
    }

    /**
     * Records the events that came over the wire (bars the collector built itself are left out: they are published
     * after their window ends, possibly after the symbol was removed) and the statuses. Listener calls come from one
     * thread; reads from the test thread.
     */
    static final class Recorder implements MarketDataListener {
        final List<MarketEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<ConnectionStatus> statuses = Collections.synchronizedList(new ArrayList<>());

        @Override public void onEvent(MarketEvent event) {
            if (!(event instanceof com.systemtrader.schema.Bar b && b.derived())) events.add(event);
        }

        @Override public void onStatus(ConnectionStatus status) { statuses.add(status); }

        /** The events after the first {@code from}, in one snapshot. */
        List<MarketEvent> eventsSince(int from) {
            synchronized (events) {
                return new ArrayList<>(events.subList(Math.min(from, events.size()), events.size()));
            }
        }

        List<MarketEvent> events() {
            synchronized (events) {
                return new ArrayList<>(events);
            }
        }

        long count(ConnectionStatus.State s) {
            synchronized (statuses) {
                return statuses.stream().filter(x -> x.state() == s).count();
            }
        }
    }
}
