package com.systemtrader.backfill;

import com.systemtrader.provider.alpaca.AlpacaVendorRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.config.DataConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.alpaca.AlpacaRestClient;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.simulator.market.SipCodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backfiller's Alpaca path against the simulator's historical trades ({@code /v2/stocks/{symbol}/trades}). */
class AlpacaBackfillTest {
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");

    @TempDir Path dir;
    private BackfillTestSupport st;
    private ExchangeSimulator sim;
    private GapBackfiller backfiller;
    private long startNs;

    @BeforeEach void start() throws Exception {
        st = new BackfillTestSupport(dir);
        startNs = Timestamps.nowNs();
        sim = ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(5, SYMBOLS)
                .withBarIntervalMs(1_000).withHalts(0).withMaxLateMs(300)).rate(1_000).build());
        APIKeyManager keys = BackfillTestSupport.keys(dir);
        AlpacaRestClient alpaca = st.alpacaRest(sim, keys);
        // small pages, so the window takes several page_token round trips
        backfiller = new GapBackfiller(List.of(new AlpacaVendorRest(alpaca)), st.writer, st.database::connect, DataConfig.defaults(),
                new BackfillConfig(Duration.ofSeconds(30), Duration.ofSeconds(10),
                97, 200, 64, 200, Duration.ofDays(3)), st.registry);
        // the market has made about 1.5 s of trades that late prints (at most 300 ms late) can no longer reach
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> BackfillTestSupport
                .marketTrades(sim, SYMBOLS, startNs, Timestamps.nowNs() - 500_000_000L).size() >= 600);
    }

    @AfterEach void stop() throws Exception {
        sim.close();
        st.close();
    }

    @Test void anAlpacaWindowIsFilledFromHistoricalTradesAndEqualsTheMarketsTrades() throws Exception {
        // a window the late prints (at most 300 ms behind) can no longer reach
        long to = Timestamps.nowNs() - 500_000_000L;
        BackfillResult first = backfiller.backfill(BackfillRequest.manual(DataSource.ALPACA, SYMBOLS, startNs, to));
        st.awaitWritten();
        Set<String> market = alpacaTrades(sim, SYMBOLS, startNs, to);
        assertThat(market).hasSizeGreaterThan(200);
        assertThat(first.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(first.reason()).isEmpty();
        assertThat(first.symbols()).extracting(SymbolBackfill::kind).containsOnly("trades");
        assertThat(first.fetched()).isEqualTo(market.size());
        assertThat(first.newRows()).isEqualTo(market.size());
        List<String> stored = st.storedTrades("source = 'alpaca'");
        assertThat(new HashSet<>(stored)).hasSize(stored.size()).isEqualTo(market);
        assertThat(st.count("SELECT count(*) FROM market_data")).as("no minute-bar fallback").isZero();

        BackfillResult second = backfiller.backfill(BackfillRequest.manual(DataSource.ALPACA, SYMBOLS, startNs, to));
        st.awaitWritten();
        assertThat(second.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(second.fetched()).isEqualTo(market.size());
        assertThat(second.newRows()).isZero();
        assertThat(st.storedTrades("")).hasSize(stored.size());
    }

    /** The market's trades in {@code [fromNs, toNs)} as the rows an Alpaca backfill stores (exchange letter code). */
    private static Set<String> alpacaTrades(ExchangeSimulator sim, List<String> symbols, long fromNs, long toNs) {
        Set<String> out = new HashSet<>();
        for (String s : symbols) {
            for (Trade t : sim.history().trades(s, fromNs, toNs, Integer.MAX_VALUE)) {
                out.add(s + "/" + (int) SipCodes.exchangeLetter(t.exchange()) + "/-1/" + t.tradeId());
            }
        }
        return out;
    }
}
