-- Open and close of a minute follow one order in every tier (docs/DATA_MODEL.md, "Which trade opens and closes"):
-- by event time in nanoseconds (event_ns; time keeps microseconds), then by the provider's sequence number where
-- it sends one (Polygon's per-ticker q), the order the trades were published in. Polygon's feed gives trade times in
-- milliseconds, so several trades of a minute often share its first or its last time; tscompat.first(price, time) then picked any of them, while the
-- bar builder took the first and the last to arrive, and the same minute had two closes (305.4877 in the cache
-- against 305.49 in ohlcv_1m). Trades without a sequence (Alpaca, which gives nanoseconds) that tie on time keep
-- the scan order, as before.

CREATE TYPE tscompat.fls_state AS (val float8, ts bigint, seq bigint);

-- (t, q) after (s.ts, s.seq)? A missing sequence on either side compares equal.
CREATE OR REPLACE FUNCTION tscompat.fls_after(s tscompat.fls_state, t bigint, q bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT t > (s).ts OR (t = (s).ts AND q IS NOT NULL AND (s).seq IS NOT NULL AND q > (s).seq) $$;

CREATE OR REPLACE FUNCTION tscompat.fls_before(s tscompat.fls_state, t bigint, q bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT t < (s).ts OR (t = (s).ts AND q IS NOT NULL AND (s).seq IS NOT NULL AND q < (s).seq) $$;

CREATE OR REPLACE FUNCTION tscompat.first_sfunc(s tscompat.fls_state, v float8, t bigint, q bigint)
RETURNS tscompat.fls_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN t IS NULL THEN s WHEN s IS NULL OR tscompat.fls_before(s, t, q)
               THEN ROW(v, t, q)::tscompat.fls_state ELSE s END $$;

-- Not before: a later row that ties wholly (same time, no sequence to tell) wins, as last(value, time) does.
CREATE OR REPLACE FUNCTION tscompat.last_sfunc(s tscompat.fls_state, v float8, t bigint, q bigint)
RETURNS tscompat.fls_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN t IS NULL THEN s WHEN s IS NULL OR NOT tscompat.fls_before(s, t, q)
               THEN ROW(v, t, q)::tscompat.fls_state ELSE s END $$;

CREATE OR REPLACE FUNCTION tscompat.first_combine(a tscompat.fls_state, b tscompat.fls_state)
RETURNS tscompat.fls_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
               WHEN tscompat.fls_before(a, (b).ts, (b).seq) THEN b ELSE a END $$;

CREATE OR REPLACE FUNCTION tscompat.last_combine(a tscompat.fls_state, b tscompat.fls_state)
RETURNS tscompat.fls_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
               WHEN tscompat.fls_after(a, (b).ts, (b).seq) THEN b ELSE a END $$;

CREATE OR REPLACE FUNCTION tscompat.fls_final(s tscompat.fls_state)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (s).val $$;

CREATE AGGREGATE tscompat.first(float8, bigint, bigint) (SFUNC = tscompat.first_sfunc,
  STYPE = tscompat.fls_state, FINALFUNC = tscompat.fls_final, COMBINEFUNC = tscompat.first_combine, PARALLEL = SAFE);
CREATE AGGREGATE tscompat.last(float8, bigint, bigint) (SFUNC = tscompat.last_sfunc,
  STYPE = tscompat.fls_state, FINALFUNC = tscompat.fls_final, COMBINEFUNC = tscompat.last_combine, PARALLEL = SAFE);

-- The roll-up SELECT of V4__rollups.sql with the sequence as tie-break at level 1m; the higher levels order whole
-- minutes by their bucket and are unchanged.
CREATE OR REPLACE FUNCTION ohlcv_select_sql(p_name text, p_from text, p_to text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE lvl ohlcv_levels;
BEGIN
  SELECT * INTO STRICT lvl FROM ohlcv_levels WHERE name = p_name;
  IF lvl.parent IS NULL THEN
    RETURN format($q$SELECT tscompat.time_bucket(%L::interval, time) AS bucket, source, symbol,
  tscompat.first(price, event_ns, sequence) FILTER (WHERE eligibility & 8 <> 0) AS open,
  max(price) FILTER (WHERE eligibility & 16 <> 0) AS high,
  min(price) FILTER (WHERE eligibility & 16 <> 0) AS low,
  tscompat.last(price, event_ns, sequence) FILTER (WHERE eligibility & 8 <> 0) AS close,
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

-- The real-time views embed the SELECT's text: replace them in place (same columns, so views a user built on them
-- stay), bottom-up.
DO $$
DECLARE lvl ohlcv_levels;
BEGIN
  FOR lvl IN SELECT * FROM ohlcv_levels ORDER BY position LOOP
    EXECUTE format('CREATE OR REPLACE VIEW %I AS SELECT bucket, source, symbol, open, high, low, close, volume, notional, vwap, '
        'trade_count FROM %I WHERE bucket < ohlcv_watermark(%L) UNION ALL %s',
        'ohlcv_' || lvl.name, 'ohlcv_' || lvl.name || '_mat', lvl.name,
        ohlcv_select_sql(lvl.name, format('ohlcv_watermark(%L)', lvl.name), '''infinity''::timestamptz'));
  END LOOP;
END $$;
-- Buckets materialized before this script keep the close they were given; refresh_ohlcv_all over a range
-- recomputes them under this order.
