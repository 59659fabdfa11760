package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} killed with <b>SIGKILL</b> in the middle of the stream and started again: whatever the killed process
 * had received but not stored (in its socket buffer, ring, queues) and whatever the market traded while it was
 * down is backfilled from REST at the restart ({@code /v3/trades} and {@code /v3/quotes}), from each symbol's
 * newest stored trade or quote, whichever is older. Afterwards every trade and every quote the simulator wrote to
 * the socket is stored exactly once, and every other stored trade or quote is one the market made, stored by the
 * restart backfill (a quote is identified by symbol and sequence number).
 */
class RunSigkillRestartTest {
    @TempDir Path dir;

    @Test void killedMidStreamThenRestartedStoresEveryTradeAndQuoteOnce() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        Path log = dir.resolve("run.log");
        List<String> symbols = List.of("AAPL", "MSFT");
        try (TestDatabase db = TestDatabase.create(); RedisTestServer redis = RedisTestServer.start()) {
            Set<String> marketTrades = new HashSet<>();
            Set<String> marketQuotes = new HashSet<>();
            long killedAtNs;
            try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                    MarketConfig.defaults(13, symbols).withBarIntervalMs(1_000).withHalts(0)).rate(2_000)
                    .truthFile(truth).build())) {
                Path config = RunProcess.config(dir, sim, db, redis, symbols);
                Process first = RunProcess.start(config, dir, log);
                try {
                    RunProcess.awaitReady(RunProcess.awaitStartLine(first, log, Duration.ofSeconds(60)),
                            Duration.ofSeconds(30));
                    // streaming and storing: 6,000 messages on the socket (3 s at 2,000 a second)
                    long sentAtReady = sim.stats().dataMessages.sum();
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                            .until(() -> sim.stats().dataMessages.sum() >= sentAtReady + 6_000);
                    first.destroyForcibly(); // SIGKILL: no hook, no drain
                    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    killedAtNs = System.currentTimeMillis() * 1_000_000L;
                } finally {
                    first.destroyForcibly();
                }
                // the market goes on while nobody listens: every symbol makes 2,000 trades and quotes (about 2 s)
                long killedAt = killedAtNs;
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> symbols.stream()
                        .allMatch(s -> sim.history().trades(s, killedAt, Long.MAX_VALUE, Integer.MAX_VALUE).size()
                                + sim.history().quotes(s, killedAt, Long.MAX_VALUE, Integer.MAX_VALUE).size() >= 2_000));
                Process second = RunProcess.start(config, dir, log);
                try {
                    RunProcess.awaitReady(RunProcess.awaitStartLine(second, log, Duration.ofSeconds(60)),
                            Duration.ofSeconds(30));
                    // streaming again, 8,000 messages (4 s at 2,000 a second), and the restart backfill is done
                    long sentAtReady = sim.stats().dataMessages.sum();
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50)).until(() -> sim.stats()
                            .dataMessages.sum() >= sentAtReady + 8_000 && backfilledGaps(db) > 0);
                    second.destroy(); // SIGTERM: drain
                    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(second.exitValue()).as(Files.readString(log)).isZero();
                } finally {
                    second.destroyForcibly();
                }
                marketTrades.addAll(StoredTicks.marketTrades(sim.history(), symbols));
                marketQuotes.addAll(StoredTicks.marketQuotes(sim.history(), symbols));
            }
            StoredTicks.Truth sent = StoredTicks.Truth.read(truth);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                List<String> trades = StoredTicks.storedTrades(c);
                Set<String> stored = new HashSet<>(trades);
                assertThat(stored).as("no duplicate trade rows").hasSize(trades.size());
                Set<String> missing = new TreeSet<>(sent.trades());
                missing.removeAll(stored);
                assertThat(missing).as("trades sent but not stored (%d of %d)", missing.size(), sent.trades().size())
                        .isEmpty();
                Set<String> extra = new TreeSet<>(stored);
                extra.removeAll(sent.trades());
                Set<String> notMarket = new TreeSet<>(extra);
                notMarket.removeAll(marketTrades);
                assertThat(notMarket).as("stored trades the market never made").isEmpty();
                assertThat(extra).as("trades made while nobody listened, stored by the restart backfill").isNotEmpty();
                List<String> quotes = StoredTicks.storedQuotes(c);
                Set<String> storedQuotes = new HashSet<>(quotes);
                assertThat(storedQuotes).as("no duplicate quote rows").hasSize(quotes.size());
                Set<String> missingQuotes = new TreeSet<>(sent.quotes());
                missingQuotes.removeAll(storedQuotes);
                assertThat(missingQuotes).as("quotes sent but not stored (%d of %d)", missingQuotes.size(),
                        sent.quotes().size()).isEmpty();
                Set<String> extraQuotes = new TreeSet<>(storedQuotes);
                extraQuotes.removeAll(sent.quotes());
                Set<String> notMarketQuotes = new TreeSet<>(extraQuotes);
                notMarketQuotes.removeAll(marketQuotes);
                assertThat(notMarketQuotes).as("stored quotes the market never made").isEmpty();
                assertThat(extraQuotes).as("quotes made while nobody listened, stored by the restart backfill")
                        .isNotEmpty();
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM gap_ledger WHERE backfilled_at IS NOT NULL")) {
                    r.next();
                    assertThat(r.getLong(1)).as("the restart backfill is in the gap ledger").isPositive();
                }
                assertThat(killedAtNs).isPositive();
            }
        }
    }

    private static long backfilledGaps(TestDatabase db) throws java.sql.SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM gap_ledger WHERE backfilled_at IS NOT NULL")) {
            r.next();
            return r.getLong(1);
        }
    }
}
