package com.systemtrader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What Linux says about a process in {@code /proc/<pid>}: CPU time ({@code stat} fields utime + stime, in clock ticks
 * of {@link #TICKS_PER_SECOND}) and memory ({@code status} VmRSS, VmHWM = peak RSS). Empty when the process is gone or
 * {@code /proc} is not there.
 */
public final class ProcStats {
    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    public static final int TICKS_PER_SECOND = 100;

    private ProcStats() {}

    /** User + system CPU seconds used so far (all threads). */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces and parentheses: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds the whole machine spent busy so far, all cores and processes (first line of {@code /proc/stat}:
     * user + nice + system + irq + softirq + steal); NaN without {@code /proc}.
     */
    public static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
            return busy / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmRSS in bytes. */
    public static OptionalLong rssBytes(long pid) {
        return statusKb(pid, "VmRSS:");
    }

    /** VmHWM (the peak resident set) in bytes. */
    public static OptionalLong peakRssBytes(long pid) {
        return statusKb(pid, "VmHWM:");
    }

    private static OptionalLong statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    String v = line.substring(key.length()).trim();
                    return OptionalLong.of(Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return OptionalLong.empty();
    }
}
