package com.systemtrader.storage.journal;

import com.systemtrader.schema.MarketEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable local journal of event batches, for the storage writer to spill to while the database is away.
 *
 * <p><b>Durability.</b> {@link #append} writes one record and calls {@code FileChannel.force(false)} before it
 * returns: a batch is on disk when {@code append} returns and lost only if {@code append} threw. No group commit.
 *
 * <p><b>Replay.</b> {@link #replay} hands unacknowledged batches to a sink in append order, across segments and
 * across restarts. A batch is acknowledged when the sink returns true; the acknowledgement cursor
 * ({@link AckCursor}) is then rewritten atomically (temp file, fsync, rename), so a crash during replay repeats
 * the batch that was being written and, at worst, the batches acknowledged since the directory was last synced
 * (segment deletion or the end of a replay) when the crash also lost the last renames. A segment is deleted once
 * all its batches are acknowledged. Delivery is at least once.
 *
 * <p><b>Damage.</b> Found when the journal is opened (every segment is scanned and CRC-checked):
 * <ul>
 *   <li>a bad record at the tail of the <em>last</em> segment that no valid record follows is a torn write
 *       (crash mid-append): it is truncated away, logged as a warning and counted ({@code torn.tails});</li>
 *   <li>any other bad record is corruption: logged as an error naming the file and offset, counted once per
 *       segment ({@code corrupt.segments}). The reader resynchronises by searching forward byte by byte for the
 *       next offset where a record header and its CRC check out, so the valid batches before <em>and</em> after
 *       the damage are still replayed. When the damaged segment is fully acknowledged it is moved to
 *       {@code corrupt/} instead of being deleted.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Meant for one owner thread (the storage writer) that appends while the database is away and
 * replays when it is back. Every public method takes the journal's lock, so calls from other threads are safe but
 * wait: an {@code append} issued by another thread during a {@code replay} waits until the replay returns, so
 * live batches cannot overtake journaled ones. A replay sink must not call the journal. Metric getters never wait.
 * One process per directory: {@code journal.lock} is held with an OS file lock while the journal is open.
 */
public final class SpillJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpillJournal.class);
    static final String CORRUPT_DIR = "corrupt";
    private static final String LOCK_FILE = "journal.lock";

    private final Path dir;
    private final JournalConfig config;
    private final JournalMetrics metrics = new JournalMetrics();
    private final ArrayDeque<SegmentFile> segments = new ArrayDeque<>();
    private final List<JournalDamage> damageAtOpen;
    private final EventCodec.Output encoder = new EventCodec.Output(64 * 1024);
    private final FileChannel lockChannel;
    private final FileLock lock;
    private ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private SegmentFile active;
    private long nextSeq;
    private boolean closed;
    private boolean replaying;

    private SpillJournal(Path dir, JournalConfig config, FileChannel lockChannel, FileLock lock,
                         List<JournalDamage> damage) {
        this.dir = dir;
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.damageAtOpen = damage;
    }

    /** Opens (creating if needed) the journal in {@code dir}; see {@link #open(Path, JournalConfig, MeterRegistry)}. */
    public static SpillJournal open(Path dir, JournalConfig config) throws IOException {
        return open(dir, config, null);
    }

    /**
     * Opens the journal in {@code dir}: scans every segment, truncates a torn tail, indexes the valid records and
     * applies the acknowledgement cursor. Appends always go to a new segment. Never throws because of damaged
     * journal content (that is logged, counted and listed in {@link #damageFoundAtOpen()}); throws on I/O errors
     * and when another process holds the directory.
     *
     * @param registry where to register the journal's meters; null for none
     */
    public static SpillJournal open(Path dir, JournalConfig config, MeterRegistry registry) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("spill journal " + dir + " is already open (" + LOCK_FILE + " is locked)");
        }
        try {
            List<JournalDamage> damage = new ArrayList<>();
            SpillJournal j = new SpillJournal(dir, config, lockChannel, lock, damage);
            j.recover(damage);
            if (registry != null) j.metrics.bindTo(registry, dir.toString(), config.diskBudgetBytes());
            return j;
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    private void recover(List<JournalDamage> damage) throws IOException {
        Files.deleteIfExists(dir.resolve("ack.cursor.tmp"));
        AckCursor cursor = AckCursor.read(dir);
        if (cursor == null) {
            log.warn("spill journal {}: {} is damaged; replaying every batch in the journal (at-least-once)",
                    dir, AckCursor.FILE);
            cursor = AckCursor.NONE;
        }
        List<Long> seqs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                long seq = SegmentFile.seqOf(p.getFileName().toString());
                if (seq >= 0) seqs.add(seq);
            });
        }
        Collections.sort(seqs);
        long maxSeq = cursor.seq();
        for (int i = 0; i < seqs.size(); i++) {
            long seq = seqs.get(i);
            maxSeq = Math.max(maxSeq, seq);
            SegmentFile s = SegmentFile.scan(SegmentFile.pathOf(dir, seq), seq, i == seqs.size() - 1,
                    config.maxRecordBytes());
            report(s, damage);
            if (seq < cursor.seq()) s.ackBefore(Long.MAX_VALUE);
            else if (seq == cursor.seq()) s.ackBefore(cursor.offset());
            segments.addLast(s);
        }
        nextSeq = maxSeq + 1;
        for (SegmentFile s : new ArrayList<>(segments)) {
            if (s.pending() == 0) retire(s);
        }
        refreshGauges();
        long pending = metrics.pendingBatches.get();
        if (pending > 0) {
            log.info("spill journal {}: {} unacknowledged batches in {} segments ({} bytes) left to replay",
                    dir, pending, segments.size(), metrics.bytesUsed.get());
        }
    }

    private void report(SegmentFile s, List<JournalDamage> damage) {
        for (JournalDamage d : s.damage()) {
            damage.add(d);
            if (d.tornTail()) {
                metrics.tornTails.incrementAndGet();
                log.warn("spill journal: torn tail of the last segment truncated: {}", d);
            } else {
                log.error("spill journal: {}; the segment's valid records are still replayed and the file will be "
                        + "moved to {}/ afterwards", d, CORRUPT_DIR);
            }
        }
        if (s.damaged()) metrics.corruptSegments.incrementAndGet();
    }

    /**
     * Appends {@code batch} as one record and forces it to disk. An empty batch is ignored.
     *
     * @throws JournalFullException when the record would take the journal past its disk budget (nothing written)
     * @throws IllegalArgumentException when the batch encodes to more than {@link JournalConfig#maxRecordBytes()}
     * @throws IOException on a write or fsync failure; the partial record is truncated away (best effort) and the
     *                     next append starts a new segment
     */
    public synchronized void append(List<? extends MarketEvent> batch) throws IOException {
        append(batch, null);
    }

    /**
     * As {@link #append(List)}, with the cleaner's verdicts: {@code flags[i]} belongs to {@code batch.get(i)}
     * (null = all 0). They come back in {@link JournalSink#write(List, int[])} on replay.
     */
    public synchronized void append(List<? extends MarketEvent> batch, int[] flags) throws IOException {
        ensureOpen();
        if (replaying) throw new IllegalStateException("spill journal " + dir + ": a replay sink must not append");
        if (batch.isEmpty()) return;
        encoder.clear();
        encoder.i64(0); // room for the record header
        EventCodec.encode(batch, flags, encoder);
        ByteBuffer record = encoder.buffer();
        int payload = record.position() - RecordFrame.HEADER_BYTES;
        if (payload > config.maxRecordBytes()) {
            metrics.appendErrors.incrementAndGet();
            throw new IllegalArgumentException("spill journal " + dir + ": a batch of " + batch.size()
                    + " events encodes to " + payload + " bytes, above maxRecordBytes " + config.maxRecordBytes());
        }
        record.putInt(0, payload);
        record.putInt(4, RecordFrame.crc(record, RecordFrame.HEADER_BYTES, payload));
        record.flip();
        int recordBytes = record.remaining();
        boolean roll = active == null
                || (active.records() > 0 && active.sizeBytes() + recordBytes > config.segmentBytes());
        long needed = recordBytes + (roll ? SegmentFile.HEADER_BYTES : 0);
        long used = metrics.bytesUsed.get();
        if (used + needed > config.diskBudgetBytes()) {
            metrics.appendsRejectedFull.incrementAndGet();
            throw new JournalFullException(dir, config.diskBudgetBytes(), used, needed);
        }
        try {
            if (roll) {
                if (active != null) active.close();
                active = null;
                SegmentFile s = SegmentFile.create(dir, nextSeq++);
                AckCursor.syncDirectory(dir);
                segments.addLast(s);
                active = s;
            }
            active.append(record);
        } catch (IOException e) {
            metrics.appendErrors.incrementAndGet();
            if (active != null) active.close();
            active = null;
            refreshGauges();
            throw new IOException("spill journal " + dir + ": append failed: " + e.getMessage(), e);
        }
        metrics.appends.incrementAndGet();
        refreshGauges();
    }

    /**
     * Hands every unacknowledged batch to {@code sink}, oldest first, acknowledging each one the sink accepts and
     * deleting segments whose batches are all acknowledged. Stops when the journal is drained, when the sink
     * returns false, or when it throws (the exception propagates; that batch stays unacknowledged). The sink must
     * not call back into the journal ({@link IllegalStateException}).
     *
     * @throws JournalFormatException when a record passed its CRC but cannot be decoded (a codec bug or a journal
     *                                written by a newer build); the record stays unacknowledged and on disk
     */
    public synchronized ReplayResult replay(JournalSink sink) throws Exception {
        ensureOpen();
        if (replaying) throw new IllegalStateException("spill journal " + dir + ": a replay sink must not replay");
        long acknowledged = 0;
        FileChannel reader = null;
        SegmentFile readerOf = null;
        replaying = true;
        try {
            while (!segments.isEmpty()) {
                SegmentFile s = segments.peekFirst();
                if (s.pending() == 0) {
                    retire(s);
                    continue;
                }
                if (readerOf != s) {
                    if (reader != null) reader.close();
                    reader = FileChannel.open(s.path, StandardOpenOption.READ);
                    readerOf = s;
                }
                int index = s.acked();
                long offset = s.offset(index);
                readBuffer = s.readPayload(reader, index, readBuffer, config.maxRecordBytes());
                EventCodec.Decoded batch = EventCodec.decodeWithFlags(readBuffer, s.path + " offset " + offset);
                if (!sink.write(Collections.unmodifiableList(batch.events()), batch.flags())) {
                    return new ReplayResult(acknowledged, refreshGauges(), false);
                }
                s.ackNext();
                new AckCursor(s.seq, offset + 1).write(dir);
                acknowledged++;
                metrics.acknowledged.incrementAndGet();
                if (s.pending() == 0) {
                    reader.close();
                    reader = null;
                    readerOf = null;
                    retire(s);
                }
                refreshGauges();
            }
            return new ReplayResult(acknowledged, refreshGauges(), true);
        } finally {
            replaying = false;
            if (reader != null) reader.close();
            if (acknowledged > 0) AckCursor.syncDirectory(dir); // makes the last cursor rename durable
            refreshGauges();
        }
    }

    /** Deletes a fully acknowledged segment, or moves it to {@code corrupt/} when it was damaged. */
    private void retire(SegmentFile s) throws IOException {
        if (s == active) active = null;
        s.close();
        segments.remove(s);
        if (s.damaged()) {
            Path target = dir.resolve(CORRUPT_DIR);
            Files.createDirectories(target);
            Path moved = target.resolve(s.path.getFileName());
            if (Files.exists(moved)) moved = target.resolve(s.path.getFileName() + "." + System.currentTimeMillis());
            Files.move(s.path, moved, StandardCopyOption.ATOMIC_MOVE); // never over an earlier damaged file
            log.error("spill journal: damaged segment {} moved to {} after its {} valid batches were replayed; "
                    + "keep it for inspection", s.path, moved, s.records());
        } else {
            Files.deleteIfExists(s.path);
        }
        AckCursor.syncDirectory(dir);
    }

    private long refreshGauges() {
        long bytes = 0, pending = 0;
        for (SegmentFile s : segments) {
            bytes += s.sizeBytes();
            pending += s.pending();
        }
        metrics.bytesUsed.set(bytes);
        metrics.pendingBatches.set(pending);
        metrics.segments.set(segments.size());
        return pending;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("spill journal " + dir + " is closed");
    }

    /** Closes the open segment and releases the directory. Nothing is buffered: every append was already forced. */
    @Override public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        metrics.unbind();
        try {
            for (SegmentFile s : segments) s.close();
        } finally {
            active = null;
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    public Path directory() { return dir; }
    public JournalConfig config() { return config; }
    /** Damage found (and handled) when the journal was opened. */
    public List<JournalDamage> damageFoundAtOpen() { return List.copyOf(damageAtOpen); }
    /** Bytes held by the journal's segment files (what the disk budget is checked against). */
    public long bytesUsed() { return metrics.bytesUsed.get(); }
    public long segments() { return metrics.segments.get(); }
    /** Batches appended (now or before a restart) and not yet acknowledged. */
    public long batchesPending() { return metrics.pendingBatches.get(); }
    /** Successful appends since open. */
    public long appends() { return metrics.appends.get(); }
    /** Appends refused by the disk budget since open. */
    public long appendsRejectedFull() { return metrics.appendsRejectedFull.get(); }
    /** Appends that failed with an I/O error or an oversized batch since open. */
    public long appendErrors() { return metrics.appendErrors.get(); }
    public long batchesAcknowledged() { return metrics.acknowledged.get(); }
    /** Torn tails truncated when the journal was opened. */
    public long tornTailsTruncated() { return metrics.tornTails.get(); }
    /** Segments found damaged (beyond a torn tail) when the journal was opened. */
    public long corruptSegments() { return metrics.corruptSegments.get(); }
}
