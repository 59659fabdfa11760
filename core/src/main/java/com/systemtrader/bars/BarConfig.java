package com.systemtrader.bars;

import java.time.Duration;

/**
 * Settings of the {@link BarBuilder} ({@code data.bars} in the collector config).
 *
 * @param mode              {@code auto}: publish built minute bars, and one-second bars for feeds that do not
 *                          subscribe to the provider's minute bars; {@code always}: one-second bars for every feed
 *                          too; {@code off}: build nothing (no {@code built} bars in memory or Redis)
 * @param secondEmitDelay   a one-second bar is first published this long after its window ends
 * @param secondLateWindow  late trades revise a one-second bar until this long after its window ends
 * @param minuteEmitDelay   a minute bar is first published this long after its window ends (Alpaca: 1 s)
 * @param minuteLateWindow  late trades revise a minute bar until this long after its window ends (Alpaca: ~30 s)
 * @param minuteLength      the length of the "minute" bars; 60 s except in tests against a simulator with short bars
 */
public record BarConfig(Mode mode, Duration secondEmitDelay, Duration secondLateWindow, Duration minuteEmitDelay,
                        Duration minuteLateWindow, Duration minuteLength) {
    public enum Mode { AUTO, ALWAYS, OFF }

    public BarConfig {
        check("second", secondEmitDelay, secondLateWindow);
        check("minute", minuteEmitDelay, minuteLateWindow);
        if (minuteLength.toMillis() < 100) throw new IllegalArgumentException("minuteLength must be at least 100 ms");
    }

    public static BarConfig defaults() {
        return new BarConfig(Mode.AUTO, Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    public BarConfig withMode(Mode m) {
        return new BarConfig(m, secondEmitDelay, secondLateWindow, minuteEmitDelay, minuteLateWindow, minuteLength);
    }

    /** Short bars for tests against a simulator whose "minute" bars are {@code length} long. */
    public BarConfig withMinute(Duration length, Duration emitDelay, Duration lateWindow) {
        return new BarConfig(mode, secondEmitDelay, secondLateWindow, emitDelay, lateWindow, length);
    }

    private static void check(String name, Duration emit, Duration late) {
        if (emit.isNegative() || late.compareTo(emit) < 0) {
            throw new IllegalArgumentException(name + " bars: the late window must be at least the emit delay");
        }
    }
}
