-- Daily RANGE partitions made ahead of time by the application's maintenance (or pg_cron), storage.md 3.3 option B.
-- Partitions are named <parent>_pYYYYMMDD and cover [day 00:00 UTC, next day 00:00 UTC). There is no DEFAULT
-- partition: a row outside every partition fails with "no partition of relation ... found for row", which a writer
-- answers with ensure_partitions_for(parent, time) and a retry.

CREATE OR REPLACE FUNCTION ensure_daily_partitions(p_parent regclass, p_from date, p_days int)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE d date; n int := 0; part text; rel text;
BEGIN
  SELECT c.relname INTO rel FROM pg_class c WHERE c.oid = p_parent;
  FOR d IN SELECT generate_series(p_from, p_from + p_days - 1, interval '1 day')::date LOOP
    part := format('%s_p%s', rel, to_char(d, 'YYYYMMDD'));
    IF to_regclass(format('%I.%I', (SELECT nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid
                                   WHERE c.oid = p_parent), part)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                     (SELECT nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid WHERE c.oid = p_parent),
                     part, p_parent, d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

-- The partition for one timestamp (and the day after, so a writer near midnight does not stop twice).
CREATE OR REPLACE FUNCTION ensure_partitions_for(p_parent regclass, p_time timestamptz)
RETURNS int LANGUAGE sql AS $$
  SELECT ensure_daily_partitions(p_parent, (p_time AT TIME ZONE 'UTC')::date, 2)
$$;

-- Retention: detach and drop every partition whose upper bound is at or before p_older_than.
CREATE OR REPLACE FUNCTION drop_old_partitions(p_parent regclass, p_older_than timestamptz)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE r record; n int := 0; upper_bound timestamptz;
BEGIN
  FOR r IN SELECT c.oid::regclass AS part, pg_get_expr(c.relpartbound, c.oid) AS bound
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = p_parent LOOP
    CONTINUE WHEN r.bound = 'DEFAULT';
    upper_bound := substring(r.bound from 'TO \(''([^'']+)''\)')::timestamptz;
    IF upper_bound <= p_older_than THEN
      EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', p_parent, r.part);
      EXECUTE format('DROP TABLE %s', r.part);
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

-- Yesterday to a week ahead, so that a fresh database takes data at once (every migrate run then extends this to
-- storage.partition_premake_days ahead).
SELECT ensure_daily_partitions('websocket_data', (now() AT TIME ZONE 'UTC')::date - 1, 9);
SELECT ensure_daily_partitions('market_data', (now() AT TIME ZONE 'UTC')::date - 1, 9);
