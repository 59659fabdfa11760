-- One gap_ledger row per backfilled window and symbol set. A backfill since the last stored trade (a restart, or a
-- feed handed over between collector processes) records a row per symbol starting at that symbol's newest stored
-- trade; Polygon's millisecond trade times often give two symbols the same start, and under the old key
-- (source, feed, start_ns) the second symbol's outcome overwrote the first's row (found by FeedFailoverProcessTest).
ALTER TABLE gap_ledger DROP CONSTRAINT gap_ledger_pk;
ALTER TABLE gap_ledger ADD CONSTRAINT gap_ledger_pk PRIMARY KEY (source, feed, start_ns, symbols);
