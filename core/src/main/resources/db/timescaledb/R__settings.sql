-- The storage configuration as last applied by the migration runner, for the maintenance scheduler and db status.
-- Re-run whenever the configured values change.
CREATE TABLE IF NOT EXISTS storage_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO storage_settings (name, value) VALUES
    ('mode', '${mode}'),
    ('tick_retention_days', '${tick_retention_days}'),
    ('bar_retention_days', '${bar_retention_days}'),
    ('rollup_retention_days', '${rollup_retention_days}'),
    ('quarantine_retention_days', '${quarantine_retention_days}'),
    ('partition_premake_days', '${partition_premake_days}')
ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
