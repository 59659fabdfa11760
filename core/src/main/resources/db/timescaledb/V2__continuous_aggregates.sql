-- st:no-transaction
-- Hierarchical real-time continuous aggregates 1m -> 5m -> 15m -> 1h -> 1d over eligible trades (storage.md 1.7).
-- Run outside a transaction, one statement at a time (the runner does so for files marked st:no-transaction):
-- CREATE MATERIALIZED VIEW ... WITH DATA and refresh_continuous_aggregate fail inside a transaction block. The views
-- are created WITH NO DATA; the refresh policies (R__policies.sql) and the maintenance scheduler fill them.
-- Columns and the eligibility rule are the same as db/postgresql/V4__rollups.sql: trades not cancelled or busted
-- (status 0, 1) and not suspicious (flags bit 8); open/close from eligibility bit 8, high/low from bit 16, volume,
-- notional, VWAP and trade count from bit 4. materialized_only = false: real-time (materialized + raw tail).

CREATE MATERIALIZED VIEW IF NOT EXISTS ohlcv_1m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 minute', time) AS bucket, source, symbol,
       first(price, time) FILTER (WHERE eligibility & 8 <> 0) AS open,
       max(price) FILTER (WHERE eligibility & 16 <> 0) AS high,
       min(price) FILTER (WHERE eligibility & 16 <> 0) AS low,
       last(price, time) FILTER (WHERE eligibility & 8 <> 0) AS close,
       COALESCE(sum(size) FILTER (WHERE eligibility & 4 <> 0), 0)::bigint AS volume,
       sum(price * size) FILTER (WHERE eligibility & 4 <> 0) AS notional,
       (sum(price * size) FILTER (WHERE eligibility & 4 <> 0) / NULLIF(sum(size) FILTER (WHERE eligibility & 4 <> 0), 0))::float8 AS vwap,
       count(*) FILTER (WHERE eligibility & 4 <> 0) AS trade_count
FROM websocket_data
WHERE data_type = 'trade' AND status IN (0, 1) AND flags & 256 = 0 AND eligibility & 28 <> 0
GROUP BY 1, source, symbol
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS ohlcv_5m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', bucket) AS bucket, source, symbol,
       first(open, bucket) FILTER (WHERE open IS NOT NULL) AS open,
       max(high) AS high,
       min(low) AS low,
       last(close, bucket) FILTER (WHERE close IS NOT NULL) AS close,
       sum(volume)::bigint AS volume,
       sum(notional) AS notional,
       (sum(notional) / NULLIF(sum(volume), 0))::float8 AS vwap,
       sum(trade_count)::bigint AS trade_count
FROM ohlcv_1m
GROUP BY 1, source, symbol
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS ohlcv_15m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '15 minutes', bucket) AS bucket, source, symbol,
       first(open, bucket) FILTER (WHERE open IS NOT NULL) AS open,
       max(high) AS high,
       min(low) AS low,
       last(close, bucket) FILTER (WHERE close IS NOT NULL) AS close,
       sum(volume)::bigint AS volume,
       sum(notional) AS notional,
       (sum(notional) / NULLIF(sum(volume), 0))::float8 AS vwap,
       sum(trade_count)::bigint AS trade_count
FROM ohlcv_5m
GROUP BY 1, source, symbol
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS ohlcv_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, source, symbol,
       first(open, bucket) FILTER (WHERE open IS NOT NULL) AS open,
       max(high) AS high,
       min(low) AS low,
       last(close, bucket) FILTER (WHERE close IS NOT NULL) AS close,
       sum(volume)::bigint AS volume,
       sum(notional) AS notional,
       (sum(notional) / NULLIF(sum(volume), 0))::float8 AS vwap,
       sum(trade_count)::bigint AS trade_count
FROM ohlcv_15m
GROUP BY 1, source, symbol
WITH NO DATA;

CREATE MATERIALIZED VIEW IF NOT EXISTS ohlcv_1d
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 day', bucket) AS bucket, source, symbol,
       first(open, bucket) FILTER (WHERE open IS NOT NULL) AS open,
       max(high) AS high,
       min(low) AS low,
       last(close, bucket) FILTER (WHERE close IS NOT NULL) AS close,
       sum(volume)::bigint AS volume,
       sum(notional) AS notional,
       (sum(notional) / NULLIF(sum(volume), 0))::float8 AS vwap,
       sum(trade_count)::bigint AS trade_count
FROM ohlcv_1h
GROUP BY 1, source, symbol
WITH NO DATA;
