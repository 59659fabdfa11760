package com.systemtrader.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.storage.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code sql} example of docs/SQL.md runs on a migrated database (plain-PostgreSQL mode) holding trades, quotes
 * and the provider's minute bars of the last minutes: without an error, and the reading examples with rows.
 */
class SqlDocExamplesTest {
    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
    private static TestDatabase db;

    @BeforeAll static void data() throws SQLException {
        db = TestDatabase.migrated();
        db.exec("SELECT ensure_partitions_for('websocket_data', now() - interval '1 day')");
        db.exec("SELECT ensure_partitions_for('market_data', now() - interval '1 day')");
        // two symbols' trades (one a second) and quotes over the last ten minutes, and the provider's minute bars
        db.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at, price,"
                + " size, eligibility, sequence) SELECT t, (extract(epoch FROM t) * 1e9)::bigint, s, 'trade', 'polygon',"
                + " '4::' || g, t, 100 + g % 13, 10 + g % 7, 28, g FROM generate_series(1, 600) g,"
                + " unnest(ARRAY['AAPL', 'MSFT']) s, LATERAL (SELECT now() - interval '10 minutes' + g * interval '1 second' AS t) x");
        db.exec("INSERT INTO websocket_data (time, event_ns, symbol, data_type, source, event_id, received_at,"
                + " bid_price, bid_size, ask_price, ask_size) SELECT t, (extract(epoch FROM t) * 1e9)::bigint, 'AAPL',"
                + " 'quote', 'polygon', 'q' || g, t, 100, 2, 100.02, 3 FROM generate_series(1, 300) g,"
                + " LATERAL (SELECT now() - interval '10 minutes' + g * interval '2 seconds' AS t) x");
        db.exec("INSERT INTO market_data (time, end_time, symbol, timeframe, source, origin, open, high, low, close,"
                + " volume, received_at) SELECT m, m + interval '1 minute', 'AAPL', '1m', 'polygon', 'polygon', 100, 112,"
                + " 100, 106, 500, m + interval '1 minute' FROM generate_series(date_trunc('minute', now())"
                + " - interval '9 minutes', date_trunc('minute', now()) - interval '1 minute', interval '1 minute') m");
    }

    @AfterAll static void drop() {
        if (db != null) db.close();
    }

    @Test void everySqlExampleRuns() throws Exception {
        Matcher m = SQL_BLOCK.matcher(Files.readString(Path.of("docs/SQL.md")));
        Map<String, Integer> rows = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (m.find()) {
                String sql = m.group(1).strip();
                try {
                    if (s.execute(sql)) {
                        int n = 0;
                        try (ResultSet r = s.getResultSet()) {
                            while (r.next()) n++;
                        }
                        rows.put(sql, n);
                    } else {
                        rows.put(sql, -1);   // a CALL
                    }
                } catch (SQLException e) {
                    failed.add(sql + "\n  -> " + e.getMessage());
                }
            }
        }
        assertThat(failed).as("examples that fail").isEmpty();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(9);
        // the reading examples of trades, quotes, built bars and both origins side by side find the data
        List<Integer> counts = new ArrayList<>(rows.values());
        assertThat(counts.subList(0, 6)).as("rows of the first six examples").allMatch(n -> n > 0);
    }
}
