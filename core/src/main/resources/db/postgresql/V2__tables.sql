-- Raw and derived tables. Column names and types are identical in db/timescaledb/V1__tables.sql, so every query
-- works unchanged in both modes; only the partitioning differs (here: daily RANGE partitions on time).

-- Trades and quotes. One row per provider event; the unique key follows the providers' identity rules and includes
-- the partitioning column (a unique key on a partitioned table or hypertable must, storage.md 1.4).
--   event_id, trade: '<exchange>:<trf_id or empty>:<trade id>' (Polygon/Alpaca trade ids are unique only per
--                    symbol, exchange and TRF); quote: 'q<sequence>' when sent, else 't<event ns>' (storage.EventIds).
--   time is the event time as given by the exchange (microseconds); event_ns keeps the exact nanoseconds.
CREATE TABLE websocket_data (
    time         timestamptz NOT NULL,
    event_ns     bigint      NOT NULL,
    symbol       text        NOT NULL,
    data_type    text        NOT NULL CHECK (data_type IN ('trade', 'quote')),
    source       text        NOT NULL,
    event_id     text        NOT NULL,
    received_at  timestamptz NOT NULL,
    trade_id     text,
    exchange     integer,
    tape         char(1),
    sequence     bigint,
    trf_id       integer,
    trf_time     timestamptz,
    price        double precision,
    size         bigint,
    bid_exchange integer,
    bid_price    double precision,
    bid_size     bigint,
    ask_exchange integer,
    ask_price    double precision,
    ask_size     bigint,
    conditions   integer[],
    indicators   integer[],
    eligibility  smallint    NOT NULL DEFAULT 0,
    flags        integer     NOT NULL DEFAULT 0,
    status       smallint    NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2, 3)),
    status_at    timestamptz,
    CONSTRAINT websocket_data_uq UNIQUE (symbol, data_type, time, source, event_id)
) PARTITION BY RANGE (time);
COMMENT ON COLUMN websocket_data.eligibility IS 'SIP eligibility bits (com.systemtrader.sip.Eligibility): 1 open/close, 2 high/low, 4 volume, 8 bar open/close, 16 bar high/low, 32 unknown condition';
COMMENT ON COLUMN websocket_data.flags IS 'cleaner flags (com.systemtrader.clean.Flags), eligibility in bits 0-7';
COMMENT ON COLUMN websocket_data.status IS '0 as received, 1 corrected (values replaced), 2 cancelled, 3 error (busted)';
CREATE INDEX websocket_data_sym_time ON websocket_data (symbol, time DESC);

-- Bars: the providers' own and the ones System Trader builds (source 'derived', origin = whose trades).
-- timeframe: '1s', '1m', '1d'. A revised bar (Alpaca updatedBars, our late-trade revisions) upserts on the key.
CREATE TABLE market_data (
    time               timestamptz NOT NULL,
    end_time           timestamptz NOT NULL,
    symbol             text        NOT NULL,
    timeframe          text        NOT NULL,
    source             text        NOT NULL,
    origin             text        NOT NULL,
    open               double precision NOT NULL,
    high               double precision NOT NULL,
    low                double precision NOT NULL,
    close              double precision NOT NULL,
    volume             bigint      NOT NULL DEFAULT 0,
    vwap               double precision,
    trade_count        bigint,
    accumulated_volume bigint,
    official_open      double precision,
    day_vwap           double precision,
    average_trade_size bigint,
    otc                boolean     NOT NULL DEFAULT false,
    flags              integer     NOT NULL DEFAULT 0,
    received_at        timestamptz NOT NULL,
    CONSTRAINT market_data_uq UNIQUE (symbol, timeframe, time, source, origin)
) PARTITION BY RANGE (time);

-- Rejected messages with their raw frame. Unique on the frame identity so that a replayed batch inserts nothing.
CREATE TABLE quarantine (
    received_at    timestamptz NOT NULL,
    receive_ns     bigint      NOT NULL,
    source         text        NOT NULL,
    feed           text        NOT NULL,
    symbol         text,
    record_type    text,
    rule           text        NOT NULL,
    reason         text        NOT NULL,
    event_index    integer     NOT NULL,
    payload        bytea       NOT NULL,
    payload_length integer     NOT NULL,
    binary_payload boolean     NOT NULL,
    CONSTRAINT quarantine_uq UNIQUE (source, feed, receive_ns, event_index, rule)
);
CREATE INDEX quarantine_time ON quarantine (received_at DESC);

-- Intervals in which a feed was not streaming (com.systemtrader.collector.Gap); end_time NULL while open.
CREATE TABLE gap_ledger (
    source        text        NOT NULL,
    feed          text        NOT NULL,
    start_time    timestamptz NOT NULL,
    start_ns      bigint      NOT NULL,
    end_time      timestamptz,
    end_ns        bigint,
    channels      text[]      NOT NULL,
    symbols       text[]      NOT NULL,
    cause         text        NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    backfilled_at timestamptz,
    backfill_note text,
    CONSTRAINT gap_ledger_pk PRIMARY KEY (source, feed, start_ns)
);

-- Staging tables for the batched writer: binary COPY into a session's TEMP copy of these
-- (CREATE TEMP TABLE IF NOT EXISTS ws_stage (LIKE websocket_data_stage INCLUDING DEFAULTS) ON COMMIT DELETE ROWS),
-- then INSERT INTO websocket_data SELECT * FROM ws_stage ON CONFLICT DO NOTHING. Unlogged, no indexes, never read
-- by queries; they exist so that writers and psql share one column list.
CREATE UNLOGGED TABLE websocket_data_stage (LIKE websocket_data INCLUDING DEFAULTS);
CREATE UNLOGGED TABLE market_data_stage (LIKE market_data INCLUDING DEFAULTS);
