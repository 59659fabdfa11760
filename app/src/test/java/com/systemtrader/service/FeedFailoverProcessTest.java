package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.bus.KafkaTestBroker;
import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Files;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feed ownership across collector processes ({@code bus.feed_lease}): two {@code run --role collector} processes
 * for the same Polygon feed and key, one {@code run --role store}, a real KRaft broker, PostgreSQL and Redis. The
 * first takes the feed's lease and streams; the second waits as a standby. The owner is SIGKILLed mid-stream: the
 * standby takes the lease within the lease's bound (ttl plus a quarter of it, plus the time to notice here), streams,
 * records the hand-over in the {@code gap_ledger} and backfills it from REST. Afterwards the stored trades of the
 * hand-over window equal the simulator's, every trade sent on either connection is stored once, and every stored
 * trade is one the market made.
 */
class FeedFailoverProcessTest {
    private static final int LEASE_SECONDS = 3;
    /** The lease's own bound (ttl + ttl/4 between a standby's tries) and room for this test's polling on 2 busy cores. */
    private static final Duration TAKEOVER_BOUND = Duration.ofMillis(LEASE_SECONDS * 1_250L).plusSeconds(10);
    /**
     * Late reports (sold out of sequence) come at most this far behind the market clock. A backfill cannot fetch a
     * late report published after it ran; the market goes on until its clock is past the last window's end by this
     * bound and then stops sending while it still trades, so every late report of a window is published while the
     * new owner streams (a stall right after the backfill left one unsent and unfetched).
     */
    private static final long MAX_LATE_MS = 1_000;
    @TempDir Path dir;

