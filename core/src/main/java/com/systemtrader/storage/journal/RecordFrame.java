package com.systemtrader.storage.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The framing of one journal record: {@code int length} (payload bytes, big-endian), {@code int crc} (CRC32C of
 * the four length bytes followed by the payload), then the payload ({@link EventCodec}). Covering the length with
 * the CRC means a damaged length is detected too, and it lets a reader resynchronise after damage by searching
 * for the next offset where a header and its payload check out.
 */
final class RecordFrame {
    static final int HEADER_BYTES = 8;
    /** Codec version byte plus a one-byte event count. */
    static final int MIN_PAYLOAD_BYTES = 2;

    private RecordFrame() {}

    /** CRC32C of {@code length} (as 4 big-endian bytes) and {@code payloadLength} bytes of {@code buf} at {@code payloadOffset}. */
    static int crc(ByteBuffer buf, int payloadOffset, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(payloadOffset - HEADER_BYTES, 4));
        crc.update(buf.slice(payloadOffset, payloadLength));
        return (int) crc.getValue();
    }

    /**
     * Checks the record at {@code offset} of {@code segment} (absolute positions; the buffer's limit is the end of
     * the file).
     *
     * @return null when the record is valid, otherwise why not
     */
    static String check(ByteBuffer segment, int offset, int maxRecordBytes) {
        int end = segment.limit();
        if (end - offset < HEADER_BYTES) return "short record header (" + (end - offset) + " bytes)";
        int length = segment.getInt(offset);
        if (length < MIN_PAYLOAD_BYTES || length > maxRecordBytes) return "implausible record length " + length;
        if ((long) offset + HEADER_BYTES + length > end) {
            return "record length " + length + " runs past the end of the file";
        }
        if (!EventCodec.readable(segment.get(offset + HEADER_BYTES))) return "unknown codec version byte";
        int stored = segment.getInt(offset + 4);
        if (stored != crc(segment, offset + HEADER_BYTES, length)) return "CRC mismatch";
        return null;
    }

    /** Cheap pre-check (no CRC): a plausible length that fits in the file, and the codec version byte. */
    static boolean plausible(ByteBuffer segment, int offset, int maxRecordBytes) {
        int end = segment.limit();
        if (end - offset < HEADER_BYTES + MIN_PAYLOAD_BYTES) return false;
        int length = segment.getInt(offset);
        return length >= MIN_PAYLOAD_BYTES && length <= maxRecordBytes
                && (long) offset + HEADER_BYTES + length <= end
                && EventCodec.readable(segment.get(offset + HEADER_BYTES));
    }

    /** Total size on disk of the record at {@code offset} (valid records only). */
    static int size(ByteBuffer segment, int offset) {
        return HEADER_BYTES + segment.getInt(offset);
    }
}
