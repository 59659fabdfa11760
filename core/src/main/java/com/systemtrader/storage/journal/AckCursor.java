package com.systemtrader.storage.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The acknowledgement cursor, file {@code ack.cursor}: {@code int magic 'STJC'}, {@code int version = 1},
 * {@code long seq}, {@code long offset}, {@code int crc32c} of the 24 bytes before it. Meaning: every record of
 * every segment with a smaller seq, and every record of segment {@code seq} that starts before {@code offset},
 * was acknowledged. Written atomically: {@code ack.cursor.tmp}, fsync, rename over {@code ack.cursor}; the
 * directory is fsynced by the journal at segment deletion and at the end of a replay. A missing or unreadable
 * cursor means "nothing acknowledged" (replay repeats, never loses).
 */
record AckCursor(long seq, long offset) {
    static final AckCursor NONE = new AckCursor(-1, 0);
    static final String FILE = "ack.cursor";
    private static final String TMP = "ack.cursor.tmp";
    private static final int MAGIC = 0x53544A43; // "STJC"
    private static final int BYTES = 28;

    /** True when the record of segment {@code s} starting at {@code recordOffset} was acknowledged. */
    boolean covers(long s, long recordOffset) {
        return s < seq || (s == seq && recordOffset < offset);
    }

    /** Reads the cursor of {@code dir}; {@link #NONE} when there is none; null when it exists but is damaged. */
    static AckCursor read(Path dir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return NONE;
        }
        if (bytes.length != BYTES) return null;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, BYTES - 4);
        if (b.getInt(0) != MAGIC || b.getInt(4) != 1 || b.getInt(BYTES - 4) != (int) crc.getValue()) return null;
        return new AckCursor(b.getLong(8), b.getLong(16));
    }

    void write(Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BYTES).putInt(MAGIC).putInt(1).putLong(seq).putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, BYTES - 4);
        b.putInt((int) crc.getValue()).flip();
        Path tmp = dir.resolve(TMP);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) ch.write(b);
            ch.force(false);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // No directory fsync here: if a crash loses the rename, the previous cursor comes back and the batches
        // acknowledged since are replayed again (at-least-once, idempotent downstream). The journal syncs the
        // directory when it deletes a segment and when a replay ends, which also makes this rename durable.
    }

    /** fsync of a directory, so that creations, renames and deletions in it are durable (no-op where unsupported). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Windows cannot open directories; the rename is still atomic there.
        }
    }
}
