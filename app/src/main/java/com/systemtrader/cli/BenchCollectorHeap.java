package com.systemtrader.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap and GC figures for {@code bench-collector}: GC count and time ({@link GarbageCollectorMXBean}), heap used
 * after a forced full GC, and a series of heap samples whose "used after GC" is the heap occupancy right after the
 * latest stop-the-world collection (from GC notifications; concurrent-cycle notifications are ignored, they report
 * the heap while the application keeps allocating). A least-squares slope over the samples says whether the heap
 * after GC trends upward. Samples are taken by the caller's thread; notifications arrive on a JMX thread.
 */
final class BenchCollectorHeap implements NotificationListener, AutoCloseable {
    /** One sample: seconds since measurement start and bytes. */
    record Sample(double t, long used, long usedAfterGc, long oldAfterGc, long gcCount) {}

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final Set<String> heapPools = new HashSet<>();
    private final List<Sample> samples = new ArrayList<>();
    private volatile long lastAfterGc = -1;
    private volatile long lastOldAfterGc = -1;
    private long baseCount;
    private long baseMillis;

    BenchCollectorHeap() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) heapPools.add(p.getName());
        }
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof NotificationEmitter em) em.addNotificationListener(this, null, null);
        }
    }

    @Override public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (info.getGcName().contains("Concurrent")) return;
        long total = 0;
        long old = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (!heapPools.contains(e.getKey())) continue;
            total += e.getValue().getUsed();
            if (e.getKey().contains("Old") || e.getKey().contains("Tenured")) old += e.getValue().getUsed();
        }
        lastAfterGc = total;
        lastOldAfterGc = old;
    }

    /** Heap used right after the latest stop-the-world GC; -1 before the first. */
    long lastUsedAfterGc() { return lastAfterGc; }

    /** Runs a full GC and returns the heap used right after it. */
    long usedAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Starts counting GCs from now. */
    void resetGcCounters() {
        baseCount = gcCount();
        baseMillis = gcMillis();
    }

    long gcCountSinceReset() { return gcCount() - baseCount; }

    long gcMillisSinceReset() { return gcMillis() - baseMillis; }

    /** Takes a sample at {@code t} seconds. */
    Sample sample(double t) {
        Sample s = new Sample(t, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), lastAfterGc,
                lastOldAfterGc, gcCountSinceReset());
        samples.add(s);
        return s;
    }

    /** Least-squares slope of used-after-GC in bytes per minute over the samples at or after {@code fromT}. */
    double slopeBytesPerMinute(double fromT) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : samples) {
            if (s.t() < fromT || s.usedAfterGc() < 0) continue;
            double x = s.t() / 60.0;
            double y = s.usedAfterGc();
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    /** Samples at or after {@code fromT} that have a used-after-GC figure. */
    List<Sample> samplesFrom(double fromT) {
        return samples.stream().filter(s -> s.t() >= fromT && s.usedAfterGc() >= 0).toList();
    }

    private long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : collectors) n += Math.max(0, gc.getCollectionCount());
        return n;
    }

    private long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : collectors) n += Math.max(0, gc.getCollectionTime());
        return n;
    }

    @Override public void close() {
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof NotificationEmitter em) {
                try {
                    em.removeNotificationListener(this);
                } catch (ListenerNotFoundException ignored) {
                    // never added
                }
            }
        }
    }
}
