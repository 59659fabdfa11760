package com.systemtrader.bench;

import com.systemtrader.schema.MarketEvent;
import java.util.List;

/** The {@link EventStage}s of {@code bench-decode --stage}, by name. */
public final class BenchStages {
    /** Decoding only: events end in a sink that keeps the last one and sums their event times. */
    public static final String DECODE = "decode";
    /** Decoding and cleaning. */
    public static final String CLEAN = "clean";
    public static final List<String> NAMES = List.of(DECODE, CLEAN);

    private BenchStages() {}

    /**
     * A new stage (one per benchmark case: a stage may keep per-symbol state).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static EventStage create(String name) {
        return switch (name) {
            case DECODE -> new Sink();
            case CLEAN -> new CleanStage("bench", "replay");
            default -> throw new IllegalArgumentException("unknown stage '" + name + "' (one of " + NAMES + ")");
        };
    }

    /** The end of the decode-only pipeline: keeps the last event (it escapes, so it is really built). */
    static final class Sink implements EventStage {
        private MarketEvent last;
        private long sum;

        @Override public void onEvent(MarketEvent event) {
            last = event;
            sum += event.eventTimeNs();
        }

        @Override public long checksum() {
            return sum + (last == null ? 0 : last.symbol().hashCode());
        }
    }
}
