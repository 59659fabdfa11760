/**
 * The spill journal: a durable, checksummed, size-bounded local log of event batches that the storage writer
 * writes to while the database is away and replays, in order and at least once, when it is back or when the
 * process restarts. Entry point: {@link com.systemtrader.storage.journal.SpillJournal}.
 *
 * <h2>On-disk format (version 1)</h2>
 * <pre>
 * &lt;dir&gt;/journal.lock                 OS file lock: one process per directory
 * &lt;dir&gt;/journal-&lt;seq, 20 digits&gt;.log   segments, append-only, replayed in seq order
 * &lt;dir&gt;/ack.cursor                   acknowledgement cursor (28 bytes, replaced atomically)
 * &lt;dir&gt;/corrupt/                     damaged segments, moved here after their valid batches were replayed
 *
 * segment = header record*
 * header  = int magic 0x53544A4C ("STJL"), int formatVersion = 1, long seq           (16 bytes)
 * record  = int payloadLength, int crc32c(payloadLength bytes ++ payload), payload   (8 + payloadLength)
 * payload = u8 codecVersion = 2 (1 still read), varint eventCount, event*         (see EventCodec)
 * cursor  = int magic 0x53544A43 ("STJC"), int version = 1, long seq, long offset, int crc32c(previous 24 bytes)
 * </pre>
 * All integers are big-endian; doubles are stored as their raw IEEE-754 bits.
 */
package com.systemtrader.storage.journal;
