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
import java.util.Arrays;
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
 * <p><b>Threads.</b> Any thread may append; one thread at a time replays ({@link #read} and {@link #acknowledge},
 * or {@link #replay}). The journal's lock is held only for bookkeeping and for an append's own write and fsync,
 * never while a replayed batch is being written downstream: an append from another thread during a replay goes
 * through at once and lands behind everything already journaled, so live batches never overtake journaled ones and
 * a thread appending never waits for the database. A replay sink must not call the journal. Metric getters never
 * wait. One process per directory: {@code journal.lock} is held with an OS file lock while the journal is open.
 */
public final class SpillJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpillJournal.class);
    static final String CORRUPT_DIR = "corrupt";
    private static final String LOCK_FILE = "journal.lock";
    /**
     * At most this many journaled batches are joined by one {@link #read}. The intake journals a batch per pipeline
     * drain, often ten events or fewer at 100,000 msg/s, so a bound of 256 capped a replay step at a few thousand
     * events whatever the writer asked for.
     */
    private static final int MAX_RECORDS_PER_READ = 8_192;

    private final Path dir;
    private final JournalConfig config;
    private final JournalMetrics metrics = new JournalMetrics();
    private final ArrayDeque<SegmentFile> segments = new ArrayDeque<>();
    private final List<JournalDamage> damageAtOpen;
    private final EventCodec.Output encoder = new EventCodec.Output(64 * 1024);
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Owned by the replaying thread ({@link #read}). */
    private ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private SegmentFile active;
    private long nextSeq;
    private boolean closed;
    /** The thread inside {@link #replay}, or null. Guarded by this. */
    private Thread replayThread;

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
        if (replayThread == Thread.currentThread()) {
            throw new IllegalStateException("spill journal " + dir + ": a replay sink must not append");
        }
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
     * Hands every unacknowledged batch to {@code sink}, oldest first, one journaled batch at a time, acknowledging
     * each one the sink accepts and deleting segments whose batches are all acknowledged. Stops when the journal is
     * drained, when the sink returns false, or when it throws (the exception propagates; that batch stays
     * unacknowledged). Batches appended by other threads meanwhile are replayed too. The sink must not call back
     * into the journal ({@link IllegalStateException}).
     *
     * @throws JournalFormatException when a record passed its CRC but cannot be decoded (a codec bug or a journal
     *                                written by a newer build); the record stays unacknowledged and on disk
     */
    public ReplayResult replay(JournalSink sink) throws Exception {
        synchronized (this) {
            ensureOpen();
            if (replayThread != null) {
                throw new IllegalStateException("spill journal " + dir + ": a replay sink must not replay (or "
                        + "another thread is replaying)");
            }
            replayThread = Thread.currentThread();
        }
        long acknowledged = 0;
        try {
            ReplayBatch batch;
            while ((batch = read(1)) != null) {
                if (!sink.write(Collections.unmodifiableList(batch.events()), batch.flags())) {
                    return new ReplayResult(acknowledged, batchesPending(), false);
                }
                acknowledge(batch);
                acknowledged++;
            }
            return new ReplayResult(acknowledged, batchesPending(), true);
        } finally {
            synchronized (this) {
                replayThread = null;
            }
        }
    }

    /**
     * The oldest unacknowledged batches joined into one: whole journaled batches, in append order, until at least
     * {@code maxEvents} events are gathered or the journal's current end is reached (always at least one batch).
     * Null when nothing is pending. Reading and decoding happen outside the journal's lock, so appends go on
     * meanwhile. Nothing is acknowledged: {@link #acknowledge} does that once the batch is written downstream, and
     * until then the next {@code read} returns the same batches again. For one replaying thread at a time.
     *
     * @throws JournalFormatException when a record passed its CRC but cannot be decoded; it stays unacknowledged
     */
    public ReplayBatch read(int maxEvents) throws IOException {
        List<ReplayBatch.Position> candidates = new ArrayList<>();
        synchronized (this) {
            ensureOpen();
            for (SegmentFile s : segments) {
                for (int i = s.acked(); i < s.records() && candidates.size() < MAX_RECORDS_PER_READ; i++) {
                    candidates.add(new ReplayBatch.Position(s, i, s.offset(i)));
                }
                if (candidates.size() >= MAX_RECORDS_PER_READ) break;
            }
        }
        if (candidates.isEmpty()) return null;
        List<MarketEvent> events = new ArrayList<>();
        int[] flags = new int[64];
        List<ReplayBatch.Position> used = new ArrayList<>();
        FileChannel reader = null;
        SegmentFile readerOf = null;
        try {
            for (ReplayBatch.Position p : candidates) {
                if (readerOf != p.segment()) {
                    if (reader != null) reader.close();
                    reader = FileChannel.open(p.segment().path, StandardOpenOption.READ);
                    readerOf = p.segment();
                }
                readBuffer = p.segment().readPayloadAt(reader, p.offset(), readBuffer, config.maxRecordBytes());
                EventCodec.Decoded d = EventCodec.decodeWithFlags(readBuffer, p.segment().path + " offset "
                        + p.offset());
                int at = events.size(), n = d.events().size();
                if (at + n > flags.length) flags = Arrays.copyOf(flags, Math.max(at + n, 2 * flags.length));
                if (d.flags() != null) System.arraycopy(d.flags(), 0, flags, at, n);
                events.addAll(d.events());
                used.add(p);
                if (events.size() >= maxEvents) break;
            }
        } finally {
            if (reader != null) reader.close();
        }
        return new ReplayBatch(events, Arrays.copyOf(flags, events.size()), used);
    }

    /**
     * Acknowledges the batches of {@code batch} (written downstream): the cursor is rewritten durably and segments
     * whose batches are all acknowledged are deleted. Batches must be acknowledged in the order {@link #read}
     * returned them.
     *
     * @throws IllegalStateException when {@code batch} is not the oldest unacknowledged one
     */
    public synchronized void acknowledge(ReplayBatch batch) throws IOException {
        ensureOpen();
        ReplayBatch.Position last = null;
        for (ReplayBatch.Position p : batch.positions()) {
            if (p.segment().acked() != p.index() || !segments.contains(p.segment())) {
                throw new IllegalStateException("spill journal " + dir + ": batches acknowledged out of order");
            }
            p.segment().ackNext();
            metrics.acknowledged.incrementAndGet();
            last = p;
        }
        if (last == null) return;
        new AckCursor(last.segment().seq, last.offset() + 1).write(dir);
        boolean retired = false;
        while (!segments.isEmpty() && segments.peekFirst().pending() == 0
                && segments.peekFirst().records() > 0) {
            retire(segments.peekFirst());
            retired = true;
        }
        if (!retired) AckCursor.syncDirectory(dir); // makes the cursor's rename durable (retire syncs too)
        refreshGauges();
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
