package com.systemtrader.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.cache.RedisTestServer;
import com.systemtrader.storage.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-service} end to end, short and slow: the simulator and {@code run} as child JVMs of this build (both
 * feeds, Redis, a fresh PostgreSQL database), 15 s at 2,000 msg/s; every trade and quote the simulator sent is stored
 * exactly once. Then the comparison is shown able to fail: rows deleted from {@code websocket_data} are reported
 * missing (and named), rows copied under the same identity are reported as duplicates.
 */
class ServiceBenchTest {
    @TempDir Path dir;

    @Test void everySentEventIsStoredOnceAndTheComparisonSeesLossAndDuplicates() throws Exception {
        String server;
        try (TestDatabase probe = TestDatabase.create()) { // the server the tests use (local, or embedded)
            server = probe.url.substring(0, probe.url.lastIndexOf('/') + 1);
        }
        try (RedisTestServer redis = RedisTestServer.start()) {
            ServiceBench bench = new ServiceBench(new ServiceBench.Options(0, 15, List.of("AAPL", "MSFT"), server,
                    "postgres", "redis://127.0.0.1:" + redis.port, redis.prefix, dir, true, true, 4_096, true,
                    ProcessHandle.current().info().command().orElse("java"), System.getProperty("java.class.path"),
                    List.of("-Xmx512m"), Duration.ofSeconds(120), System.out));
            ServiceBench.RunResult r = bench.run(2_000);
            try {
                assertThat(r.error()).as("run error").isNull();
                assertThat(r.drained()).as("service drained after the data stopped").isTrue();
                assertThat(r.serviceExit()).as("run exit code after SIGTERM").isZero();
                TruthComparison.Result c = r.comparison();
                for (String provider : List.of("polygon", "alpaca")) {
                    for (String type : List.of("trade", "quote")) {
                        TruthComparison.Group g = c.group(provider, type);
                        assertThat(g.expected()).as("%s sent", g.name()).isGreaterThan(1_000);
                        assertThat(g.stored()).as("%s stored", g.name()).isEqualTo(g.expected());
                    }
                }
                assertThat(c.missing()).as("missing").isZero();
                assertThat(c.duplicates()).as("duplicates").isZero();
                assertThat(c.extras()).as("stored but never sent").isZero();
                assertThat(r.lossFree()).isTrue();
                assertThat(r.lossCounters().get("storage_writer_lost_events_total")).isZero();
                assertThat(r.eventsReceived()).isGreaterThanOrEqualTo(c.expected());
                assertThat(r.serviceCpuUsPerEvent()).isPositive();
                assertThat(r.servicePeakRssBytes()).isPositive();

                try (Connection db = DriverManager.getConnection(server + r.database(), "postgres", "")) {
                    List<String> deleted = deleteTrades(db, 3);
                    duplicateQuotes(db, 2);
                    TruthComparison.Result after = TruthComparison.compare(r.truthFile(), db);
                    TruthComparison.Group trades = after.group("polygon", "trade");
                    assertThat(trades.missing()).as("deleted trades reported missing").isEqualTo(3);
                    assertThat(trades.missingSamples()).hasSize(3).allSatisfy(sample ->
                            assertThat(deleted).anySatisfy(id -> assertThat(sample).startsWith(id)));
                    assertThat(after.group("alpaca", "quote").duplicates()).as("copied quotes").isEqualTo(2);
                    assertThat(after.missing()).isEqualTo(3);
                    assertThat(after.duplicates()).isEqualTo(2);
                    assertThat(after.extras()).isZero();
                }
            } finally {
                try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", "");
                     Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + r.database() + " WITH (FORCE)");
                }
            }
        }
    }

    /** Deletes {@code n} Polygon trades; returns their "symbol event_id". */
    private static List<String> deleteTrades(Connection db, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT symbol, event_id FROM"
                + " websocket_data WHERE source = 'polygon' AND data_type = 'trade' ORDER BY time LIMIT " + n);
             PreparedStatement del = db.prepareStatement("DELETE FROM websocket_data WHERE source = 'polygon' AND"
                     + " data_type = 'trade' AND symbol = ? AND event_id = ?")) {
            while (r.next()) {
                ids.add(r.getString(1) + " " + r.getString(2));
                del.setString(1, r.getString(1));
                del.setString(2, r.getString(2));
                assertThat(del.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(ids).hasSize(n);
        return ids;
    }

    /** Copies {@code n} Alpaca quotes one microsecond later: the same identity twice. */
    private static void duplicateQuotes(Connection db, int n) throws Exception {
        String columns = "event_ns, symbol, data_type, source, event_id, received_at, trade_id, exchange, tape,"
                + " sequence, trf_id, trf_time, price, size, bid_exchange, bid_price, bid_size, ask_exchange,"
                + " ask_price, ask_size, conditions, indicators, eligibility, flags";
        try (Statement s = db.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO websocket_data (time, " + columns + ") SELECT time"
                    + " + interval '1 microsecond', " + columns + " FROM websocket_data WHERE source = 'alpaca' AND"
                    + " data_type = 'quote' ORDER BY time LIMIT " + n)).isEqualTo(n);
        }
    }
}
