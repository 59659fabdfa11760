package com.systemtrader.bench;

/**
 * One timed replay of a recording: what was decoded, how long it took and what it allocated on the decoding
 * thread ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}; -1 when the JVM cannot tell).
 *
 * @param nanos     wall-clock time of the run
 * @param cpuNanos  CPU time of the decoding thread during the run (-1 when the JVM cannot tell); on a shared
 *                  machine, messages per CPU-second are far less disturbed by other processes than messages per
 *                  wall-clock second, which drop whenever the thread is descheduled
 * @param frames    frames decoded (a run wraps around the recording as often as its duration needs)
 * @param messages  events delivered to the stage (trades, quotes, ...)
 * @param others    control messages and unknown elements (0 for a clean recording)
 * @param errors    frames the decoder rejected (0 for a clean recording)
 * @param gcCount   garbage collections during the run (all collectors)
 * @param gcMillis  their accumulated time
 */
public record ReplayRun(long frames, long messages, long others, long errors, long nanos, long cpuNanos, long allocatedBytes,
                        long gcCount, long gcMillis) {
    public double messagesPerSecond() { return messages * 1e9 / nanos; }

    /** Messages per second of the decoding thread's CPU time, or NaN when not measured. */
    public double messagesPerCpuSecond() { return cpuNanos <= 0 ? Double.NaN : messages * 1e9 / cpuNanos; }

    public double framesPerSecond() { return frames * 1e9 / nanos; }

    /** Bytes allocated per message, or NaN when allocation is not measured. */
    public double bytesPerMessage() {
        return allocatedBytes < 0 || messages == 0 ? Double.NaN : (double) allocatedBytes / messages;
    }
}
