-- One row per run of a task of the application's maintenance scheduler (com.systemtrader.storage.MaintenanceScheduler):
-- partitions, rollups, retention, compression. db status shows the last run of each task and its failures in the
-- last 24 h. The scheduler keeps only the newest runs of each task (storage.maintenance_keep_runs), deleting older
-- ones in the transaction that records a run. The same table in both modes (db/postgresql/V5__maintenance.sql).
CREATE TABLE maintenance_runs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task        text        NOT NULL,
    mode        text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('ok', 'skipped', 'failed')),
    detail      text        NOT NULL
);
CREATE INDEX maintenance_runs_task_id ON maintenance_runs (task, id DESC);
