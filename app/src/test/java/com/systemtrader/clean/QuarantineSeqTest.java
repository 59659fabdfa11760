package com.systemtrader.clean;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequence numbers and {@link Quarantine#slice}: a reader takes every record still held exactly once. */
class QuarantineSeqTest {
    static QuarantineRecord rec(int i) {
        return new QuarantineRecord("polygon", "stocks", "AAPL", "TRADE", "price_range", "r" + i, 1_000L + i, 0,
                new byte[] {(byte) i}, 1, false, null);
    }

    @Test void seqsAreConsecutiveAndSinceReturnsOnlyNewRecords() {
        Quarantine q = new Quarantine(10);
        assertThat(q.lastSeq()).isZero();
        assertThat(q.since(0, 100)).isEmpty();
        for (int i = 1; i <= 4; i++) q.add(rec(i));
        Quarantine.Slice s = q.slice(0, 100);
        assertThat(s.firstSeq()).isEqualTo(1);
        assertThat(s.records()).extracting(QuarantineRecord::reason).containsExactly("r1", "r2", "r3", "r4");
        assertThat(s.next()).isEqualTo(4).isEqualTo(q.lastSeq());
        assertThat(s.missed()).isZero();
        assertThat(q.since(s.next(), 100)).isEmpty();
        q.add(rec(5));
        assertThat(q.since(4, 100)).extracting(QuarantineRecord::reason).containsExactly("r5");
        // max bounds the slice, the seqs say where to go on
        Quarantine.Slice two = q.slice(1, 2);
        assertThat(two.records()).extracting(QuarantineRecord::reason).containsExactly("r2", "r3");
        assertThat(two.seq(1)).isEqualTo(3);
        assertThat(two.next()).isEqualTo(3);
        assertThat(q.recent(2)).extracting(QuarantineRecord::reason).containsExactly("r4", "r5");
    }

    @Test void recordsEvictedBeforeTheReadAreCountedAsMissed() {
        Quarantine q = new Quarantine(3);
        for (int i = 1; i <= 5; i++) q.add(rec(i));
        assertThat(q.evicted()).isEqualTo(2);
        assertThat(q.size()).isEqualTo(3);
        Quarantine.Slice s = q.slice(0, 100);
        assertThat(s.missed()).isEqualTo(2);
        assertThat(s.firstSeq()).isEqualTo(3);
        assertThat(s.records()).extracting(QuarantineRecord::reason).containsExactly("r3", "r4", "r5");
        assertThat(s.next()).isEqualTo(5);
        // a reader that had taken r1 missed only r2
        assertThat(q.slice(1, 100).missed()).isEqualTo(1);
        // max 0: nothing taken, but the evicted ones are passed over
        Quarantine.Slice none = q.slice(0, 0);
        assertThat(none.records()).isEmpty();
        assertThat(none.missed()).isEqualTo(2);
        assertThat(none.next()).isEqualTo(2);
    }

    @Test void theRingGrowsAndWrapsInOrder() {
        Quarantine q = new Quarantine(3_000);
        for (int i = 1; i <= 7_001; i++) q.add(rec(i));
        Quarantine.Slice s = q.slice(0, 10_000);
        assertThat(s.missed()).isEqualTo(4_001);
        assertThat(s.records()).hasSize(3_000);
        for (int i = 0; i < 3_000; i++) assertThat(s.records().get(i).reason()).isEqualTo("r" + s.seq(i));
        assertThat(q.recent(1).get(0).reason()).isEqualTo("r7001");
    }

    @Test void aConcurrentReaderTakesEachRecordOnceOrCountsItMissed() throws Exception {
        Quarantine q = new Quarantine(500);
        int n = 200_000;
        Thread adder = Thread.ofPlatform().start(() -> {
            for (int i = 1; i <= n; i++) q.add(rec(i));
        });
        List<String> taken = new ArrayList<>();
        long cursor = 0, missed = 0;
        while (adder.isAlive() || cursor < q.lastSeq()) {
            Quarantine.Slice s = q.slice(cursor, 64);
            for (int i = 0; i < s.records().size(); i++) {
                assertThat(s.records().get(i).reason()).isEqualTo("r" + s.seq(i));
            }
            taken.addAll(s.records().stream().map(QuarantineRecord::reason).toList());
            missed += s.missed();
            cursor = s.next();
        }
        adder.join();
        assertThat(taken.size() + missed).isEqualTo(n);
        assertThat(missed).isLessThanOrEqualTo(q.evicted());
        assertThat(taken).doesNotHaveDuplicates();
    }
}
