-- OHLCV roll-ups, the stand-ins for TimescaleDB's hierarchical real-time continuous aggregates (storage.md 3.4).
-- For every level L in 1m, 5m, 15m, 1h, 1d:
--   ohlcv_L_mat  table: the materialized buckets, written only by refresh_ohlcv(L, from, to)
--   ohlcv_L      view:  ohlcv_L_mat below the level's watermark UNION ALL a live aggregate above it; the same name
--                       and columns as the continuous aggregate in TimescaleDB mode, so queries read ohlcv_L in both
-- 1m is built from eligible trades only (the bar builder's rule, com.systemtrader.bars.BarBuilder): trades that are
-- not cancelled or busted (status 0 or 1) and not flagged suspicious (flags bit 8); open/close from trades with
-- eligibility bit 8 (bar open/close), high/low from bit 16 (bar high/low), volume, VWAP and trade count from bit 4.
-- Each higher level is built from the one below (1m -> 5m -> 15m -> 1h -> 1d).

CREATE TABLE ohlcv_levels (
    name     text     PRIMARY KEY,
    width    interval NOT NULL,
    parent   text     REFERENCES ohlcv_levels (name),
    position smallint NOT NULL UNIQUE
);
INSERT INTO ohlcv_levels VALUES ('1m', '1 minute', NULL, 1);
INSERT INTO ohlcv_levels VALUES ('5m', '5 minutes', '1m', 2);
INSERT INTO ohlcv_levels VALUES ('15m', '15 minutes', '5m', 3);
INSERT INTO ohlcv_levels VALUES ('1h', '1 hour', '15m', 4);
INSERT INTO ohlcv_levels VALUES ('1d', '1 day', '1h', 5);

-- How far each level is materialized: buckets below refreshed_to come from ohlcv_L_mat.
CREATE TABLE rollup_watermark (
    name         text        PRIMARY KEY,
    refreshed_to timestamptz NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION ohlcv_watermark(p_name text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT refreshed_to FROM rollup_watermark WHERE name = p_name), '-infinity'::timestamptz)
$$;

-- The SELECT that computes level p_name for buckets in [p_from, p_to) (both SQL expressions).
CREATE OR REPLACE FUNCTION ohlcv_select_sql(p_name text, p_from text, p_to text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE lvl ohlcv_levels;
BEGIN
  SELECT * INTO STRICT lvl FROM ohlcv_levels WHERE name = p_name;
  IF lvl.parent IS NULL THEN
    RETURN format($q$SELECT tscompat.time_bucket(%L::interval, time) AS bucket, source, symbol,
  tscompat.first(price, time) FILTER (WHERE eligibility & 8 <> 0) AS open,
  max(price) FILTER (WHERE eligibility & 16 <> 0) AS high,
  min(price) FILTER (WHERE eligibility & 16 <> 0) AS low,
  tscompat.last(price, time) FILTER (WHERE eligibility & 8 <> 0) AS close,
  COALESCE(sum(size) FILTER (WHERE eligibility & 4 <> 0), 0)::bigint AS volume,
  sum(price * size) FILTER (WHERE eligibility & 4 <> 0) AS notional,
  (sum(price * size) FILTER (WHERE eligibility & 4 <> 0) / NULLIF(sum(size) FILTER (WHERE eligibility & 4 <> 0), 0))::float8 AS vwap,
  count(*) FILTER (WHERE eligibility & 4 <> 0) AS trade_count
FROM websocket_data
WHERE data_type = 'trade' AND status IN (0, 1) AND flags & 256 = 0 AND eligibility & 28 <> 0
  AND time >= %s AND time < %s
GROUP BY 1, 2, 3$q$, lvl.width, p_from, p_to);
  END IF;
  RETURN format($q$SELECT tscompat.time_bucket(%L::interval, bucket) AS bucket, source, symbol,
  tscompat.first(open, bucket) FILTER (WHERE open IS NOT NULL) AS open,
  max(high) AS high,
  min(low) AS low,
  tscompat.last(close, bucket) FILTER (WHERE close IS NOT NULL) AS close,
  sum(volume)::bigint AS volume,
  sum(notional) AS notional,
  (sum(notional) / NULLIF(sum(volume), 0))::float8 AS vwap,
  sum(trade_count)::bigint AS trade_count
FROM %I
WHERE bucket >= %s AND bucket < %s
GROUP BY 1, 2, 3$q$, lvl.width, 'ohlcv_' || lvl.parent, p_from, p_to);
END $$;

-- Tables and real-time views, bottom-up (each view reads the view below it).
DO $$
DECLARE lvl ohlcv_levels;
BEGIN
  FOR lvl IN SELECT * FROM ohlcv_levels ORDER BY position LOOP
    EXECUTE format('CREATE TABLE %I (bucket timestamptz NOT NULL, source text NOT NULL, symbol text NOT NULL, '
        'open float8, high float8, low float8, close float8, volume bigint NOT NULL, notional float8, vwap float8, '
        'trade_count bigint NOT NULL, PRIMARY KEY (symbol, source, bucket))', 'ohlcv_' || lvl.name || '_mat');
    EXECUTE format('CREATE INDEX %I ON %I (bucket)', 'ohlcv_' || lvl.name || '_mat_bucket', 'ohlcv_' || lvl.name || '_mat');
    EXECUTE format('CREATE VIEW %I AS SELECT bucket, source, symbol, open, high, low, close, volume, notional, vwap, '
        'trade_count FROM %I WHERE bucket < ohlcv_watermark(%L) UNION ALL %s',
        'ohlcv_' || lvl.name, 'ohlcv_' || lvl.name || '_mat', lvl.name,
        ohlcv_select_sql(lvl.name, format('ohlcv_watermark(%L)', lvl.name), '''infinity''::timestamptz'));
  END LOOP;
END $$;

-- Recompute the closed buckets of level p_name that overlap [p_from, p_to) and move its watermark up to the end of
-- that range. The bucket holding p_to is left to the live part of the view. Idempotent; refresh lower levels first
-- (refresh_ohlcv_all does). Buckets whose trades vanished (cancels, retention) disappear. When p_from lies above the
-- watermark, the refresh starts at the watermark instead, so that no unmaterialized hole opens below it.
CREATE OR REPLACE PROCEDURE refresh_ohlcv(p_name text, p_from timestamptz, p_to timestamptz)
LANGUAGE plpgsql AS $$
DECLARE w interval; f timestamptz; t timestamptz; wm timestamptz; mat text := 'ohlcv_' || p_name || '_mat';
BEGIN
  SELECT width INTO STRICT w FROM ohlcv_levels WHERE name = p_name;
  f := tscompat.time_bucket(w, p_from);
  t := tscompat.time_bucket(w, p_to);
  SELECT refreshed_to INTO wm FROM rollup_watermark WHERE name = p_name;
  IF wm IS NOT NULL AND wm < f THEN f := wm; END IF;
  IF t <= f THEN RETURN; END IF;
  EXECUTE format('DELETE FROM %I WHERE bucket >= $1 AND bucket < $2', mat) USING f, t;
  EXECUTE format('INSERT INTO %I (bucket, source, symbol, open, high, low, close, volume, notional, vwap, trade_count) %s',
                 mat, ohlcv_select_sql(p_name, '$1', '$2')) USING f, t;
  INSERT INTO rollup_watermark (name, refreshed_to) VALUES (p_name, t)
  ON CONFLICT (name) DO UPDATE SET refreshed_to = greatest(rollup_watermark.refreshed_to, EXCLUDED.refreshed_to),
                                   refreshed_at = now();
END $$;

-- Every level over [p_from, p_to), bottom-up.
CREATE OR REPLACE PROCEDURE refresh_ohlcv_all(p_from timestamptz, p_to timestamptz)
LANGUAGE plpgsql AS $$
DECLARE n text;
BEGIN
  FOR n IN SELECT name FROM ohlcv_levels ORDER BY position LOOP
    CALL refresh_ohlcv(n, p_from, p_to);
  END LOOP;
END $$;
