package com.systemtrader.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.ConnectionStatus;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one fan-out: what every sink gets, when, and what a failing sink costs the others. */
class SinkFanoutTest {
    /** Records what it is given; throws on every batch when {@code broken}. */
    static final class Recording implements EventSink {
        final String name;
        final Overflow overflow;
        final boolean broken;
        final List<EventBatch> batches = new ArrayList<>();
        final List<ConnectionStatus> statuses = new ArrayList<>();

        Recording(String name, Overflow overflow, boolean broken) {
            this.name = name;
            this.overflow = overflow;
            this.broken = broken;
        }

        @Override public String name() { return name; }
        @Override public Overflow overflow() { return overflow; }
        @Override public void accept(EventBatch batch) {
            if (broken) throw new IllegalStateException("broken sink");
            batches.add(batch);
        }
        @Override public void onStatus(ConnectionStatus status) { statuses.add(status); }
        @Override public long depth() { return 7; }
        @Override public long dropped() { return 3; }
    }

    private static Trade trade(int i) {
        return new Trade(DataSource.POLYGON, "AAPL", 1_000L + i, 2_000L + i, 100 + i, 10, 4, Integer.toString(i), 'C',
                Absent.LONG, Absent.INT, Absent.LONG, null);
    }

    @Test void blockingSinksGetEachFrameAndQueuedSinksTheWholeRunWithTheVerdicts() {
        SinkFanout fanout = new SinkFanout();
        Recording listeners = new Recording("listeners", Overflow.BLOCK, false);
        Recording storage = new Recording("storage", Overflow.SPILL, false);
        fanout.add(listeners);
        fanout.add(storage);
        fanout.offer(trade(1), 5);
        fanout.offer(trade(2), 9);
        assertThat(listeners.batches).as("nothing before the frame ends").isEmpty();
        fanout.endFrame();
        assertThat(listeners.batches).hasSize(1);
        assertThat(listeners.batches.get(0).events()).containsExactly(trade(1), trade(2));
        assertThat(listeners.batches.get(0).flags()).containsExactly(5, 9);
        assertThat(storage.batches).as("a queued sink waits for the run's end").isEmpty();
        fanout.offer(trade(3), 7);
        fanout.endFrame();
        fanout.flush();
        assertThat(listeners.batches).hasSize(2);
        assertThat(listeners.batches.get(1).events()).containsExactly(trade(3));
        assertThat(storage.batches).hasSize(1);
        assertThat(storage.batches.get(0).events()).containsExactly(trade(1), trade(2), trade(3));
        assertThat(storage.batches.get(0).flags()).containsExactly(5, 9, 7);
        fanout.flush();
        assertThat(storage.batches).as("an empty run hands nothing").hasSize(1);
    }

    @Test void eventsOfferedOutsideAFrameReachTheBlockingSinksAtTheRunsEnd() {
        SinkFanout fanout = new SinkFanout();
        Recording listeners = new Recording("listeners", Overflow.BLOCK, false);
        fanout.add(listeners);
        fanout.offer(trade(1), 0); // a bar a timer published
        fanout.flush();
        assertThat(listeners.batches).hasSize(1);
        assertThat(listeners.batches.get(0).events()).containsExactly(trade(1));
    }

    @Test void aFullBatchGoesOutWithoutWaitingForTheFrameOrTheRunToEnd() {
        SinkFanout fanout = new SinkFanout();
        Recording listeners = new Recording("listeners", Overflow.BLOCK, false);
        Recording redis = new Recording("redis", Overflow.CONFLATE, false);
        fanout.add(listeners);
        fanout.add(redis);
        for (int i = 0; i < SinkFanout.MAX_BATCH + 1; i++) fanout.offer(trade(i), 0);
        assertThat(listeners.batches).as("in slices").hasSize(SinkFanout.MAX_BATCH / SinkFanout.BLOCK_SLICE);
        assertThat(redis.batches).hasSize(1);
        assertThat(redis.batches.get(0).size()).isEqualTo(SinkFanout.MAX_BATCH);
        fanout.endFrame();
        fanout.flush();
        assertThat(listeners.batches.getLast().events()).containsExactly(trade(SinkFanout.MAX_BATCH));
        assertThat(redis.batches.get(1).events()).containsExactly(trade(SinkFanout.MAX_BATCH));
    }

