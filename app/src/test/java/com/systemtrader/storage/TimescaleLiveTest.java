package com.systemtrader.storage;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TimescaleDB migrations on a real server, when SYSTEM_TRADER_TIMESCALEDB_URL is set
 * ({@link TimescaleTestDatabase}).
 */
class TimescaleLiveTest {

    @Test
    void migratesHypertablesCaggsAndPoliciesAndRefreshesOutsideATransaction() throws SQLException {
        try (TimescaleTestDatabase server = TimescaleTestDatabase.create("the TimescaleDB DDL is still checked as "
                + "text by TimescaleSqlTest")) {
            Database db = server.db;
            MigrationRunner.Result r = MigrationRunner.migrate(db);
            assertThat(r.mode()).isEqualTo(StorageMode.TIMESCALEDB);
            assertThat(MigrationRunner.migrate(db).applied()).isEmpty();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertThat(strings(s, "SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1"))
                        .containsExactly("market_data", "websocket_data");
                assertThat(strings(s, "SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1"))
                        .containsExactlyInAnyOrder("ohlcv_15m", "ohlcv_1d", "ohlcv_1h", "ohlcv_1m", "ohlcv_5m");
                s.execute("""
                        INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at,
                                                    price, size, eligibility, flags, status) VALUES
                        ('2026-01-05 15:00:10+00', 1, 'RLUP', 'trade', 'polygon', '4::1', now(), 10.0, 100, 31, 31, 0),
                        ('2026-01-05 15:00:20+00', 2, 'RLUP', 'trade', 'polygon', '4::2', now(), 50.0, 10, 4, 4, 0),
                        ('2026-01-05 15:00:30+00', 3, 'RLUP', 'trade', 'polygon', '4::3', now(), 99.0, 100, 31, 31, 2),
                        ('2026-01-05 15:00:40+00', 4, 'RLUP', 'trade', 'polygon', '4::4', now(), 1.0, 100, 31, 287, 0),
                        ('2026-01-05 15:00:50+00', 5, 'RLUP', 'trade', 'polygon', '4::5', now(), 12.0, 200, 31, 31, 0),
                        ('2026-01-05 15:01:05+00', 6, 'RLUP', 'trade', 'polygon', '4::6', now(), 11.0, 100, 31, 31, 0)
                        ON CONFLICT DO NOTHING""");
                s.execute("CALL refresh_continuous_aggregate('ohlcv_1m', '2026-01-05 14:00+00', '2026-01-05 16:00+00')");
                assertThat(strings(s, "SELECT open || ' ' || high || ' ' || low || ' ' || close || ' ' || volume || ' '"
                        + " || trade_count FROM ohlcv_1m WHERE symbol = 'RLUP' ORDER BY bucket"))
                        .containsExactly("10 12 10 12 310 3", "11 11 11 11 100 1");
                assertThat(strings(s, "SELECT count(*) FROM timescaledb_information.jobs WHERE job_id >= 1000"))
                        .as("2 columnstore, 1 tick retention (30 days), 5 cagg refresh; bars and roll-ups kept")
                        .containsExactly("8");
            }
            assertThat(StorageStatus.read(db).render()).contains("mode:        timescaledb", "chunks (");
        }
    }

    private static List<String> strings(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) out.add(r.getString(1));
        }
        return out;
    }
}
