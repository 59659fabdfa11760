package com.systemtrader.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.storage.StorageSink;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.polygon.PolygonWebsocketCollector;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.schema.ConnectionStatus.State;
import com.systemtrader.schema.DataSource;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The automatic backfill's queue policy and its start-up backfill. */
class AutoBackfillTest {
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");

    @TempDir Path dir;

    @Test void aFullQueueDropsTheNewJobCountsItAndShowsItAsFailed() throws Exception {
        try (BackfillTestSupport st = new BackfillTestSupport(dir);
             ExchangeSimulator sim = simulator()) {
            // every REST call fails slowly: 3 attempts with >= 300 ms back-off keep the one thread busy
            RestSettings slow = RestSettings.DEFAULTS.withRetries(3, Duration.ofMillis(600), Duration.ofMillis(600));
            sim.rest().failNext(1_000, 500);
            GapBackfiller backfiller = st.backfiller(st.polygonRest(sim, BackfillTestSupport.keys(dir), slow),
                    BackfillConfig.DEFAULTS.withQueueCapacity(1));
            try (AutoBackfill auto = new AutoBackfill(backfiller, st.registry)) {
                long now = Timestamps.nowNs();
                BackfillRequest r = BackfillRequest.manual(DataSource.POLYGON, List.of("AAPL"), now - 1_000_000_000L,
                        now);
                assertThat(auto.submit(r)).as("runs at once").isTrue();
                assertThat(auto.submit(r)).as("waits in the queue").isTrue();
                assertThat(auto.submit(r)).as("queue full").isFalse();
                assertThat(auto.submit(r)).as("queue full").isFalse();
                assertThat(st.registry.counter("backfill.queue.dropped").count()).isEqualTo(2.0);
                assertThat(st.registry.get("backfill.queue.depth").gauge().value()).isEqualTo(1.0);
                assertThat(auto.awaitIdle(Duration.ofSeconds(30))).isTrue();
                assertThat(auto.completed()).isEqualTo(2);
            }
            List<BackfillResult> recent = backfiller.recent().snapshot();
            assertThat(recent).hasSize(4).allMatch(x -> x.outcome() == BackfillOutcome.FAILED);
            assertThat(recent).filteredOn(x -> x.reason().equals("not run: backfill queue full")).hasSize(2);
        }
    }

    @Test void onTheFirstStreamTheSubscribedSymbolsAreBackfilledFromTheirNewestStoredTrade() throws Exception {
        try (BackfillTestSupport st = new BackfillTestSupport(dir);
             ExchangeSimulator sim = simulator()) {
            APIKeyManager keys = BackfillTestSupport.keys(dir);
            GapBackfiller backfiller = st.backfiller(st.polygonRest(sim, keys, RestSettings.DEFAULTS),
                    BackfillConfig.DEFAULTS);
            long t0 = Timestamps.nowNs();
            // the market goes on after the "kill" 1 s after start: AAPL has made 50 trades since
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> sim.history()
                    .trades("AAPL", t0 + 1_000_000_000L, Long.MAX_VALUE, Integer.MAX_VALUE).size() >= 50);
            // what the killed process had stored: AAPL up to 1 s after start; MSFT nothing
            backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, List.of("AAPL"), t0, t0 + 1_000_000_000L));
            st.awaitWritten();
            FeedConfig feed = new FeedConfig(true, sim.uri("/stocks"), null, List.of("T"), SYMBOLS,
                    Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1_500), Duration.ofMillis(500),
                    Duration.ofMillis(400), Duration.ofSeconds(2), false, Duration.ofSeconds(1), 4_096,
                    FeedConfig.polygonDefaults().maxFrameBytes(), false);
            try (PolygonWebsocketCollector collector = new PolygonWebsocketCollector(feed, keys, DataConfig.defaults(),
                    null); AutoBackfill auto = new AutoBackfill(backfiller, st.registry)) {
                collector.addSink(new StorageSink(st.writer, 500));
                auto.watch(collector, Duration.ofHours(1));
                collector.start();
                assertThat(collector.awaitState(State.STREAMING, Duration.ofSeconds(10))).isTrue();
                // the start-up backfill has run (the manual one is the first result)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> backfiller.recent().snapshot().size() >= 2);
                assertThat(auto.awaitIdle(Duration.ofSeconds(60))).isTrue();
                collector.stop();
            }
            List<BackfillResult> recent = backfiller.recent().snapshot();
            assertThat(recent).hasSize(2);
            BackfillResult restart = recent.get(1);
            assertThat(restart.request().trigger()).isEqualTo(BackfillRequest.Trigger.RESTART);
            assertThat(restart.request().symbols()).containsExactly("AAPL");
            assertThat(restart.request().feed()).isEqualTo("stocks");
            assertThat(restart.outcome()).isEqualTo(BackfillOutcome.FILLED);
            assertThat(restart.newRows()).as("AAPL trades between the kill and the restart").isPositive();
        }
    }

    private static ExchangeSimulator simulator() {
        return ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(3, SYMBOLS)
                .withBarIntervalMs(1_000).withHalts(0).withMaxLateMs(300)).rate(600).build());
    }
}