    @Test void aLongFrameReachesTheBlockingSinksInSlicesAsItIsCleanedWithTheVerdicts() {
        SinkFanout fanout = new SinkFanout();
        Recording listeners = new Recording("listeners", Overflow.BLOCK, false);
        Recording storage = new Recording("storage", Overflow.SPILL, false);
        fanout.add(listeners);
        fanout.add(storage);
        int n = SinkFanout.BLOCK_SLICE * 2 + 3;
        for (int i = 0; i < n; i++) {
            fanout.offer(trade(i), i);
            assertThat(listeners.batches).as("after event %d", i).hasSize((i + 1) / SinkFanout.BLOCK_SLICE);
        }
        fanout.endFrame();
        assertThat(listeners.batches).extracting(EventBatch::size)
                .containsExactly(SinkFanout.BLOCK_SLICE, SinkFanout.BLOCK_SLICE, 3);
        List<MarketEvent> seen = new ArrayList<>();
        List<Integer> verdicts = new ArrayList<>();
        for (EventBatch b : listeners.batches) {
            seen.addAll(b.events());
            for (int i = 0; i < b.size(); i++) verdicts.add(b.flags(i));
        }
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).isEqualTo(trade(i));
            assertThat(verdicts.get(i)).isEqualTo(i);
        }
        assertThat(storage.batches).as("a queued sink still waits for the run's end").isEmpty();
        fanout.flush();
        assertThat(listeners.batches).as("nothing twice").hasSize(3);
        assertThat(storage.batches).hasSize(1);
        assertThat(storage.batches.get(0).size()).isEqualTo(n);
    }

    @Test void aSinkThatThrowsIsCountedAndTheOthersStillGetTheBatch() {
        SinkFanout fanout = new SinkFanout();
        Recording broken = new Recording("broken", Overflow.BLOCK, true);
        Recording after = new Recording("after", Overflow.BLOCK, false);
        fanout.add(broken);
        fanout.add(after);
        fanout.offer(trade(1), 0);
        fanout.endFrame();
        assertThat(after.batches).hasSize(1);
        assertThat(fanout.errors()).isEqualTo(1);
    }

    @Test void statusChangesReachEverySink() {
        SinkFanout fanout = new SinkFanout();
        Recording a = new Recording("a", Overflow.BLOCK, false);
        fanout.add(a);
        ConnectionStatus s = new ConnectionStatus(DataSource.POLYGON, "stocks", ConnectionStatus.State.STREAMING,
                "streaming", 1L);
        fanout.status(s);
        assertThat(a.statuses).containsExactly(s);
    }

    @Test void eachSinkHasItsDepthDropsAndCountsTaggedWithItsOverflowPolicy() {
        SinkFanout fanout = new SinkFanout();
        fanout.add(new Recording("early", Overflow.CONFLATE, false));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        fanout.bindTo(registry, Tags.of("feed", "stocks"));
        fanout.add(new Recording("late", Overflow.SPILL, false));
        fanout.offer(trade(1), 0);
        fanout.flush();
        for (String[] s : new String[][] {{"early", "conflate"}, {"late", "spill"}}) {
            Tags t = Tags.of("feed", "stocks", "sink", s[0], "overflow", s[1]);
            assertThat(registry.get("sink.depth").tags(t).gauge().value()).isEqualTo(7);
            assertThat(registry.get("sink.dropped").tags(t).functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("sink.batches").tags(t).functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("sink.events").tags(t).functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("sink.errors").tags(t).functionCounter().count()).isZero();
        }
    }

    @Test void aBatchIsImmutableAndSharedSafely() {
        List<MarketEvent> events = new ArrayList<>(List.of(trade(1)));
        int[] flags = {4};
        EventBatch batch = new EventBatch(events, flags);
        events.add(trade(2));
        flags[0] = 0;
        assertThat(batch.events()).containsExactly(trade(1));
        assertThat(batch.flags(0)).isEqualTo(4);
        batch.flags()[0] = 1;
        assertThat(batch.flags(0)).isEqualTo(4);
    }
}
