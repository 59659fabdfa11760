package com.systemtrader.bench;

import com.systemtrader.codec.ControlMessage;
import com.systemtrader.codec.FrameHandler;
import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.collector.FeedProtocol;
import com.systemtrader.schema.MarketEvent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Replays one recording through the collector's {@link FeedProtocol#decode} on the calling thread, handing every
 * event to an {@link EventStage}. Frames are decoded in recording order, wrapping around to the first frame (and
 * calling {@link EventStage#onReplayStart}) as often as a run's duration needs. Not thread-safe; one per case.
 */
public final class FrameReplay implements FrameHandler {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final List<GarbageCollectorMXBean> GCS = ManagementFactory.getGarbageCollectorMXBeans();

    private final FrameRecording recording;
    private final RecordedFrame[] frames;
    private final FeedProtocol protocol;
    private final EventStage stage;
    private long messages;
    private long others;
    private int next;

    public FrameReplay(FrameRecording recording, EventStage stage) {
        if (recording.frames().isEmpty()) throw new IllegalArgumentException(recording.feed().caseName()
                + ": the recording has no frames");
        this.recording = recording;
        this.frames = recording.frames().toArray(new RecordedFrame[0]);
        this.protocol = recording.feed().newReplayProtocol();
        this.stage = stage;
    }

    /** True when this JVM reports per-thread allocation (HotSpot does). */
    public static boolean allocationMeasured() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /** True when this JVM reports per-thread CPU time. */
    public static boolean cpuMeasured() {
        return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** Replays until {@code durationNanos} have passed (at least one frame). */
    public ReplayRun run(long durationNanos) {
        long gc0 = gcCount();
        long gcMs0 = gcMillis();
        long m0 = messages;
        long o0 = others;
        long errors = 0;
        long count = 0;
        boolean alloc = allocationMeasured();
        long a0 = alloc ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        boolean cpu = cpuMeasured();
        long c0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
        long t0 = System.nanoTime();
        long t;
        do {
            if (next == 0) stage.onReplayStart();
            RecordedFrame f = frames[next];
            byte[] b = f.bytes();
            stage.beginFrame(b, 0, b.length, f.binary(), f.receiveTimeNs());
            try {
                protocol.decode(b, 0, b.length, f.binary(), f.receiveTimeNs(), this);
            } catch (MalformedFrameException e) {
                errors++;
                stage.onMalformed(e.getMessage());
            }
            stage.endFrame();
            if (++next == frames.length) next = 0;
            count++;
            t = System.nanoTime();
        } while (t - t0 < durationNanos);
        long c1 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
        long a1 = alloc ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        return new ReplayRun(count, messages - m0, others - o0, errors, t - t0, cpu ? c1 - c0 : -1, alloc ? a1 - a0 : -1,
                gcCount() - gc0, gcMillis() - gcMs0);
    }

    /** Events in one pass over the recording (decodes it once, untimed; call before the runs). */
    public long messagesPerPass() {
        long[] n = new long[1];
        FeedProtocol counter = recording.feed().newReplayProtocol();
        FrameHandler h = new FrameHandler() {
            @Override public void onEvent(MarketEvent event) { n[0]++; }

            @Override public void onControl(ControlMessage message) { }

            @Override public void onUnknown(String type) { }
        };
        for (RecordedFrame f : frames) {
            try {
                counter.decode(f.bytes(), 0, f.bytes().length, f.binary(), f.receiveTimeNs(), h);
            } catch (MalformedFrameException e) {
                // counted as an error by the runs
            }
        }
        return n[0];
    }

    public long checksum() { return stage.checksum(); }

    @Override public void onEvent(MarketEvent event) {
        messages++;
        stage.onEvent(event);
    }

    @Override public void onControl(ControlMessage message) { others++; }

    @Override public void onUnknown(String type) {
        others++;
        stage.onUnknown(type);
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : GCS) n += Math.max(0, b.getCollectionCount());
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean b : GCS) n += Math.max(0, b.getCollectionTime());
        return n;
    }
}
