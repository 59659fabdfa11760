package com.systemtrader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.storage.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code system-trader backfill} on demand, against the simulator's REST API and a real database. */
class BackfillCommandTest {
    @TempDir Path dir;

    @Test void backfillsARangeOfTradesIntoTheDatabaseOnceAndRecordsTheOutcome() throws Exception {
        CliTestSupport.assumeNoCredentialsInEnvironment();
        try (TestDatabase db = TestDatabase.create(); ExchangeSimulator sim = simulator()) {
            Instant from = Instant.ofEpochMilli(System.currentTimeMillis());
            // the range: from now until each symbol has more than 60 trades in it (and late prints have settled)
            await().atMost(Duration.ofSeconds(60)).until(() -> List.of("AAPL", "MSFT").stream().allMatch(s ->
                    sim.history().trades(s, from.toEpochMilli() * 1_000_000L,
                            (System.currentTimeMillis() - 500) * 1_000_000L, Integer.MAX_VALUE).size() > 60));
            Instant to = Instant.ofEpochMilli(System.currentTimeMillis() - 500);
            Path config = dir.resolve("collector_config.yaml");
            Files.writeString(config, "polygon:\n  rest:\n    url: " + sim.restBaseUrl() + "\n"
                    + "storage:\n  url: " + db.url + "\n  user: postgres\n");
            Path creds = CliTestSupport.credentials(dir, "creds.yaml", CliTestSupport.POLYGON_KEY, null, null);
            String[] args = {"--symbol", "AAPL,msft", "--from", from.toString(), "--to", to.toString(),
                    "--config", config.toString(), "--credentials", creds.toString()};

            Run first = run(args);
            assertThat(first.code).as(first.out + first.err).isZero();
            assertThat(first.out).contains("AAPL").contains("MSFT").contains("outcome: filled");
            Set<String> market = new HashSet<>();
            for (String s : List.of("AAPL", "MSFT")) {
                for (Trade t : sim.history().trades(s, from.toEpochMilli() * 1_000_000L, to.toEpochMilli() * 1_000_000L,
                        Integer.MAX_VALUE)) {
                    market.add(s + "/" + t.exchange() + "/" + (Absent.isAbsent(t.trfId()) ? -1 : t.trfId()) + "/"
                            + t.tradeId());
                }
            }
            assertThat(market).hasSizeGreaterThan(100);
            assertThat(stored(db)).containsExactlyInAnyOrderElementsOf(market);
            assertThat(first.out).contains("0 already stored, " + market.size() + " new, ");

            Run second = run(args);
            assertThat(second.code).isZero();
            assertThat(second.out).contains("outcome: filled").contains(market.size() + " already stored, 0 new, ");
            assertThat(stored(db)).hasSize(market.size());
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM gap_ledger WHERE feed = 'manual' "
                         + "AND backfilled_at IS NOT NULL")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test void rejectsAnInvertedRange() {
        Run r = run("--symbol", "AAPL", "--from", "2026-11-24T15:00:00Z", "--to", "2026-11-24T14:00:00Z");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--to must be after --from");
    }

    /** Late prints at most 300 ms back, so that none lands in the range after the command fetched it. */
    private static ExchangeSimulator simulator() {
        return ExchangeSimulator.start(SimulatorConfig.builder(MarketConfig.defaults(42, List.of("AAPL", "MSFT"))
                .withBarIntervalMs(1_000).withHalts(0).withMaxLateMs(300)).rate(1_500)
                .polygonKeys(Set.of(CliTestSupport.POLYGON_KEY)).build());
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BackfillCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> stored(TestDatabase db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, exchange, trf_id, trade_id FROM websocket_data "
                     + "WHERE data_type = 'trade'")) {
            while (r.next()) {
                int trf = r.getInt(3);
                if (r.wasNull()) trf = -1;
                out.add(r.getString(1) + "/" + r.getInt(2) + "/" + trf + "/" + r.getString(4));
            }
        }
        return out;
    }
}