    @Test void theStandbyTakesOverAKilledOwnersFeedAndTheHandOverIsBackfilled() throws Exception {
        Path truth = dir.resolve("truth.jsonl");
        List<String> symbols = List.of("AAPL", "MSFT", "TSLA");
        try (KafkaTestBroker broker = new KafkaTestBroker(dir.resolve("kafka")).start();
             TestDatabase db = TestDatabase.migrated(); RedisTestServer redis = RedisTestServer.start();
             ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                     MarketConfig.defaults(23, symbols).withBarIntervalMs(1_000).withHalts(0)
                             .withMaxLateMs(MAX_LATE_MS)).rate(2_000)
                     .truthFile(truth).build())) {
            try (RoleProcesses roles = new RoleProcesses(dir, sim, db, redis, broker, "failover", symbols,
                    "feed_lease: true\nlease_seconds: " + LEASE_SECONDS)) {
                roles.start("store", "store");
                roles.start("collector-a", "collector");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "OWNER".equals(lease(roles, "collector-a")));
                roles.start("collector-b", "collector");
                RunProcess.awaitReady(roles.port("collector-a"), Duration.ofSeconds(60));
                assertThat(lease(roles, "collector-b")).as("the second collector waits").isEqualTo("STANDBY");
                RunProcess.awaitReady(roles.port("collector-b"), Duration.ofSeconds(60)); // a standby is ready
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> RoleProcesses.rows(db) >= 3_000);

                roles.process("collector-a").destroyForcibly(); // SIGKILL: no drain, the lease is not released
                long killedAt = System.nanoTime();
                assertThat(roles.process("collector-a").waitFor(30, TimeUnit.SECONDS)).isTrue();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "OWNER".equals(lease(roles, "collector-b")));
                long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.println("feed failover: the standby owned the lease " + takeoverMillis
                        + " ms after the owner was killed (lease " + LEASE_SECONDS + " s)");
                assertThat(Duration.ofMillis(takeoverMillis)).as("take-over time").isLessThanOrEqualTo(TAKEOVER_BOUND);
                RunProcess.awaitReady(roles.port("collector-b"), Duration.ofSeconds(60));
                // the new owner streams (6,000 more messages) and its hand-over backfill is done
                long sentAtTakeover = sim.stats().dataMessages.sum();
                try {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(() ->
                            sim.stats().dataMessages.sum() >= sentAtTakeover + 6_000
                                    && handOvers(db).size() == symbols.size());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no hand-over backfill: sent " + (sim.stats().dataMessages.sum()
                            - sentAtTakeover) + " since the take-over; gap_ledger " + ledger(db) + "; standby's health "
                            + roles.health("collector-b"), e);
                }
                // every late report of the windows is published (and so sent to the new owner) before the stall:
                // the market thread has stepped past the last window's end plus the lateness bound
                long published = handOvers(db).stream().mapToLong(Window::endNs).max().orElseThrow()
                        + (MAX_LATE_MS + 100) * 1_000_000L;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> symbols.stream()
                        .anyMatch(s -> !sim.history().trades(s, published, Long.MAX_VALUE, 1).isEmpty()));
                sim.faults().stall(Duration.ofMinutes(10));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    sim.flushTruth();
                    StoredTicks.Truth sent = StoredTicks.Truth.read(truth);
                    return storedSent(db, sent) == sent.trades().size();
                });
                for (String name : List.of("collector-b", "store")) {
                    Process p = roles.process(name);
                    p.destroy(); // SIGTERM: drain
                    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(name + " stops").isTrue();
                    assertThat(p.exitValue()).as(name + ": " + Files.readString(roles.log(name))).isZero();
                }
            }
            sim.flushTruth();
            StoredTicks.Truth sent = StoredTicks.Truth.read(truth);
            Set<String> market = StoredTicks.marketTrades(sim.history(), symbols);
            try (Connection c = db.connect()) {
                List<String> trades = StoredTicks.storedTrades(c);
                Set<String> stored = new HashSet<>(trades);
                assertThat(stored).as("no duplicate trade rows").hasSize(trades.size());
                Set<String> missing = new TreeSet<>(sent.trades());
                missing.removeAll(stored);
                assertThat(missing).as("trades sent but not stored (%d of %d)", missing.size(), sent.trades().size())
                        .isEmpty();
                Set<String> notMarket = new TreeSet<>(stored);
                notMarket.removeAll(market);
                assertThat(notMarket).as("stored trades the market never made").isEmpty();
                List<Window> windows = handOvers(db);
                assertThat(windows).as("one hand-over row per symbol in the gap ledger").hasSize(symbols.size());
                for (Window w : windows) {
                    assertThat(w.cause()).contains("hand-over", "token");
                    Set<String> fromMarket = new TreeSet<>();
                    for (Trade t : sim.history().trades(w.symbol(), w.startNs() - 1_000_000, w.endNs() + 1_000_000,
                            Integer.MAX_VALUE)) {
                        // the feed (and so every stored row) carries Polygon's millisecond times
                        long onWire = t.eventTimeNs() / 1_000_000 * 1_000_000;
                        if (onWire >= w.startNs() && onWire < w.endNs()) fromMarket.add(StoredTicks.tradeId(t));
                    }
                    Set<String> inWindow = new TreeSet<>(StoredTicks.storedTrades(c, w.symbol(), w.startNs(), w.endNs()));
                    Set<String> notStored = new TreeSet<>(fromMarket);
                    notStored.removeAll(inWindow);
                    Set<String> notMade = new TreeSet<>(inWindow);
                    notMade.removeAll(fromMarket);
                    assertThat(notStored).as("%s's hand-over window: market trades not stored (of %d)", w.symbol(),
                            fromMarket.size()).isEmpty();
                    assertThat(notMade).as("%s's hand-over window: stored trades the market did not make in it",
                            w.symbol()).isEmpty();
                    assertThat(fromMarket).as("the window of %s holds trades", w.symbol()).isNotEmpty();
                }
            }
        }
    }

    /** A hand-over row of the gap ledger. */
    private record Window(String symbol, long startNs, long endNs, String cause) {}

    private static List<Window> handOvers(TestDatabase db) throws SQLException {
        List<Window> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT symbols[1], start_ns, end_ns, cause FROM gap_ledger WHERE cause LIKE 'hand-over%' "
                        + "AND backfilled_at IS NOT NULL ORDER BY 1")) {
            while (r.next()) out.add(new Window(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4)));
        }
        return out;
    }

    /** How many of the trades sent are stored. */
    private static long storedSent(TestDatabase db, StoredTicks.Truth sent) throws SQLException {
        try (Connection c = db.connect()) {
            Set<String> stored = new HashSet<>(StoredTicks.storedTrades(c));
            stored.retainAll(sent.trades());
            return stored.size();
        }
    }

    private static List<String> ledger(TestDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT symbols, start_ns, end_ns, cause, backfilled_at, backfill_note FROM gap_ledger")) {
            while (r.next()) {
                out.add(r.getString(1) + " " + r.getLong(2) + ".." + r.getLong(3) + " " + r.getString(4) + " "
                        + r.getString(5) + " " + r.getString(6));
            }
        }
        return out;
    }

    private static String lease(RoleProcesses roles, String name) throws Exception {
        return roles.bus(name).path("leases").path("polygon/stocks").path("state").asText();
    }
}
