/**
 * Storage: the database schema in two modes with one query surface, its migrations, and {@code db status}.
 *
 * <h2>Modes</h2>
 * {@link com.systemtrader.storage.ServerProbe} reads the server once (storage.md 1.2) and picks TimescaleDB when the
 * extension is installed with the community licence, or available and preloaded (then, and only then, the runner
 * issues {@code CREATE EXTENSION}); otherwise plain PostgreSQL. {@code storage.mode} forces either. The mode is
 * recorded in {@code schema_version}; a database never changes mode.
 *
 * <h2>Tables (same names and columns in both modes)</h2>
 * <ul>
 *   <li>{@code websocket_data}: trades and quotes; unique key {@code (symbol, data_type, time, source, event_id)}.
 *       {@link com.systemtrader.storage.EventIds} makes {@code event_id}: the provider's identity where there is one
 *       ({@code <exchange>:<trf id>:<trade id>}, {@code q<sequence>}), else {@code t<event ns>:<fingerprint>} with
 *       {@link com.systemtrader.schema.EventFingerprint} of the normalized content, so that distinct events of one
 *       nanosecond never share a key and the same event re-sent always does. (The comment in
 *       {@code V2__tables.sql} / {@code V1__tables.sql} still says {@code t<event ns>}: applied migrations are
 *       checksummed and cannot be edited; rows stored before the change keep that form.)
 *       A partial index {@code websocket_data_trade_id (symbol, trade_id) WHERE data_type = 'trade'} is how trade
 *       corrections and cancels find the trade they amend.
 *       TimescaleDB: hypertable, chunks of {@code storage.tick_chunk_hours}, columnstore segmented by symbol.
 *       PostgreSQL: daily RANGE partitions {@code websocket_data_pYYYYMMDD}, made ahead by
 *       {@code ensure_daily_partitions} / {@code ensure_partitions_for}, dropped by {@code drop_old_partitions}.</li>
 *   <li>{@code market_data}: bars, unique {@code (symbol, timeframe, time, source, origin)}; a revised bar upserts
 *       with {@code ON CONFLICT ON CONSTRAINT market_data_uq DO UPDATE}.</li>
 *   <li>{@code quarantine}, {@code gap_ledger}: plain tables with natural unique keys, so replays insert nothing.
 *       {@code quarantine} holds per rejected message its offending element ({@code payload} bytes, {@code element}
 *       as JSON text, {@code payload_scope = 'element'}) or, for a frame that could not be split, the frame's first
 *       4 KiB ({@code payload_scope = 'frame'}, {@code truncated}), with rule, reason, {@code event_index} and
 *       {@code frame_length} ({@link com.systemtrader.storage.QuarantineWriter}); rows older than
 *       {@code storage.quarantine_retention_days} are deleted by the maintenance's retention task in both modes
 *       ({@link com.systemtrader.storage.MaintenanceRetention}).</li>
 *   <li>{@code ohlcv_1m, _5m, _15m, _1h, _1d}: OHLCV from eligible trades, each level built from the one below.
 *       TimescaleDB: real-time hierarchical continuous aggregates. PostgreSQL: views over {@code ohlcv_L_mat}
 *       tables below a watermark plus a live aggregate above it, refreshed by {@code CALL refresh_ohlcv(level,
 *       from, to)} or {@code CALL refresh_ohlcv_all(from, to)} (the maintenance's window), and by
 *       {@code refresh_ohlcv_buckets(level, froms, tos)} for the buckets whose trades corrections or cancels changed
 *       ({@link com.systemtrader.storage.RollupRefresher}, off the write path). Every refresh of a level holds a
 *       per-level transaction advisory lock, so concurrent refreshes (any caller, any process) never race.</li>
 * </ul>
 *
 * <h2>Idempotent batched writes (for the writer)</h2>
 * Binary COPY cannot skip duplicates, so a writer copies into a session-local staging table and merges:
 * <pre>
 * CREATE TEMP TABLE IF NOT EXISTS ws_stage (LIKE websocket_data_stage INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
 * COPY ws_stage (time, event_ns, symbol, ...) FROM STDIN (FORMAT binary);
 * INSERT INTO websocket_data SELECT * FROM ws_stage ON CONFLICT DO NOTHING;
 * COMMIT;
 * </pre>
 * {@code websocket_data_stage} and {@code market_data_stage} are empty UNLOGGED tables with the exact column list
 * and no indexes; bars merge with {@code INSERT ... SELECT DISTINCT ON (key) ... ON CONFLICT ... DO UPDATE}.
 * In PostgreSQL mode a row with no partition fails with {@code no partition of relation}: call
 * {@code ensure_partitions_for('websocket_data', time)} and retry.
 *
 * <h2>Migrations</h2>
 * {@link com.systemtrader.storage.MigrationRunner}: versioned scripts once each, in order, each in its own
 * transaction unless marked {@code -- st:no-transaction} (continuous aggregates); repeatable scripts whenever their
 * text with the configuration filled in changes; checksums of applied scripts verified; an advisory lock around it.
 */
package com.systemtrader.storage;
