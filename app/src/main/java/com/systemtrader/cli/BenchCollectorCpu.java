package com.systemtrader.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and allocated bytes of the collector's threads over the measured window, for {@code bench-collector}: its pipeline thread
 * ({@code collector-<provider>}: decode, state machine, listeners), its I/O thread (the Netty event loop created
 * with the collector: socket reads, WebSocket framing, inflate) and the whole process (which includes the
 * simulator in an in-process run, and the JIT and GC threads). The collector's event loop is told apart from the
 * simulator's by Netty's thread names ({@code multiThreadIoEventLoopGroup-<pool>-<n>}): the collector creates its
 * group after the simulator, so its pool number is the highest.
 */
final class BenchCollectorCpu {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private List<Long> pipeline = List.of();
    private List<Long> io = List.of();
    private long pipelineAlloc0;
    private long ioAlloc0;
    private long pipeline0;
    private long io0;
    private long process0;
    private long wall0;

    BenchCollectorCpu() {
        if (mx.isThreadCpuTimeSupported() && !mx.isThreadCpuTimeEnabled()) mx.setThreadCpuTimeEnabled(true);
    }

    /** Finds the collector's threads (it must be streaming) and starts the window. */
    void start() {
        List<Long> p = new ArrayList<>();
        List<Long> i = new ArrayList<>();
        int pool = -1;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) continue;
            String name = t.getThreadName();
            if (name.startsWith("collector-")) p.add(t.getThreadId());
            int n = poolOf(name);
            if (n > pool) {
                pool = n;
                i.clear();
            }
            if (n >= 0 && n == pool) i.add(t.getThreadId());
        }
        pipeline = p;
        io = i;
        pipelineAlloc0 = allocated(pipeline);
        ioAlloc0 = allocated(io);
        pipeline0 = cpu(pipeline);
        io0 = cpu(io);
        process0 = processCpu();
        wall0 = System.nanoTime();
    }

    /** One line: CPU microseconds per event and busy share of one core, since {@link #start()}. */
    String report(long events, boolean inProcess) {
        double wall = System.nanoTime() - wall0;
        long p = cpu(pipeline) - pipeline0;
        long i = cpu(io) - io0;
        long proc = processCpu() - process0;
        long pa = allocated(pipeline) - pipelineAlloc0;
        long ia = allocated(io) - ioAlloc0;
        double n = Math.max(1, events);
        return String.format("cpu: pipeline=%.2fus/event (%.0f%% of a core) io=%.2fus/event (%.0f%%) %s=%.2fus/event "
                        + "(%.0f%% of a core); allocated: pipeline=%.0fB/event io=%.0fB/event", p / n / 1e3,
                100 * p / wall, i / n / 1e3, 100 * i / wall, inProcess ? "process-incl-simulator" : "process",
                proc / n / 1e3, 100 * proc / wall, pa / n, ia / n);
    }

    /** The pool number of a Netty event-loop thread name, or -1. */
    private static int poolOf(String name) {
        String prefix = "multiThreadIoEventLoopGroup-";
        if (!name.startsWith(prefix)) return -1;
        int end = name.indexOf('-', prefix.length());
        try {
            return Integer.parseInt(name.substring(prefix.length(), end < 0 ? name.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private long cpu(List<Long> ids) {
        long sum = 0;
        for (long id : ids) sum += Math.max(0, mx.getThreadCpuTime(id));
        return sum;
    }

    /** Bytes allocated by the threads (HotSpot's per-thread allocation counter); 0 where unsupported. */
    private long allocated(List<Long> ids) {
        if (!(mx instanceof com.sun.management.ThreadMXBean hs) || !hs.isThreadAllocatedMemorySupported()) return 0;
        long sum = 0;
        for (long id : ids) sum += Math.max(0, hs.getThreadAllocatedBytes(id));
        return sum;
    }

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
