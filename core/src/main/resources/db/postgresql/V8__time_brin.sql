-- The roll-ups read trades by time range (refresh_ohlcv, the ohlcv_* views' live part), and no index led with time:
-- each refresh scanned the whole day partition. A BRIN index on time serves those range reads for a few pages of
-- index per partition and almost no work per insert (rows arrive nearly in time order); the maintenance's roll-up
-- task summarizes the hot partitions' new page ranges before it refreshes (MaintenanceStatistics), since
-- autosummarize needs autovacuum and ranges not yet summarized are always read.
-- websocket_data_sym_time (symbol, time DESC) goes: every query on websocket_data names the symbol and the data
-- type, which the unique key (symbol, data_type, time, ...) serves in time order as well, so that index cost every
-- insert a B-tree entry for no reader.
DROP INDEX IF EXISTS websocket_data_sym_time;
CREATE INDEX IF NOT EXISTS websocket_data_time_brin ON websocket_data USING brin (time) WITH (pages_per_range = 32);
