package com.systemtrader.storage.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.schema.MarketEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillJournalTest {
    @TempDir Path dir;

    private static final JournalConfig SMALL_SEGMENTS = JournalConfig.defaults().withSegmentBytes(4096);

    /** Replays everything, acknowledging each batch. */
    static List<List<MarketEvent>> drain(SpillJournal j) throws Exception {
        List<List<MarketEvent>> got = new ArrayList<>();
        ReplayResult r = j.replay(b -> got.add(b));
        assertThat(r.complete()).isTrue();
        assertThat(r.pending()).isZero();
        return got;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> SegmentFile.seqOf(p.getFileName().toString()) >= 0).sorted().toList();
        }
    }

    static List<List<MarketEvent>> batches(int count, int size) {
        List<List<MarketEvent>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) all.add(List.copyOf(JournalEvents.trades((long) i * 1000, size + i % 3)));
        return all;
    }

    @Test void everyEventTypeSurvivesTheJournal() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, JournalConfig.defaults())) {
            j.append(JournalEvents.everyType());
            j.append(List.of());
            assertThat(j.batchesPending()).isEqualTo(1);
            assertThat(drain(j)).containsExactly(JournalEvents.everyType());
        }
    }

    @Test void batchesComeBackInAppendOrderAcrossSegmentsAndAcknowledgementDeletesThem() throws Exception {
        List<List<MarketEvent>> written = batches(60, 5);
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            for (List<MarketEvent> b : written) j.append(b);
            assertThat(j.segments()).isGreaterThan(3);
            assertThat(segmentFiles(dir)).hasSize((int) j.segments());
            assertThat(j.batchesPending()).isEqualTo(60);
            assertThat(j.appends()).isEqualTo(60);
            long onDisk = 0;
            for (Path p : segmentFiles(dir)) onDisk += Files.size(p);
            assertThat(j.bytesUsed()).isEqualTo(onDisk);
            for (Path p : segmentFiles(dir)) assertThat(Files.size(p)).isLessThanOrEqualTo(4096);

            assertThat(drain(j)).containsExactlyElementsOf(written);
            assertThat(segmentFiles(dir)).isEmpty();
            assertThat(j.segments()).isZero();
            assertThat(j.bytesUsed()).isZero();
            assertThat(j.batchesAcknowledged()).isEqualTo(60);

            j.append(written.get(0)); // appending after a full drain starts a new segment
            assertThat(drain(j)).containsExactly(List.copyOf(written.get(0)));
        }
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            assertThat(j.batchesPending()).isZero();
            assertThat(drain(j)).isEmpty();
        }
    }

    @Test void segmentsAreDeletedOnlyWhenAllTheirBatchesAreAcknowledged() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            for (List<MarketEvent> b : batches(40, 5)) j.append(b);
            List<Path> before = segmentFiles(dir);
            int[] n = {0};
            // acknowledge batches until the first segment is gone, then refuse
            ReplayResult r = j.replay(b -> Files.exists(before.get(0)) && ++n[0] > 0);
            assertThat(r.complete()).isFalse();
            assertThat(segmentFiles(dir)).isEqualTo(before.subList(1, before.size()));
            assertThat(r.pending()).isEqualTo(40 - r.acknowledged());
        }
    }

    @Test void reopeningReplaysOnlyWhatWasNotAcknowledged() throws Exception {
        List<List<MarketEvent>> written = batches(30, 4);
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            for (List<MarketEvent> b : written) j.append(b);
            List<List<MarketEvent>> got = new ArrayList<>();
            ReplayResult r = j.replay(b -> got.size() < 11 && got.add(b));
            assertThat(r).isEqualTo(new ReplayResult(11, 19, false));
        }
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            assertThat(j.batchesPending()).isEqualTo(19);
            // a sink failure (database gone again) leaves the batch unacknowledged; the exception propagates
            assertThatThrownBy(() -> j.replay(b -> { throw new IOException("db down"); })).hasMessage("db down");
            assertThat(j.batchesPending()).isEqualTo(19);
        }
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            assertThat(drain(j)).containsExactlyElementsOf(written.subList(11, 30));
        }
    }

    @Test void appendsAfterAReopenFollowTheOldBatches() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            j.append(JournalEvents.trades(1, 3));
        }
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            j.append(JournalEvents.trades(2, 3));
            assertThat(drain(j)).containsExactly(List.copyOf(JournalEvents.trades(1, 3)), List.copyOf(JournalEvents.trades(2, 3)));
        }
    }

    @Test void aDamagedCursorMeansEverythingIsReplayedAgain() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            for (List<MarketEvent> b : batches(5, 2)) j.append(b);
            j.replay(b -> false);
            int[] n = {0};
            j.replay(b -> ++n[0] <= 2);
        }
        Files.write(dir.resolve(AckCursor.FILE), new byte[] {1, 2, 3});
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            assertThat(drain(j)).hasSize(5);
        }
    }

    @Test void theDiskBudgetRefusesAppendsWithAPreciseErrorAndWritesNothing() throws Exception {
        JournalConfig cfg = new JournalConfig(4096, 8192, 1 << 20);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SpillJournal j = SpillJournal.open(dir, cfg, registry)) {
            int accepted = 0;
            JournalFullException full = null;
            while (full == null) {
                try {
                    j.append(JournalEvents.trades(accepted, 5));
                    accepted++;
                } catch (JournalFullException e) {
                    full = e;
                }
            }
            long used = j.bytesUsed();
            assertThat(used).isLessThanOrEqualTo(8192);
            assertThat(full.getMessage()).isEqualTo("spill journal " + dir + " is full: disk budget 8192 bytes, "
                    + used + " bytes used, the batch needs " + full.neededBytes() + " more bytes");
            assertThat(used + full.neededBytes()).isGreaterThan(8192);
            assertThat(full.directory()).isEqualTo(dir);
            assertThat(j.appendsRejectedFull()).isEqualTo(1);
            assertThat(registry.get("storage.journal.append.failures").tag("reason", "budget").functionCounter().count())
                    .isEqualTo(1.0);
            long onDisk = 0;
            for (Path p : segmentFiles(dir)) onDisk += Files.size(p);
            assertThat(onDisk).isEqualTo(used);
            assertThat(j.batchesPending()).isEqualTo(accepted);

            assertThatThrownBy(() -> j.append(JournalEvents.trades(0, 5))).isInstanceOf(JournalFullException.class);
            assertThat(j.appendsRejectedFull()).isEqualTo(2);

            assertThat(drain(j)).hasSize(accepted); // a replay frees the budget
            j.append(JournalEvents.trades(0, 5));
            assertThat(j.batchesPending()).isEqualTo(1);
        }
        assertThat(registry.find("storage.journal.appends").meters()).isEmpty(); // unregistered on close
    }

    @Test void metersAreRegisteredWhenARegistryIsGiven() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS, registry)) {
            for (List<MarketEvent> b : batches(3, 2)) j.append(b);
            assertThat(registry.get("storage.journal.appends").functionCounter().count()).isEqualTo(3.0);
            assertThat(registry.get("storage.journal.batches.pending").gauge().value()).isEqualTo(3.0);
            assertThat(registry.get("storage.journal.bytes.used").gauge().value()).isEqualTo((double) j.bytesUsed());
            assertThat(registry.get("storage.journal.segments").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("storage.journal.budget.bytes").gauge().value()).isEqualTo((double) SMALL_SEGMENTS.diskBudgetBytes());
            drain(j);
            assertThat(registry.get("storage.journal.batches.acknowledged").functionCounter().count()).isEqualTo(3.0);
            assertThat(registry.get("storage.journal.batches.pending").gauge().value()).isZero();
            assertThat(registry.get("storage.journal.torn.tails").functionCounter().count()).isZero();
            assertThat(registry.get("storage.journal.corrupt.segments").functionCounter().count()).isZero();
        }
    }

    @Test void anOversizedBatchIsRefusedBeforeAnythingIsWritten() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, new JournalConfig(4096, 1 << 20, 1000))) {
            assertThatThrownBy(() -> j.append(JournalEvents.trades(0, 100)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above maxRecordBytes 1000");
            assertThat(j.appendErrors()).isEqualTo(1);
            assertThat(segmentFiles(dir)).isEmpty();
        }
    }

    @Test void oneProcessPerDirectoryAndNoUseAfterClose() throws Exception {
        SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS);
        assertThatThrownBy(() -> SpillJournal.open(dir, SMALL_SEGMENTS)).isInstanceOf(IOException.class)
                .hasMessageContaining("is already open");
        j.close();
        assertThatThrownBy(() -> j.append(JournalEvents.trades(0, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        SpillJournal.open(dir, SMALL_SEGMENTS).close();
    }

    @Test void anAppendFromAnotherThreadGoesThroughDuringAReplayAndLandsBehindIt() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            j.append(JournalEvents.trades(0, 2));
            CountDownLatch inSink = new CountDownLatch(1);
            CountDownLatch appended = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                try {
                    inSink.await();
                    j.append(JournalEvents.trades(10, 2));
                    appended.countDown();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            List<List<MarketEvent>> got = new ArrayList<>();
            AtomicBoolean appendedWhileInSink = new AtomicBoolean();
            j.replay(b -> {
                assertThatThrownBy(() -> j.append(b)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("a replay sink must not append");
                if (got.isEmpty()) {
                    inSink.countDown();
                    // the sink holds the replay here; the other thread's append must not wait for it
                    appendedWhileInSink.set(appended.await(30, TimeUnit.SECONDS));
                }
                return got.add(b);
            });
            writer.join(5000);
            assertThat(appendedWhileInSink).as("append during a replay did not wait").isTrue();
            assertThat(got).containsExactly(List.copyOf(JournalEvents.trades(0, 2)),
                    List.copyOf(JournalEvents.trades(10, 2)));
            assertThat(j.batchesPending()).isZero();
        }
    }

    @Test void readJoinsBatchesAndNothingIsAcknowledgedUntilAcknowledge() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            for (int i = 0; i < 5; i++) j.append(JournalEvents.trades(10 * i, 3));
            ReplayBatch first = j.read(7);
            assertThat(first.batches()).as("whole batches until at least 7 events").isEqualTo(3);
            assertThat(first.events()).hasSize(9).first().isEqualTo(JournalEvents.trades(0, 3).get(0));
            assertThat(j.read(7).events()).as("unacknowledged: read again").isEqualTo(first.events());
            j.acknowledge(first);
            assertThat(j.batchesPending()).isEqualTo(2);
            ReplayBatch rest = j.read(1_000);
            assertThat(rest.batches()).isEqualTo(2);
            assertThat(rest.events()).hasSize(6).first().isEqualTo(JournalEvents.trades(30, 3).get(0));
            assertThatThrownBy(() -> j.acknowledge(first)).isInstanceOf(IllegalStateException.class);
            j.acknowledge(rest);
            assertThat(j.batchesPending()).isZero();
            assertThat(j.read(1)).isNull();
        }
        try (SpillJournal reopened = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            assertThat(reopened.batchesPending()).as("acknowledgements are durable").isZero();
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    @Test void verdictsSurviveAppendReopenAndReplay() throws Exception {
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            j.append(JournalEvents.trades(0, 3), new int[] {0x1F, 0x11F, 1 << 30});
            j.append(JournalEvents.trades(10, 2)); // no verdicts: zeros
        }
        List<int[]> flags = new ArrayList<>();
        try (SpillJournal j = SpillJournal.open(dir, SMALL_SEGMENTS)) {
            ReplayResult r = j.replay(new JournalSink() {
                @Override public boolean write(List<MarketEvent> batch) { throw new AssertionError("flags expected"); }

                @Override public boolean write(List<MarketEvent> batch, int[] f) {
                    assertThat(f).hasSize(batch.size());
                    return flags.add(f);
                }
            });
            assertThat(r.acknowledged()).isEqualTo(2);
        }
        assertThat(flags.get(0)).containsExactly(0x1F, 0x11F, 1 << 30);
        assertThat(flags.get(1)).containsExactly(0, 0);
    }
}
