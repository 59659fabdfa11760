package com.systemtrader.cli;

import com.systemtrader.collector.CollectorSnapshot;
import com.systemtrader.schema.RecordType;
import java.io.Console;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The live progress line of {@code test-websocket}: messages per second in total and per type over the last
 * interval, the collector's state and reconnects. On a terminal it rewrites one line with {@code \r} every second;
 * otherwise (a pipe, a file, a test) it prints a line every {@value #LINE_EVERY_S} seconds.
 */
final class TestWebsocketProgress {
    static final int LINE_EVERY_S = 5;

    /** {@code --progress}. */
    enum Mode { AUTO, TTY, LINES, OFF }

    private final PrintWriter out;
    private final String provider;
    private final boolean tty;
    private final boolean off;
    private final Map<RecordType, Long> previous = new EnumMap<>(RecordType.class);
    private long previousTotal;
    private long previousNs;
    private int lastWidth;

    TestWebsocketProgress(PrintWriter out, String provider, Mode mode) {
        this.out = out;
        this.provider = provider;
        this.off = mode == Mode.OFF;
        this.tty = mode == Mode.TTY || mode == Mode.AUTO && stdoutIsTerminal();
        this.previousNs = System.nanoTime();
    }

    /** Called once a second with the collector's snapshot; {@code nowNs} is {@link System#nanoTime()}. */
    void tick(CollectorSnapshot s, long elapsedSeconds, long nowNs) {
        String line = line(s, elapsedSeconds, nowNs);
        if (off) return;
        if (tty) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else if (elapsedSeconds % LINE_EVERY_S == 0) {
            out.println(line);
            out.flush();
        }
    }

    /** Ends the rewritten line before the report. */
    void finish() {
        if (tty && lastWidth > 0) {
            out.println();
            out.flush();
        }
    }

    private String line(CollectorSnapshot s, long elapsedSeconds, long nowNs) {
        double dt = Math.max(1e-3, (nowNs - previousNs) / 1e9);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%4ds] %s %-14s %,9.0f msg/s", elapsedSeconds,
                provider, s.state(), (s.messages() - previousTotal) / dt));
        StringBuilder types = new StringBuilder();
        for (Map.Entry<RecordType, Long> e : s.byType().entrySet()) {
            long before = previous.getOrDefault(e.getKey(), 0L);
            types.append(String.format(Locale.ROOT, "%s%s %,.0f/s", types.isEmpty() ? "" : ", ",
                    e.getKey().name().toLowerCase(Locale.ROOT), (e.getValue() - before) / dt));
            previous.put(e.getKey(), e.getValue());
        }
        if (!types.isEmpty()) b.append(" (").append(types).append(')');
        long reconnects = s.reconnectsByCause().values().stream().mapToLong(Long::longValue).sum();
        b.append(String.format(Locale.ROOT, "  total %,d  reconnects %d", s.messages(), reconnects));
        previousTotal = s.messages();
        previousNs = nowNs;
        return b.toString();
    }

    /**
     * Whether standard output is a terminal. {@code Console.isTerminal()} (JDK 22+) is looked up reflectively
     * because the code targets JDK 21, where a non-null console already means a terminal.
     */
    static boolean stdoutIsTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
