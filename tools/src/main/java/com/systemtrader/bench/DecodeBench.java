package com.systemtrader.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The decode benchmark on one thread: for every case a {@link FrameReplay} with a fresh {@link EventStage}; each
 * case is warmed up for {@code warmupMillis}, then the timed runs go round-robin over the cases (run 1 of every
 * case, then run 2, ...), so that a slow period on a shared machine is spread over all cases instead of hitting
 * one.
 */
public final class DecodeBench {
    /**
     * @param warmupMillis untimed replay per case before the runs
     * @param runs         timed runs per case
     * @param runMillis    length of one run
     */
    public record Settings(long warmupMillis, int runs, long runMillis) {
        public Settings {
            if (warmupMillis < 0 || runs < 1 || runMillis < 1) {
                throw new IllegalArgumentException("warm-up must not be negative; runs and run length must be positive");
            }
        }
    }

    /** Progress, for a command to print. */
    public interface Listener {
        void onRun(RecordedFeed feed, int run, ReplayRun result);
    }

    private DecodeBench() {}

    /** Runs every recording through the named stage ({@link BenchStages#create}) and returns results in input order. */
    public static List<CaseResult> run(List<FrameRecording> recordings, String stageName, Settings settings,
                                       Listener listener) {
        Map<FrameRecording, FrameReplay> replays = new LinkedHashMap<>();
        Map<FrameRecording, Long> perPass = new LinkedHashMap<>();
        for (FrameRecording r : recordings) {
            FrameReplay replay = new FrameReplay(r, BenchStages.create(stageName));
            replays.put(r, replay);
            perPass.put(r, replay.messagesPerPass());
        }
        for (FrameReplay replay : replays.values()) {
            if (settings.warmupMillis() > 0) replay.run(TimeUnit.MILLISECONDS.toNanos(settings.warmupMillis()));
        }
        Map<FrameRecording, List<ReplayRun>> runs = new LinkedHashMap<>();
        for (int i = 1; i <= settings.runs(); i++) {
            for (Map.Entry<FrameRecording, FrameReplay> e : replays.entrySet()) {
                ReplayRun run = e.getValue().run(TimeUnit.MILLISECONDS.toNanos(settings.runMillis()));
                runs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(run);
                if (listener != null) listener.onRun(e.getKey().feed(), i, run);
            }
        }
        List<CaseResult> out = new ArrayList<>();
        for (FrameRecording r : recordings) {
            out.add(new CaseResult(r.feed(), stageName, r.frames().size(), r.bytes(), perPass.get(r), runs.get(r),
                    replays.get(r).checksum()));
        }
        return out;
    }
}
