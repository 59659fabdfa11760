package com.systemtrader.backfill;

import com.systemtrader.provider.alpaca.AlpacaVendorRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.polygon.PolygonRestClient;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.schema.DataSource;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backfiller against the simulator's REST API and a real database: outcomes, idempotency, fallbacks, ledger. */
class GapBackfillerTest {
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private static final RestSettings QUICK = RestSettings.DEFAULTS.withRetries(2, Duration.ofMillis(10),
            Duration.ofMillis(20)).withMaxRateLimitWait(Duration.ofMillis(200));

    @TempDir Path dir;
    private BackfillTestSupport st;
    private ExchangeSimulator sim;
    private GapBackfiller backfiller;
    private long startNs;

    @BeforeEach void start() throws Exception {
        st = new BackfillTestSupport(dir);
        startNs = Timestamps.nowNs() / 1_000_000 * 1_000_000;
        sim = ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(5, SYMBOLS)
                .withBarIntervalMs(1_000).withHalts(0).withMaxLateMs(300)).rate(1_000).build());
        APIKeyManager keys = BackfillTestSupport.keys(dir);
        PolygonRestClient rest = st.polygonRest(sim, keys, QUICK);
        backfiller = st.backfiller(rest, BackfillConfig.DEFAULTS.withBatchRows(200));
    }

    @AfterEach void stop() throws Exception {
        sim.close();
        st.close();
    }

    @Test void aManualBackfillStoresTheMarketsTradesAndASecondRunAddsNothing() throws Exception {
        // the market has made about 1.5 s of trades that late prints (at most 300 ms late) can no longer reach
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> BackfillTestSupport
                .marketTrades(sim, SYMBOLS, startNs, Timestamps.nowNs() - 500_000_000L).size() >= 600);
        long to = (Timestamps.nowNs() - 500_000_000L) / 1_000_000 * 1_000_000;
        BackfillResult first = backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, SYMBOLS, startNs, to));
        st.awaitWritten();
        var market = BackfillTestSupport.marketTrades(sim, SYMBOLS, startNs, to);
        assertThat(first.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(first.reason()).isEmpty();
        assertThat(market).hasSizeGreaterThan(200);
        assertThat(first.fetched()).isEqualTo(market.size());
        assertThat(first.newRows()).isEqualTo(market.size());
        List<String> stored = st.storedTrades("");
        assertThat(new HashSet<>(stored)).hasSize(stored.size()).isEqualTo(market);

        BackfillResult second = backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, SYMBOLS, startNs, to));
        st.awaitWritten();
        assertThat(second.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(second.fetched()).isEqualTo(market.size());
        assertThat(second.newRows()).isZero();
        assertThat(second.written()).isZero();
        assertThat(st.storedTrades("")).hasSize(stored.size());
        assertThat(st.count("SELECT count(*) FROM gap_ledger WHERE feed = 'manual' AND backfill_note LIKE 'filled: %'"))
                .as("one ledger row per request window, updated").isEqualTo(1);
        assertThat(backfiller.recent().snapshot()).containsExactly(first, second);
        assertThat(st.registry.counter("backfill.rows", "kind", "new").count()).isEqualTo(market.size());
    }

    @Test void serverErrorsThatOutlastTheRetriesMarkTheBackfillFailedWithTheReason() throws Exception {
        sim.rest().failNext(1_000, 500);
        long to = Timestamps.nowNs();
        BackfillResult r = backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, SYMBOLS, startNs, to));
        sim.rest().failNext(0, 500);
        assertThat(r.outcome()).isEqualTo(BackfillOutcome.FAILED);
        assertThat(r.reason()).contains("AAPL").contains("500");
        assertThat(r.symbols()).extracting(SymbolBackfill::outcome).containsOnly(BackfillOutcome.FAILED);
        try (Connection c = st.db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT backfilled_at, backfill_note FROM gap_ledger")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp(1)).as("not backfilled").isNull();
            assertThat(rs.getString(2)).startsWith("failed: ").contains("500");
        }
        assertThat(st.registry.counter("backfill.gaps", "outcome", "failed").count()).isEqualTo(1.0);
        assertThat(st.storedTrades("")).isEmpty();
    }

    @Test void rateLimitsThatDoNotLiftMarkTheBackfillFailed() {
        sim.rest().failNext(1_000, 429);
        BackfillResult r = backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, List.of("AAPL"), startNs,
                Timestamps.nowNs()));
        sim.rest().failNext(0, 429);
        assertThat(r.outcome()).isEqualTo(BackfillOutcome.FAILED);
        assertThat(r.reason()).contains("429");
    }

    @Test void whenTradesAreNotEntitledMinuteBarsAreStoredAndTheGapIsPartiallyFilled() throws Exception {
        sim.rest().failNext(1, 403); // the /v3/trades call
        long to = startNs - Duration.ofMinutes(20).toNanos();
        long from = to - Duration.ofMinutes(10).toNanos();
        BackfillResult r = backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, List.of("AAPL"), from, to));
        st.awaitWritten();
        assertThat(r.outcome()).isEqualTo(BackfillOutcome.PARTIALLY_FILLED);
        SymbolBackfill s = r.symbols().getFirst();
        assertThat(s.kind()).isEqualTo("minute bars");
        assertThat(s.reason()).contains("403").contains("minute bars only");
        assertThat(s.fetched()).isBetween(10L, 11L);
        assertThat(st.count("SELECT count(*) FROM market_data WHERE symbol = 'AAPL' AND source = 'polygon' "
                + "AND timeframe = '1m'")).isEqualTo(s.written());
        assertThat(st.count("SELECT count(*) FROM gap_ledger WHERE backfilled_at IS NOT NULL "
                + "AND backfill_note LIKE 'partially_filled: %'")).isEqualTo(1);
    }

    @Test void afterARestartEachSymbolIsBackfilledFromItsNewestStoredTrade() throws Exception {
        // what a process killed with SIGKILL had stored: the first second of the market
        long killedAt = startNs + 1_000_000_000L;
        // the first second is complete: every symbol has a trade stamped after it and its late prints (<= 300 ms)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> SYMBOLS.stream()
                .allMatch(s -> sim.history().lastTrade(s).filter(t -> t.eventTimeNs() >= killedAt + 400_000_000L)
                        .isPresent()));
        backfiller.backfill(BackfillRequest.manual(DataSource.POLYGON, SYMBOLS, startNs, killedAt));
        st.awaitWritten();
        long before = st.storedTrades("").size();
        // the market goes on after the kill: every symbol has made 200 more trades (about a second)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> SYMBOLS.stream()
                .allMatch(s -> sim.history().trades(s, killedAt, Long.MAX_VALUE, Integer.MAX_VALUE).size() >= 200));

        List<BackfillResult> results = backfiller.backfillSinceLastStored(List.of("AAPL", "MSFT", "TSLA"),
                Duration.ofHours(1));
        st.awaitWritten();
        assertThat(results).as("TSLA has nothing stored: skipped").hasSize(2);
        for (BackfillResult r : results) {
            assertThat(r.outcome()).isEqualTo(BackfillOutcome.FILLED);
            assertThat(r.request().trigger()).isEqualTo(BackfillRequest.Trigger.RESTART);
            assertThat(r.request().startNs()).isLessThan(killedAt);
            String symbol = r.request().symbols().getFirst();
            // the whole market up to the window's end, less the last 400 ms (prints late by up to 300 ms may have
            // been made after the fetch); the simulator's first prints may be stamped before startNs
            long cutoff = r.toNs() - 400_000_000L;
            var market = BackfillTestSupport.marketTrades(sim, List.of(symbol), 0, cutoff);
            List<String> stored = st.storedTrades("symbol = '" + symbol + "' AND event_ns < " + cutoff);
            assertThat(new HashSet<>(stored)).hasSize(stored.size()).isEqualTo(market);
        }
        assertThat(st.storedTrades("").size()).isGreaterThan((int) before);
    }

    /**
     * A plan without Alpaca historical trades (the 404 is injected: the simulator serves them): the backfill stores
     * Alpaca's minute bars instead.
     */
    @Test void alpacaWithoutHistoricalTradesFallsBackToMinuteBarsAndARerunAddsNothing() throws Exception {
        APIKeyManager keys = BackfillTestSupport.keys(dir);
        GapBackfiller alpaca = new GapBackfiller(List.of(new AlpacaVendorRest(st.alpacaRest(sim, keys))), st.writer, st.database::connect,
                com.systemtrader.config.DataConfig.defaults(), BackfillConfig.DEFAULTS, null);
        long to = startNs - Duration.ofMinutes(10).toNanos();
        // one symbol: failNext counts every request, so a second symbol's 404 would hit the first one's bars call
        BackfillRequest request = BackfillRequest.manual(DataSource.ALPACA, List.of("AAPL"), to - Duration.ofMinutes(10)
                .toNanos(), to);
        sim.rest().failNext(1, 404);
        BackfillResult first = alpaca.backfill(request);
        st.awaitWritten();
        assertThat(first.outcome()).as(first.note()).isEqualTo(BackfillOutcome.PARTIALLY_FILLED);
        assertThat(first.symbols()).extracting(SymbolBackfill::kind).containsOnly("minute bars");
        assertThat(first.reason()).contains("HTTP 404");
        assertThat(first.fetched()).isBetween(10L, 11L);
        String bars = "SELECT count(*) FROM market_data WHERE source = 'alpaca' AND timeframe = '1m'";
        assertThat(st.count(bars)).isEqualTo(first.written());

        sim.rest().failNext(1, 404);
        BackfillResult second = alpaca.backfill(request);
        st.awaitWritten();
        assertThat(second.outcome()).isEqualTo(BackfillOutcome.PARTIALLY_FILLED);
        assertThat(st.count(bars)).as("bars upsert on their key").isEqualTo(first.written());
        assertThat(backfiller.recent().snapshot()).as("each backfiller keeps its own outcomes").isEmpty();
    }

    @Test void aWildcardSubscriptionCannotBeBackfilledPerSymbol() {
        BackfillResult r = backfiller.backfill(new BackfillRequest(DataSource.POLYGON, "stocks", List.of("T"),
                List.of("*"), startNs, Timestamps.nowNs(), "closed", BackfillRequest.Trigger.GAP));
        assertThat(r.outcome()).isEqualTo(BackfillOutcome.FAILED);
        assertThat(r.reason()).contains("all symbols");
    }
}
