package com.systemtrader.storage.journal;

import static com.systemtrader.storage.journal.SpillJournalTest.batches;
import static com.systemtrader.storage.journal.SpillJournalTest.drain;
import static com.systemtrader.storage.journal.SpillJournalTest.flipByte;
import static com.systemtrader.storage.journal.SpillJournalTest.segmentFiles;
import static com.systemtrader.storage.journal.SpillJournalTest.truncate;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.MarketEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes and damage: torn tails, flipped bytes, bad headers, crashes between acknowledgement and deletion. */
class JournalDamageTest {
    @TempDir Path tmp;

    private static final JournalConfig CFG = JournalConfig.defaults().withSegmentBytes(1024);

    private static List<Long> recordOffsets(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> offsets = new ArrayList<>();
        for (int p = SegmentFile.HEADER_BYTES; p < b.limit(); p += RecordFrame.HEADER_BYTES + b.getInt(p)) offsets.add((long) p);
        return offsets;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteDir(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
        }
    }

    /** Appends {@code written} to the journal in {@code tmp/journal} (in one session) and returns its directory. */
    private Path journalWith(List<List<MarketEvent>> written) throws IOException {
        Path dir = tmp.resolve("journal");
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            for (List<MarketEvent> b : written) j.append(b);
        }
        return dir;
    }

    @Test void aTornLastRecordIsTruncatedAtEveryByteOffsetAndEveryCompleteBatchIsReplayed() throws Exception {
        List<Integer> recordsInLastSegment = new ArrayList<>();
        for (boolean alone : new boolean[] {true, false}) { // the last record alone in its segment, or after others
            int count = 5;
            List<List<MarketEvent>> written = new ArrayList<>(batches(count - 1, 3));
            written.add(List.of(JournalEvents.trade(99))); // a short last record keeps the loop quick
            Path template;
            if (alone) {
                journalWith(written.subList(0, count - 1));
                template = journalWith(written.subList(count - 1, count)); // a reopen starts a new segment
            } else {
                template = journalWith(written);
            }
            List<Path> files = segmentFiles(template);
            Path last = files.getLast();
            long end = Files.size(last);
            List<Long> offsets = recordOffsets(last);
            long lastStart = offsets.getLast();
            recordsInLastSegment.add(offsets.size());
            long from = offsets.size() == 1 ? 0 : lastStart; // alone: also tear the segment header
            for (long cut = from; cut <= end; cut++) {
                Path dir = tmp.resolve("cut");
                deleteDir(dir);
                copyDir(template, dir);
                truncate(dir.resolve(last.getFileName()), cut);
                boolean complete = cut == end;
                try (SpillJournal j = SpillJournal.open(dir, CFG)) {
                    assertThat(j.tornTailsTruncated()).as("cut at %d", cut).isEqualTo(complete || cut == lastStart ? 0 : 1);
                    assertThat(j.corruptSegments()).isZero();
                    assertThat(j.damageFoundAtOpen()).allMatch(JournalDamage::tornTail);
                    Path cutFile = dir.resolve(last.getFileName());
                    if (offsets.size() > 1 && !complete) assertThat(Files.size(cutFile)).isEqualTo(lastStart);
                    List<List<MarketEvent>> got = drain(j);
                    assertThat(got).as("cut at %d", cut).containsExactlyElementsOf(complete ? written : written.subList(0, count - 1));
                    j.append(written.getFirst()); // the journal is usable after recovery
                }
                if (cut % 5 == 0) {
                    try (SpillJournal j = SpillJournal.open(dir, CFG)) {
                        assertThat(drain(j)).containsExactly(written.getFirst());
                    }
                }
                assertThat(dir.resolve(SpillJournal.CORRUPT_DIR)).doesNotExist();
            }
            deleteDir(template);
        }
        assertThat(recordsInLastSegment).contains(1).anyMatch(n -> n > 1);
    }

    private void assertMovedAside(Path dir, Path damaged, long sizeBefore) throws IOException {
        Path moved = dir.resolve(SpillJournal.CORRUPT_DIR).resolve(damaged.getFileName());
        assertThat(moved).exists();
        assertThat(Files.size(moved)).isEqualTo(sizeBefore);
        assertThat(damaged).doesNotExist();
        assertThat(segmentFiles(dir)).isEmpty();
    }

    @Test void aFlippedPayloadByteInTheMiddleLosesOnlyThatBatchAndTheSegmentIsMovedAside() throws Exception {
        List<List<MarketEvent>> written = batches(12, 3);
        Path dir = journalWith(written);
        List<Path> files = segmentFiles(dir);
        assertThat(files.size()).isGreaterThanOrEqualTo(3);
        Path middle = files.get(1);
        List<Long> offsets = recordOffsets(middle);
        assertThat(offsets.size()).isGreaterThanOrEqualTo(3);
        long bad = offsets.get(1);
        flipByte(middle, bad + RecordFrame.HEADER_BYTES + 20);
        long size = Files.size(middle);
        int lostIndex = recordOffsets(files.get(0)).size() + 1;

        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            assertThat(j.damageFoundAtOpen()).containsExactly(new JournalDamage(middle, bad, offsets.get(2) - bad, "CRC mismatch", false));
            assertThat(j.damageFoundAtOpen().getFirst().toString())
                    .isEqualTo("corruption in " + middle + " at offset " + bad + " (CRC mismatch, " + (offsets.get(2) - bad) + " bytes skipped)");
            assertThat(j.corruptSegments()).isEqualTo(1);
            assertThat(j.tornTailsTruncated()).isZero();
            assertThat(j.batchesPending()).isEqualTo(11);
            List<List<MarketEvent>> expected = new ArrayList<>(written);
            expected.remove(lostIndex);
            assertThat(drain(j)).containsExactlyElementsOf(expected);
        }
        assertMovedAside(dir, middle, size);
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            assertThat(j.corruptSegments()).isZero(); // files in corrupt/ are not scanned again
            assertThat(j.batchesPending()).isZero();
        }
    }

    @Test void aDamagedLengthIsSkippedByResynchronisingOnTheNextValidRecord() throws Exception {
        List<List<MarketEvent>> written = batches(12, 3);
        Path dir = journalWith(written);
        Path middle = segmentFiles(dir).get(1);
        List<Long> offsets = recordOffsets(middle);
        flipByte(middle, offsets.getFirst()); // most significant length byte: an implausible length
        int lostIndex = recordOffsets(segmentFiles(dir).getFirst()).size();
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            JournalDamage d = j.damageFoundAtOpen().getFirst();
            assertThat(d.offset()).isEqualTo(offsets.getFirst());
            assertThat(d.skippedBytes()).isEqualTo(offsets.get(1) - offsets.getFirst());
            assertThat(d.reason()).startsWith("implausible record length");
            List<List<MarketEvent>> expected = new ArrayList<>(written);
            expected.remove(lostIndex);
            assertThat(drain(j)).containsExactlyElementsOf(expected);
        }
        assertThat(dir.resolve(SpillJournal.CORRUPT_DIR).resolve(middle.getFileName())).exists();
    }

    @Test void damageInsideTheLastSegmentFollowedByValidRecordsIsCorruptionNotATornTail() throws Exception {
        List<List<MarketEvent>> written = batches(11, 3);
        Path dir = journalWith(written);
        Path last = segmentFiles(dir).getLast();
        List<Long> offsets = recordOffsets(last);
        assertThat(offsets).hasSizeGreaterThanOrEqualTo(2);
        flipByte(last, offsets.getFirst() + 5); // inside the stored CRC
        long size = Files.size(last);
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            assertThat(j.tornTailsTruncated()).isZero();
            assertThat(j.corruptSegments()).isEqualTo(1);
            assertThat(Files.size(last)).isEqualTo(size); // nothing truncated
            assertThat(drain(j)).hasSize(10);
        }
        assertMovedAside(dir, last, size);
    }

    @Test void aSegmentWithABadHeaderIsMovedAsideWholeAndTheOthersReplayed() throws Exception {
        List<List<MarketEvent>> written = batches(12, 3);
        Path dir = journalWith(written);
        List<Path> files = segmentFiles(dir);
        Path middle = files.get(1);
        int before = recordOffsets(files.getFirst()).size();
        int inMiddle = recordOffsets(middle).size();
        flipByte(middle, 0);
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            assertThat(j.damageFoundAtOpen().getFirst().reason()).isEqualTo("not a journal segment (bad magic)");
            assertThat(j.corruptSegments()).isEqualTo(1);
            List<List<MarketEvent>> expected = new ArrayList<>(written.subList(0, before));
            expected.addAll(written.subList(before + inMiddle, written.size()));
            assertThat(drain(j)).containsExactlyElementsOf(expected);
        }
        assertThat(dir.resolve(SpillJournal.CORRUPT_DIR).resolve(middle.getFileName())).exists();
    }

    @Test void aCrashBetweenAcknowledgementAndDeletionDoesNotReplayTheSegmentAgain() throws Exception {
        List<List<MarketEvent>> written = batches(12, 3);
        Path dir = journalWith(written);
        Path first = segmentFiles(dir).getFirst();
        Path backup = tmp.resolve("backup.log");
        Files.copy(first, backup);
        int inFirst = recordOffsets(first).size();
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            List<List<MarketEvent>> got = new ArrayList<>();
            j.replay(b -> got.size() < inFirst + 1 && got.add(b));
            assertThat(first).doesNotExist();
        }
        Files.copy(backup, first); // as if the process died after the cursor was written, before the delete
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            assertThat(first).doesNotExist();
            assertThat(drain(j)).containsExactlyElementsOf(written.subList(inFirst + 1, written.size()));
        }
    }

    @Test void aCrashMidReplayRepeatsFromTheFirstUnacknowledgedBatch() throws Exception {
        List<List<MarketEvent>> written = batches(12, 3);
        Path dir = journalWith(written);
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            List<List<MarketEvent>> got = new ArrayList<>();
            try {
                j.replay(b -> {
                    if (got.size() == 7) throw new IllegalStateException("killed");
                    return got.add(b);
                });
            } catch (IllegalStateException expected) {
                // the process "dies" while batch 8 is being written
            }
        }
        try (SpillJournal j = SpillJournal.open(dir, CFG)) {
            assertThat(drain(j)).containsExactlyElementsOf(written.subList(7, 12));
        }
    }
}
