package com.systemtrader.storage.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One segment file, {@code journal-<seq>.log} (seq zero-padded to 20 digits so names sort in append order):
 * a 16-byte header ({@code int magic 'STJL'}, {@code int formatVersion = 1}, {@code long seq}) followed by
 * records ({@link RecordFrame}). Holds the offsets of the segment's valid records and how many of them were
 * acknowledged. Not thread-safe: the owning {@link SpillJournal} serialises access to its index and counters;
 * {@link #readPayloadAt} reads a record already indexed and may run while the journal appends.
 */
final class SegmentFile implements AutoCloseable {
    static final int HEADER_BYTES = 16;
    static final int MAGIC = 0x53544A4C; // "STJL"
    static final int FORMAT_VERSION = 1;
    private static final String PREFIX = "journal-";
    private static final String SUFFIX = ".log";

    final long seq;
    final Path path;
    private long[] offsets = new long[64];
    private int count;
    private int acked;
    private long sizeBytes;
    private final List<JournalDamage> damage = new ArrayList<>();
    private FileChannel writer;

    private SegmentFile(long seq, Path path) {
        this.seq = seq;
        this.path = path;
    }

    static Path pathOf(Path dir, long seq) {
        return dir.resolve(PREFIX + String.format("%020d", seq) + SUFFIX);
    }

    /** The seq of a segment file name, or -1 when {@code name} is not one. */
    static long seqOf(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) return -1;
        String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) return -1;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Creates a new, empty segment open for appending; the header is forced to disk. */
    static SegmentFile create(Path dir, long seq) throws IOException {
        SegmentFile s = new SegmentFile(seq, pathOf(dir, seq));
        s.writer = FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(FORMAT_VERSION).putLong(seq).flip();
            while (h.hasRemaining()) s.writer.write(h);
            s.writer.force(false);
        } catch (IOException e) {
            s.writer.close();
            Files.deleteIfExists(s.path);
            throw e;
        }
        s.sizeBytes = HEADER_BYTES;
        return s;
    }

    /**
     * Reads an existing segment and indexes its valid records. Damage is recorded (see {@link #damage()}); when
     * {@code last} is true, damage at the tail that no valid record follows is a torn write: it is truncated away.
     */
    static SegmentFile scan(Path file, long seq, boolean last, int maxRecordBytes) throws IOException {
        SegmentFile s = new SegmentFile(seq, file);
        try (FileChannel ch = last
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            s.sizeBytes = size;
            if (size < HEADER_BYTES) {
                // Crash while creating the segment (last) or a damaged file (not last): no records either way.
                s.damage.add(new JournalDamage(file, 0, size, "short segment header (" + size + " bytes)", last));
                if (last) truncate(ch, s, 0);
                return s;
            }
            if (size > JournalConfig.MAX_SEGMENT_BYTES + maxRecordBytes) {
                s.damage.add(new JournalDamage(file, 0, size, "segment larger than any this journal writes", false));
                return s;
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            String bad = headerProblem(map, seq);
            if (bad != null) {
                s.damage.add(new JournalDamage(file, 0, size, bad, false));
                return s;
            }
            int pos = HEADER_BYTES;
            int end = (int) size;
            while (pos < end) {
                String problem = RecordFrame.check(map, pos, maxRecordBytes);
                if (problem == null) {
                    s.add(pos);
                    pos += RecordFrame.size(map, pos);
                    continue;
                }
                int next = resync(map, pos + 1, maxRecordBytes);
                if (next < 0) {
                    s.damage.add(new JournalDamage(file, pos, end - pos, problem, last));
                    if (last) truncate(ch, s, pos);
                    break;
                }
                s.damage.add(new JournalDamage(file, pos, next - pos, problem, false));
                pos = next;
            }
        }
        return s;
    }

    private static String headerProblem(ByteBuffer map, long seq) {
        if (map.getInt(0) != MAGIC) return "not a journal segment (bad magic)";
        if (map.getInt(4) != FORMAT_VERSION) return "unknown segment format version " + map.getInt(4);
        if (map.getLong(8) != seq) return "header seq " + map.getLong(8) + " does not match the file name";
        return null;
    }

    /**
     * The first offset at or after {@code from} where a valid record starts, or -1. Candidates are filtered
     * cheaply first (plausible length, codec version byte, and the record either ends the file or is followed by
     * another plausible header) so that the CRC is computed only where a record is likely to start.
     */
    private static int resync(ByteBuffer map, int from, int maxRecordBytes) {
        int end = map.limit();
        for (int p = from; p + RecordFrame.HEADER_BYTES + RecordFrame.MIN_PAYLOAD_BYTES <= end; p++) {
            if (!RecordFrame.plausible(map, p, maxRecordBytes)) continue;
            long next = (long) p + RecordFrame.HEADER_BYTES + map.getInt(p);
            if (next != end && !RecordFrame.plausible(map, (int) next, maxRecordBytes)) continue;
            if (RecordFrame.check(map, p, maxRecordBytes) == null) return p;
        }
        return -1;
    }

    private static void truncate(FileChannel ch, SegmentFile s, long at) throws IOException {
        ch.truncate(at);
        ch.force(true);
        s.sizeBytes = at;
    }

    private void add(long offset) {
        if (count == offsets.length) offsets = Arrays.copyOf(offsets, count * 2);
        offsets[count++] = offset;
    }

    /**
     * Appends one framed record (position to limit of {@code record}) and forces it to disk. On failure the file
     * is truncated back to its previous size so that no partial record stays behind, and the exception propagates.
     */
    void append(ByteBuffer record) throws IOException {
        long at = sizeBytes;
        int length = record.remaining();
        try {
            long pos = at;
            while (record.hasRemaining()) pos += writer.write(record, pos);
            writer.force(false);
        } catch (IOException e) {
            try {
                writer.truncate(at);
                writer.force(false);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
                sizeBytes = writer.size(); // unknown tail; the journal stops appending to this segment
                throw e;
            }
            throw e;
        }
        add(at);
        sizeBytes = at + length;
    }

    /**
     * Reads the payload of the record at {@code at} (an offset this segment indexed) into {@code into} (cleared, then
     * filled and flipped; a bigger buffer is returned when it is too small). Safe while another thread appends.
     */
    ByteBuffer readPayloadAt(FileChannel ch, long at, ByteBuffer into, int maxRecordBytes) throws IOException {
        ByteBuffer head = readFully(ch, at, ByteBuffer.allocate(RecordFrame.HEADER_BYTES));
        int length = head.getInt(0);
        if (length < RecordFrame.MIN_PAYLOAD_BYTES || length > maxRecordBytes) {
            throw new IOException("spill journal record at " + path + " offset " + at + " changed on disk: length " + length);
        }
        if (into.capacity() < RecordFrame.HEADER_BYTES + length) into = ByteBuffer.allocate(RecordFrame.HEADER_BYTES + length);
        into.clear().limit(RecordFrame.HEADER_BYTES + length);
        readFully(ch, at, into);
        if (into.getInt(4) != RecordFrame.crc(into, RecordFrame.HEADER_BYTES, length)) {
            throw new IOException("spill journal record at " + path + " offset " + at + " changed on disk: CRC mismatch");
        }
        return into.position(RecordFrame.HEADER_BYTES);
    }

    private static ByteBuffer readFully(FileChannel ch, long at, ByteBuffer buf) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("unexpected end of journal file at offset " + pos);
            pos += n;
        }
        return buf.flip();
    }

    boolean isOpenForAppend() { return writer != null; }
    long sizeBytes() { return sizeBytes; }
    int records() { return count; }
    int acked() { return acked; }
    int pending() { return count - acked; }
    long offset(int index) { return offsets[index]; }
    boolean damaged() { return !damage.isEmpty() && damage.stream().anyMatch(d -> !d.tornTail()); }
    List<JournalDamage> damage() { return damage; }

    /** Marks every record before {@code offset} acknowledged. */
    void ackBefore(long offset) {
        while (acked < count && offsets[acked] < offset) acked++;
    }

    void ackNext() { acked++; }

    @Override public void close() throws IOException {
        if (writer != null) {
            FileChannel w = writer;
            writer = null;
            w.close();
        }
    }
}
