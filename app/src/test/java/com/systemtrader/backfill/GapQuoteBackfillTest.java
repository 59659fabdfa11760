package com.systemtrader.backfill;

import com.systemtrader.provider.alpaca.AlpacaVendorRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.config.DataConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Polygon quotes backfilled from the simulator's {@code /v3/quotes} into a real database. */
class GapQuoteBackfillTest {
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private static final long MS = 1_000_000L;

    @TempDir Path dir;
    private BackfillTestSupport st;
    private ExchangeSimulator sim;
    private APIKeyManager keys;
    private GapBackfiller backfiller;
    private long startNs;

    @BeforeEach void start() throws Exception {
        st = new BackfillTestSupport(dir);
        startNs = Timestamps.nowNs() / MS * MS;
        sim = ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(9, SYMBOLS)
                .withBarIntervalMs(1_000).withHalts(0).withMaxLateMs(300)).rate(1_000).build());
        keys = BackfillTestSupport.keys(dir);
        backfiller = st.backfiller(st.polygonRest(sim, keys, RestSettings.DEFAULTS),
                BackfillConfig.DEFAULTS.withBatchRows(200));
        // the market has made about 1.5 s of quotes that late prints (at most 300 ms late) can no longer reach
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> marketQuotes(sim,
                SYMBOLS, startNs, Timestamps.nowNs() - 500_000_000L).size() >= 800);
    }

    @AfterEach void stop() throws Exception {
        sim.close();
        st.close();
    }

    private BackfillRequest request(DataSource source, List<String> channels, long to) {
        return new BackfillRequest(source, "stocks", channels, SYMBOLS, startNs, to, "test",
                BackfillRequest.Trigger.MANUAL);
    }

    @Test void tradesAndQuotesOfTheWindowAreStoredOnceAndEqualTheMarketsQuotes() throws Exception {
        long to = (Timestamps.nowNs() - 500_000_000L) / MS * MS;
        BackfillResult first = backfiller.backfill(request(DataSource.POLYGON, List.of("T", "Q"), to));
        st.awaitWritten();
        Set<String> quotes = marketQuotes(sim, SYMBOLS, startNs, to);
        Set<String> trades = BackfillTestSupport.marketTrades(sim, SYMBOLS, startNs, to);
        assertThat(first.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(first.symbols()).extracting(SymbolBackfill::kind).containsOnly("trades+quotes");
        assertThat(quotes).hasSizeGreaterThan(200);
        assertThat(first.fetched()).as("trades and quotes fetched").isEqualTo(trades.size() + quotes.size());
        assertThat(first.newRows()).isEqualTo(trades.size() + quotes.size());

        List<String> stored = storedQuotes(st, "");
        assertThat(new HashSet<>(stored)).as("no duplicate quotes").hasSize(stored.size());
        same(new HashSet<>(stored), quotes);
        assertThat(new HashSet<>(st.storedTrades(""))).isEqualTo(trades);
        assertStoredFieldsEqualTheMarket(to);

        BackfillResult second = backfiller.backfill(request(DataSource.POLYGON, List.of("T", "Q"), to));
        st.awaitWritten();
        assertThat(second.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(second.newRows()).as("everything was stored already").isZero();
        assertThat(storedQuotes(st, "")).hasSize(stored.size());
    }

    @Test void aQuoteOnlyPolygonFeedBackfillsQuotesButAlpacaQuotesAreNot() throws Exception {
        long to = (Timestamps.nowNs() - 500_000_000L) / MS * MS;
        BackfillResult r = backfiller.backfill(request(DataSource.POLYGON, List.of("Q"), to));
        st.awaitWritten();
        assertThat(r.outcome()).isEqualTo(BackfillOutcome.FILLED);
        assertThat(r.symbols()).extracting(SymbolBackfill::kind).containsOnly("quotes");
        same(new HashSet<>(storedQuotes(st, "")), marketQuotes(sim, SYMBOLS, startNs, to));
        assertThat(st.storedTrades("")).isEmpty();

        GapBackfiller withAlpaca = new GapBackfiller(List.of(new AlpacaVendorRest(st.alpacaRest(sim, keys))), st.writer, st.database::connect,
                DataConfig.defaults(), BackfillConfig.DEFAULTS, st.registry);
        BackfillResult alpaca = withAlpaca.backfill(request(DataSource.ALPACA, List.of("quotes"), to));
        assertThat(alpaca.outcome()).isEqualTo(BackfillOutcome.FAILED);
        assertThat(alpaca.reason()).contains("quotes are not backfilled");
    }

    /** Prices, sizes, exchanges, conditions of the stored quotes equal the market's; times cut to the ms. */
    private void assertStoredFieldsEqualTheMarket(long to) throws SQLException {
        int checked = 0;
        try (Connection c = st.db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, sequence, event_ns, source, bid_exchange, bid_price, bid_size, ask_exchange, "
                     + "ask_price, ask_size FROM websocket_data "
                     + "WHERE data_type = 'quote'")) {
            java.util.Map<String, Quote> market = new java.util.HashMap<>();
            for (String sym : SYMBOLS) {
                for (Quote q : sim.history().quotes(sym, startNs - MS, to + MS, Integer.MAX_VALUE)) {
                    market.put(sym + "/" + q.sequence(), q);
                }
            }
            while (r.next()) {
                Quote q = market.get(r.getString(1) + "/" + r.getLong(2));
                assertThat(q).isNotNull();
                assertThat(r.getLong(3)).isEqualTo(Math.floorDiv(q.eventTimeNs(), MS) * MS);
                assertThat(r.getString(4)).isEqualTo("polygon");
                assertThat(r.getInt(5)).isEqualTo(q.bidExchange());
                assertThat(r.getDouble(6)).isEqualTo(q.bidPrice());
                assertThat(r.getLong(7)).isEqualTo(q.bidSize());
                assertThat(r.getInt(8)).isEqualTo(q.askExchange());
                assertThat(r.getDouble(9)).isEqualTo(q.askPrice());
                assertThat(r.getLong(10)).isEqualTo(q.askSize());
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    /** The simulator's quotes of {@code symbols} with event time (cut to the ms) in {@code [fromNs, toNs)}. */
    static Set<String> marketQuotes(ExchangeSimulator sim, List<String> symbols, long fromNs, long toNs) {
        Set<String> out = new HashSet<>();
        for (String s : symbols) {
            for (Quote q : sim.history().quotes(s, fromNs - MS, toNs + MS, Integer.MAX_VALUE)) {
                long ms = Math.floorDiv(q.eventTimeNs(), MS) * MS;
                if (ms >= fromNs && ms < toNs) out.add(s + "/" + q.sequence());
            }
        }
        return out;
    }

    /** The stored quotes as {@code symbol/sequence}, duplicates kept. */
    static List<String> storedQuotes(BackfillTestSupport st, String where) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = st.db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, sequence FROM websocket_data WHERE data_type = 'quote'"
                     + (where.isEmpty() ? "" : " AND " + where))) {
            while (r.next()) out.add(r.getString(1) + "/" + r.getLong(2));
        }
        return out;
    }

    static void same(Set<String> stored, Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(stored);
        Set<String> extra = new TreeSet<>(stored);
        extra.removeAll(expected);
        assertThat(missing).as("quotes expected but not stored (%d of %d)", missing.size(), expected.size()).isEmpty();
        assertThat(extra).as("quotes stored but not expected").isEmpty();
    }
}
