-- TimescaleDB-compatible time_bucket, first and last for plain PostgreSQL (storage.md 3.2).
-- They live in their own schema, never in public: if the extension arrives later, an exact-type
-- public.first(float8, timestamptz) would silently win over TimescaleDB's polymorphic one.
CREATE SCHEMA IF NOT EXISTS tscompat;

-- date_bin with TimescaleDB's default origin (Monday 2000-01-03): identical for widths under one month.
CREATE OR REPLACE FUNCTION tscompat.time_bucket(bucket_width interval, ts timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT date_bin(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') $$;

CREATE TYPE tscompat.fl_state AS (val float8, ts timestamptz);

CREATE OR REPLACE FUNCTION tscompat.first_sfunc(s tscompat.fl_state, v float8, t timestamptz)
RETURNS tscompat.fl_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN t IS NULL THEN s WHEN s IS NULL OR t < (s).ts THEN ROW(v, t)::tscompat.fl_state ELSE s END $$;

CREATE OR REPLACE FUNCTION tscompat.last_sfunc(s tscompat.fl_state, v float8, t timestamptz)
RETURNS tscompat.fl_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN t IS NULL THEN s WHEN s IS NULL OR t >= (s).ts THEN ROW(v, t)::tscompat.fl_state ELSE s END $$;

CREATE OR REPLACE FUNCTION tscompat.first_combine(a tscompat.fl_state, b tscompat.fl_state)
RETURNS tscompat.fl_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a WHEN (b).ts < (a).ts THEN b ELSE a END $$;

CREATE OR REPLACE FUNCTION tscompat.last_combine(a tscompat.fl_state, b tscompat.fl_state)
RETURNS tscompat.fl_state LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a WHEN (b).ts > (a).ts THEN b ELSE a END $$;

CREATE OR REPLACE FUNCTION tscompat.fl_final(s tscompat.fl_state)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (s).val $$;

CREATE AGGREGATE tscompat.first(float8, timestamptz) (SFUNC = tscompat.first_sfunc, STYPE = tscompat.fl_state,
  FINALFUNC = tscompat.fl_final, COMBINEFUNC = tscompat.first_combine, PARALLEL = SAFE);
CREATE AGGREGATE tscompat.last(float8, timestamptz) (SFUNC = tscompat.last_sfunc, STYPE = tscompat.fl_state,
  FINALFUNC = tscompat.fl_final, COMBINEFUNC = tscompat.last_combine, PARALLEL = SAFE);

-- New sessions of this database find tscompat without a JDBC option (needs the database owner; skipped otherwise,
-- then put currentSchema=public,tscompat in the JDBC URL or ALTER ROLE ... SET search_path).
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET search_path = public, tscompat', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'not the database owner: set search_path = public, tscompat per role or in the JDBC URL';
END $$;
