package com.systemtrader.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The measured runs of one benchmark case (feed and stage) and their summary: medians over runs, with minimum and
 * maximum, so that one run disturbed by another process on a shared machine does not move the figure.
 *
 * @param messagesPerPass events in one pass over the recording
 */
public record CaseResult(RecordedFeed feed, String stage, int frames, long recordingBytes, long messagesPerPass,
                         List<ReplayRun> runs, long checksum) {
    public CaseResult {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) throw new IllegalArgumentException("a case needs at least one run");
    }

    public double medianMessagesPerSecond() { return median(ReplayRun::messagesPerSecond); }

    public double minMessagesPerSecond() { return sorted(ReplayRun::messagesPerSecond)[0]; }

    public double maxMessagesPerSecond() { return sorted(ReplayRun::messagesPerSecond)[runs.size() - 1]; }

    /** Median over runs of messages per CPU-second of the decoding thread (NaN when not measured). */
    public double medianMessagesPerCpuSecond() { return median(ReplayRun::messagesPerCpuSecond); }

    public double medianFramesPerSecond() { return median(ReplayRun::framesPerSecond); }

    public double medianBytesPerMessage() { return median(ReplayRun::bytesPerMessage); }

    public double minBytesPerMessage() { return sorted(ReplayRun::bytesPerMessage)[0]; }

    public double maxBytesPerMessage() { return sorted(ReplayRun::bytesPerMessage)[runs.size() - 1]; }

    public double messagesPerFrame() { return frames == 0 ? 0 : (double) messagesPerPass / frames; }

    public double bytesPerFrame() { return frames == 0 ? 0 : (double) recordingBytes / frames; }

    public long errors() { return runs.stream().mapToLong(ReplayRun::errors).sum(); }

    public long others() { return runs.stream().mapToLong(ReplayRun::others).sum(); }

    public long gcCount() { return runs.stream().mapToLong(ReplayRun::gcCount).sum(); }

    public long gcMillis() { return runs.stream().mapToLong(ReplayRun::gcMillis).sum(); }

    private double median(ToDoubleFunction<ReplayRun> f) {
        double[] v = sorted(f);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private double[] sorted(ToDoubleFunction<ReplayRun> f) {
        double[] v = runs.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v;
    }
}
