package com.systemtrader.storage;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TimescaleDB migrations checked as text (no TimescaleDB server here; {@link TimescaleLiveTest} runs them on one
 * when SYSTEM_TRADER_TIMESCALEDB_URL is set).
 */
class TimescaleSqlTest {
    private static final List<Migration> TS = Migration.load(StorageMode.TIMESCALEDB);
    private static final List<Migration> PG = Migration.load(StorageMode.POSTGRESQL);
    private static final Map<String, String> VALUES = StorageConfig.defaults().placeholders(StorageMode.TIMESCALEDB);

    @Test
    void migrationsAreOrderedWithTheCaggsOutsideATransaction() {
        assertThat(TS).extracting(Migration::script).containsExactly("V1__tables.sql", "V2__continuous_aggregates.sql",
                "V3__maintenance.sql", "V4__quarantine_element.sql", "V5__trade_id_index.sql", "V6__gap_ledger_symbols_key.sql", "R__policies.sql", "R__settings.sql");
        assertThat(TS).filteredOn(m -> !m.transactional()).extracting(Migration::script)
                .containsExactly("V2__continuous_aggregates.sql");
        assertThat(PG).allMatch(Migration::transactional);
    }

    @Test
    void noMigrationCreatesTheExtension() {
        Stream.concat(TS.stream(), PG.stream()).forEach(m ->
                assertThat(m.sql().toUpperCase()).as(m.script()).doesNotContain("CREATE EXTENSION"));
    }

    @Test
    void hypertablesWithTickSizedChunksNoDefaultIndexesAndColumnstoreBySymbol() {
        String v1 = SqlScript.fill(sql("V1__tables.sql"), VALUES, "V1");
        assertThat(v1).contains("create_hypertable('websocket_data', by_range('time', INTERVAL '3600 seconds'),"
                + "\n                                create_default_indexes => false, if_not_exists => true)");
        assertThat(v1).contains("create_hypertable('market_data', by_range('time', INTERVAL '604800 seconds')");
        assertThat(v1).contains("timescaledb.enable_columnstore = true, timescaledb.segmentby = 'symbol, data_type'",
                "timescaledb.compress_segmentby = 'symbol, data_type'",
                "timescaledb.segmentby = 'symbol, timeframe'");
        assertThat(v1).contains("CONSTRAINT websocket_data_uq UNIQUE (symbol, data_type, time, source, event_id)");
        assertThat(v1).doesNotContain("PARTITION BY");
    }

    @Test
    void continuousAggregatesAreHierarchicalRealTimeAndCreatedWithNoData() {
        Migration caggs = TS.get(1);
        assertThat(caggs.sql()).startsWith(Migration.NO_TRANSACTION);
        List<String> statements = SqlScript.split(caggs.sql());
        assertThat(statements).hasSize(5).allSatisfy(s -> {
            assertThat(s).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS ohlcv_");
            assertThat(s).contains("WITH (timescaledb.continuous, timescaledb.materialized_only = false)");
            assertThat(s).endsWith("WITH NO DATA");
        });
        assertThat(statements.get(0)).contains("FROM websocket_data",
                "WHERE data_type = 'trade' AND status IN (0, 1) AND flags & 256 = 0 AND eligibility & 28 <> 0",
                "first(price, time) FILTER (WHERE eligibility & 8 <> 0) AS open",
                "max(price) FILTER (WHERE eligibility & 16 <> 0) AS high");
        String[][] chain = {{"ohlcv_5m", "ohlcv_1m", "5 minutes"}, {"ohlcv_15m", "ohlcv_5m", "15 minutes"},
                {"ohlcv_1h", "ohlcv_15m", "1 hour"}, {"ohlcv_1d", "ohlcv_1h", "1 day"}};
        for (int i = 0; i < chain.length; i++) {
            assertThat(statements.get(i + 1)).contains("EXISTS " + chain[i][0] + "\n", "FROM " + chain[i][1] + "\n",
                    "time_bucket(INTERVAL '" + chain[i][2] + "', bucket)");
        }
        assertThat(statements).noneMatch(s -> s.contains("refresh_continuous_aggregate") || s.contains("WITH DATA"));
    }

    @Test
    void policiesComeFromTheConfiguration() {
        StorageConfig c = new StorageConfig("jdbc:postgresql://h/d", "u", "auto", true, java.time.Duration.ofHours(6),
                java.time.Duration.ofDays(1), java.time.Duration.ofHours(4), java.time.Duration.ofDays(2), 14, 400, 90, 7);
        String p = SqlScript.fill(sql("R__policies.sql"), c.placeholders(StorageMode.TIMESCALEDB), "R");
        assertThat(p).contains("CALL add_columnstore_policy('websocket_data', after => INTERVAL '14400 seconds')",
                "add_compression_policy('websocket_data', compress_after => INTERVAL '14400 seconds')",
                "add_retention_policy('websocket_data', drop_after => INTERVAL '14 days')",
                "add_retention_policy('market_data', drop_after => INTERVAL '400 days')",
                "IF 90 > 0 THEN", "set_chunk_time_interval('websocket_data', INTERVAL '21600 seconds')");
        for (String v : List.of("ohlcv_1m", "ohlcv_5m", "ohlcv_15m", "ohlcv_1h", "ohlcv_1d")) {
            assertThat(p).contains("add_continuous_aggregate_policy('" + v + "', start_offset");
        }
        assertThat(SqlScript.split(p)).hasSize(5);
    }

    @Test
    void everyPlaceholderIsKnown() {
        Stream.concat(TS.stream(), PG.stream()).forEach(m ->
                assertThat(SqlScript.fill(m.sql(), VALUES, m.script())).as(m.script()).doesNotContain("${"));
    }

    @Test
    void bothModesDefineTheSameTablesAndColumns() {
        assertThat(tables(SqlScript.fill(sql("V1__tables.sql"), VALUES, "ts")))
                .isEqualTo(tables(Migration.resource("db/postgresql/V2__tables.sql")));
        String rollups = Migration.resource("db/postgresql/V4__rollups.sql");
        String caggs = sql("V2__continuous_aggregates.sql");
        for (String column : List.of("AS bucket", "AS open", "AS high", "AS low", "AS close", "AS volume",
                "AS notional", "AS vwap", "AS trade_count")) {
            assertThat(rollups).contains(column);
            assertThat(caggs).contains(column);
        }
    }

    /** Every CREATE TABLE body with its whitespace normalised, in order. */
    private static List<String> tables(String sql) {
        Matcher m = Pattern.compile("CREATE (?:UNLOGGED )?TABLE (\\w+) \\((.*?)\\n\\)", Pattern.DOTALL).matcher(sql);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1) + ":" + m.group(2).replaceAll("\\s+", " "));
        assertThat(out).hasSize(4);
        return out;
    }

    private static String sql(String script) {
        return TS.stream().filter(m -> m.script().equals(script)).findFirst().orElseThrow().sql();
    }
}
