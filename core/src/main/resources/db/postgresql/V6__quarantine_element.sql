-- The quarantine keeps the offending element, not the whole frame (com.systemtrader.clean.QuarantineRecord).
-- payload now holds the rejected element's bytes (payload_scope 'element': one JSON object, or one MessagePack map)
-- or, for a frame that could not be split into elements, the frame's first 4 KiB (payload_scope 'frame').
-- payload_length is the full length of what payload was cut from (truncated when longer than payload), frame_length
-- the whole frame's, event_index the element's position in the frame (-1: the frame could not be split).
-- element is the payload as JSON text for people and SQL (MessagePack rendered as JSON; NULL for MessagePack bytes
-- that do not render, and for rows written before this migration). Rows written before it held their frame.
-- Retention: the application's maintenance deletes rows older than storage.quarantine_retention_days (both modes).
-- The same script in both modes (db/timescaledb/V4__quarantine_element.sql).
ALTER TABLE quarantine
    ADD COLUMN payload_scope text NOT NULL DEFAULT 'frame' CHECK (payload_scope IN ('element', 'frame')),
    ADD COLUMN frame_length  integer,
    ADD COLUMN element       text,
    ADD COLUMN truncated     boolean GENERATED ALWAYS AS (payload_length > octet_length(payload)) STORED;
UPDATE quarantine SET frame_length = payload_length;
ALTER TABLE quarantine ALTER COLUMN frame_length SET NOT NULL;
COMMENT ON TABLE quarantine IS 'Rejected messages: the offending element (or a bounded prefix of an undecodable frame), rule and reason, kept storage.quarantine_retention_days';
COMMENT ON COLUMN quarantine.element IS 'payload as JSON text (MessagePack rendered); NULL when it does not render';
