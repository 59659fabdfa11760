package com.systemtrader.storage.journal;

import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: appends of 1,000-trade batches with a force per batch, then a replay (one atomic
 * cursor rewrite per acknowledged batch), then reopening a full journal. Run with
 * {@code mvn test -Dtest=JournalThroughputMeasurement -Djournal.measure=true [-Djournal.measure.dir=/path]}.
 */
@EnabledIfSystemProperty(named = "journal.measure", matches = "true")
class JournalThroughputMeasurement {
    @TempDir Path tmp;

    @Test void appendsAndReplayOfThousandTradeBatches() throws Exception {
        Path dir = System.getProperty("journal.measure.dir") != null
                ? Path.of(System.getProperty("journal.measure.dir")).resolve("journal-" + System.nanoTime())
                : tmp.resolve("journal");
        int batches = Integer.getInteger("journal.measure.batches", 3000);
        int batchSize = Integer.getInteger("journal.measure.batchSize", 1000);
        List<List<Trade>> pool = new ArrayList<>();
        for (int i = 0; i < 16; i++) pool.add(JournalEvents.trades(i * 1000L, batchSize));
        JournalConfig cfg = JournalConfig.defaults();
        try (SpillJournal j = SpillJournal.open(dir, cfg)) {
            for (int i = 0; i < 200; i++) j.append(pool.get(i % pool.size())); // warm-up
            j.replay(b -> true);
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) j.append(pool.get(i % pool.size()));
            long appendNs = System.nanoTime() - t0;
            long bytes = j.bytesUsed();
            report("append+force, " + batchSize + " trades/batch", batches, bytes, appendNs);
        }
        long t1 = System.nanoTime();
        SpillJournal reopened = SpillJournal.open(dir, cfg);
        long openNs = System.nanoTime() - t1;
        long bytes = reopened.bytesUsed();
        report("open (scan+CRC of every segment)", batches, bytes, openNs);
        System.out.println("JOURNAL-MEASURE segments " + reopened.segments() + ", " + batchSize + " trades/batch");
        long[] events = {0};
        long t2 = System.nanoTime();
        reopened.replay((List<MarketEvent> b) -> { events[0] += b.size(); return true; });
        long replayNs = System.nanoTime() - t2;
        report("replay (decode + cursor fsync per batch)", batches, bytes, replayNs);
        reopened.close();
    }

    /** Worst case of recovery: damage at the start of a full 64 MiB segment, so the reader resynchronises. */
    @Test void resynchronisingAcrossAFullSegment() throws Exception {
        Path dir = tmp.resolve("resync");
        JournalConfig cfg = JournalConfig.defaults();
        try (SpillJournal j = SpillJournal.open(dir, cfg)) {
            for (int i = 0; i < 790; i++) j.append(JournalEvents.trades(i * 1000L, 1000));
            System.out.println("JOURNAL-MEASURE segments " + j.segments() + " bytes " + j.bytesUsed());
        }
        Path first = SpillJournalTest.segmentFiles(dir).getFirst();
        SpillJournalTest.flipByte(first, SegmentFile.HEADER_BYTES + 100);
        long t = System.nanoTime();
        try (SpillJournal j = SpillJournal.open(dir, cfg)) {
            long ns = System.nanoTime() - t;
            System.out.println("JOURNAL-MEASURE resync open " + ns / 1e6 + " ms, damage " + j.damageFoundAtOpen()
                    + ", pending " + j.batchesPending());
        }
    }

    private void report(String what, int batches, long bytes, long ns) {
        int batchSize = Integer.getInteger("journal.measure.batchSize", 1000);
        double s = ns / 1e9;
        System.out.printf("JOURNAL-MEASURE %-42s %6d batches  %8.1f MB  %7.3f s  %9.0f batches/s  %8.1f MB/s  %,12.0f trades/s%n",
                what, batches, bytes / 1e6, s, batches / s, bytes / 1e6 / s, batches * (double) batchSize / s);
    }
}
