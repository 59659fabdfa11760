-- Roll-up refreshes that never race each other (replaces refresh_ohlcv of V4__rollups.sql; repeatable: these are
-- procedures, re-run whenever this text changes).
--
-- Every refresh of level L takes the transaction-level advisory lock (1398035023 'STRO', position of L) before it
-- reads L's watermark or touches ohlcv_L_mat, and holds it to the end of its transaction. So the refreshes of one
-- level run one after the other, whoever calls them: the storage's RollupRefresher, the maintenance scheduler,
-- db maintain, pg_cron, a user in psql, any number of processes. Before this, two concurrent refreshes of the same
-- buckets both ran their DELETE on the old rows and then both INSERTed; the second INSERT failed with
-- duplicate key ... ohlcv_1m_mat_pkey (SQLSTATE 23505). Under the lock each statement that follows it sees what the
-- previous holder committed (READ COMMITTED takes a new snapshot per statement), so the DELETE removes the rows the
-- other refresh just inserted. The INSERT also upserts (ON CONFLICT DO UPDATE) so that it is safe on its own.
--
-- Callers that refresh several levels in one transaction must take them bottom-up (position order), as
-- refresh_ohlcv_all does; otherwise two such transactions could deadlock (PostgreSQL would cancel one, 40P01).

CREATE OR REPLACE FUNCTION ohlcv_refresh_lock(p_name text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE pos smallint;
BEGIN
  SELECT position INTO STRICT pos FROM ohlcv_levels WHERE name = p_name;
  PERFORM pg_advisory_xact_lock(1398035023, pos);
END $$;

-- Recompute the closed buckets of level p_name that overlap [p_from, p_to) and move its watermark up to the end of
-- that range. The bucket holding p_to is left to the live part of the view. Idempotent; refresh lower levels first
-- (refresh_ohlcv_all does). Buckets whose trades vanished (cancels, retention) disappear. When p_from lies above the
-- watermark, the refresh starts at the watermark instead, so that no unmaterialized hole opens below it.
CREATE OR REPLACE PROCEDURE refresh_ohlcv(p_name text, p_from timestamptz, p_to timestamptz)
LANGUAGE plpgsql AS $$
DECLARE w interval; f timestamptz; t timestamptz; wm timestamptz; mat text := 'ohlcv_' || p_name || '_mat';
BEGIN
  PERFORM ohlcv_refresh_lock(p_name);   -- first: the watermark and the table are read after the last holder's commit
  SELECT width INTO STRICT w FROM ohlcv_levels WHERE name = p_name;
  f := tscompat.time_bucket(w, p_from);
  t := tscompat.time_bucket(w, p_to);
  SELECT refreshed_to INTO wm FROM rollup_watermark WHERE name = p_name;
  IF wm IS NOT NULL AND wm < f THEN f := wm; END IF;
  IF t <= f THEN RETURN; END IF;
  EXECUTE format('DELETE FROM %I WHERE bucket >= $1 AND bucket < $2', mat) USING f, t;
  EXECUTE format('INSERT INTO %I (bucket, source, symbol, open, high, low, close, volume, notional, vwap, trade_count) %s'
                 ' ON CONFLICT (symbol, source, bucket) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high,'
                 ' low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume, notional = EXCLUDED.notional,'
                 ' vwap = EXCLUDED.vwap, trade_count = EXCLUDED.trade_count',
                 mat, ohlcv_select_sql(p_name, '$1', '$2')) USING f, t;
  INSERT INTO rollup_watermark (name, refreshed_to) VALUES (p_name, t)
  ON CONFLICT (name) DO UPDATE SET refreshed_to = greatest(rollup_watermark.refreshed_to, EXCLUDED.refreshed_to),
                                   refreshed_at = now();
END $$;

-- Recompute, at level p_name, the materialized buckets (those below the level's watermark) that overlap any of the
-- ranges [p_from[i], p_to[i]): each such bucket once, every run of consecutive buckets in one refresh_ohlcv call.
-- Buckets at or above the watermark are computed live by the ohlcv_L view and need nothing; the watermark does
-- not move. The lock is taken before the watermark is read, so a concurrent refresh that moves it has committed.
-- Returns the number of buckets recomputed. Used by the RollupRefresher for buckets whose trades were corrected
-- or cancelled after they were stored.
CREATE OR REPLACE FUNCTION refresh_ohlcv_buckets(p_name text, p_from timestamptz[], p_to timestamptz[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE w interval; wm timestamptz; run record; n integer := 0;
BEGIN
  PERFORM ohlcv_refresh_lock(p_name);
  -- the width as seconds: day steps must not follow the session's time zone (date_bin counts a day as 24 h)
  SELECT make_interval(secs => extract(epoch FROM width)) INTO STRICT w FROM ohlcv_levels WHERE name = p_name;
  wm := ohlcv_watermark(p_name);
  FOR run IN
    WITH b AS (
      SELECT DISTINCT g AS bucket
      FROM unnest(p_from, p_to) AS r(f, t),
           generate_series(tscompat.time_bucket(w, r.f), r.t - interval '1 microsecond', w) AS g
      WHERE r.t > r.f AND g + w <= wm)
    SELECT min(bucket) AS f, max(bucket) + w AS t, count(*)::integer AS k
    FROM (SELECT bucket, extract(epoch FROM bucket) / extract(epoch FROM w) - row_number() OVER (ORDER BY bucket)
                 AS grp
          FROM b) x
    GROUP BY grp ORDER BY 1
  LOOP
    CALL refresh_ohlcv(p_name, run.f, run.t);
    n := n + run.k;
  END LOOP;
  RETURN n;
END $$;
