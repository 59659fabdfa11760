-- Trade corrections and cancels find the trade they amend by symbol and trade id (an Alpaca correction carries no
-- time of the original trade). Without this index each one scanned a day of the symbol's rows through
-- (symbol, time): 212 ms per lookup with 63,000 rows of the symbol stored, growing with the table, and at
-- 50,000 msg/s the storage writer spent its time there and fell behind. Partial: trades only, so quotes pay nothing.
-- The same script in both modes (db/postgresql/V7__trade_id_index.sql, db/timescaledb/V5__trade_id_index.sql).
-- On a large existing table the build holds a lock on websocket_data for its duration (the writer journals meanwhile).
CREATE INDEX IF NOT EXISTS websocket_data_trade_id ON websocket_data (symbol, trade_id) WHERE data_type = 'trade';
