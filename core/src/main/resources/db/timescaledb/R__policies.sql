-- Compression, retention and refresh policies from the storage configuration. Re-run by the migration runner
-- whenever the configured values change (its checksum is taken after the placeholders are filled in).
-- TimescaleDB 2.13+ (by_range), 2.7+ for FILTER clauses in continuous aggregates; the columnstore names from 2.18,
-- the compression names before. A retention of 0 days keeps data forever. Every cagg refresh window (start_offset) stays shorter than the
-- retention of the table below it, so a refresh never runs over already-dropped data (storage.md 1.6).
-- TimescaleDB's background jobs fail on some PostgreSQL minors (storage.md 1.9): the application's maintenance
-- scheduler watches timescaledb_information.job_stats and runs the same work itself when they do.
DO $$
DECLARE
  columnstore boolean := (SELECT (regexp_match(extversion, '^(\d+)\.(\d+)'))[1:2]::int[] >= ARRAY[2, 18]
                            FROM pg_extension WHERE extname = 'timescaledb');
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['websocket_data', 'market_data'] LOOP
    IF columnstore THEN
      CALL remove_columnstore_policy(t::regclass, if_exists => true);
    ELSE
      PERFORM remove_compression_policy(t::regclass, if_exists => true);
    END IF;
  END LOOP;
  IF columnstore THEN
    CALL add_columnstore_policy('websocket_data', after => INTERVAL '${tick_compress_after}');
    CALL add_columnstore_policy('market_data', after => INTERVAL '${bar_compress_after}');
  ELSE
    PERFORM add_compression_policy('websocket_data', compress_after => INTERVAL '${tick_compress_after}');
    PERFORM add_compression_policy('market_data', compress_after => INTERVAL '${bar_compress_after}');
  END IF;
END $$;

DO $$
BEGIN
  PERFORM remove_retention_policy('websocket_data', if_exists => true);
  PERFORM remove_retention_policy('market_data', if_exists => true);
  IF ${tick_retention_days} > 0 THEN
    PERFORM add_retention_policy('websocket_data', drop_after => INTERVAL '${tick_retention_days} days');
  END IF;
  IF ${bar_retention_days} > 0 THEN
    PERFORM add_retention_policy('market_data', drop_after => INTERVAL '${bar_retention_days} days');
  END IF;
END $$;

DO $$
DECLARE v text;
BEGIN
  FOREACH v IN ARRAY ARRAY['ohlcv_1m', 'ohlcv_5m', 'ohlcv_15m', 'ohlcv_1h', 'ohlcv_1d'] LOOP
    PERFORM remove_continuous_aggregate_policy(v::regclass, if_exists => true);
    PERFORM remove_retention_policy(v::regclass, if_exists => true);
    IF ${rollup_retention_days} > 0 THEN
      PERFORM add_retention_policy(v::regclass, drop_after => INTERVAL '${rollup_retention_days} days');
    END IF;
  END LOOP;
  -- window >= 2 buckets each (smaller gives "policy refresh window too small")
  PERFORM add_continuous_aggregate_policy('ohlcv_1m', start_offset => INTERVAL '2 hours', end_offset => INTERVAL '1 minute',
                                          schedule_interval => INTERVAL '1 minute');
  PERFORM add_continuous_aggregate_policy('ohlcv_5m', start_offset => INTERVAL '6 hours', end_offset => INTERVAL '5 minutes',
                                          schedule_interval => INTERVAL '5 minutes');
  PERFORM add_continuous_aggregate_policy('ohlcv_15m', start_offset => INTERVAL '1 day', end_offset => INTERVAL '15 minutes',
                                          schedule_interval => INTERVAL '15 minutes');
  PERFORM add_continuous_aggregate_policy('ohlcv_1h', start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour',
                                          schedule_interval => INTERVAL '15 minutes');
  PERFORM add_continuous_aggregate_policy('ohlcv_1d', start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 day',
                                          schedule_interval => INTERVAL '1 hour');
END $$;

-- Chunk intervals from the configuration (new chunks only; V1 used the values configured at the time).
SELECT set_chunk_time_interval('websocket_data', INTERVAL '${tick_chunk_interval}');
SELECT set_chunk_time_interval('market_data', INTERVAL '${bar_chunk_interval}');
