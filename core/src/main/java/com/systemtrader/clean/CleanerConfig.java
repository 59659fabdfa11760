package com.systemtrader.clean;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@link DataCleaner} ({@code data.clean_data}, {@code data.validate_data} and the
 * {@code data.cleaner} section of the collector config; the README's configuration table documents each key).
 *
 * @param validate           run the structural rules (symbol format, finite numbers, ranges, timestamps)
 * @param clean              run the cleaning rules (duplicates, ordering, lateness, outliers, quote flags, test symbols)
 * @param maxFuture          reject events whose time is further ahead of the receive time than this (clock skew)
 * @param maxAge             reject events older than this relative to the receive time
 * @param maxPrice           reject prices above this (sanity bound; Berkshire A trades under 1e6)
 * @param maxSize            reject trade sizes above this (shares)
 * @param dedupeWindow       trade identities remembered per symbol (at least the most recent half of this are
 *                           always remembered; memory grows with a symbol's activity up to this bound)
 * @param outlierWindow      recent eligible trade prices per symbol for the robust range (median and MAD)
 * @param outlierMadK        a price is an outlier when it is further from the median than this many scaled MADs...
 * @param outlierMinFraction ...and further than this fraction of the median (a floor for quiet, flat prices)
 * @param lateAfter          a trade reported (TRF) or received this long after its event time is flagged late
 * @param testSymbols        exchange test symbols to filter; a trailing {@code *} matches a prefix
 * @param quarantineCapacity rejected events kept in memory (oldest evicted first, evictions counted)
 */
public record CleanerConfig(boolean validate, boolean clean, Duration maxFuture, Duration maxAge, double maxPrice,
                            long maxSize, int dedupeWindow, int outlierWindow, double outlierMadK,
                            double outlierMinFraction, Duration lateAfter, List<String> testSymbols,
                            int quarantineCapacity) {
    public static final List<String> DEFAULT_TEST_SYMBOLS = List.of("ZVZZT", "ZWZZT", "ZXZZT", "ZBZZT", "ZJZZT",
            "ZEXIT", "ZIEXT", "ZTEST", "ZAZZT", "ZBZX", "ZCZZT", "NTEST*", "CBO.TEST*", "IBO.TEST*");

    public CleanerConfig {
        testSymbols = List.copyOf(testSymbols);
        if (dedupeWindow < 16) throw new IllegalArgumentException("dedupeWindow must be at least 16");
        if (outlierWindow < 8) throw new IllegalArgumentException("outlierWindow must be at least 8");
    }

    public static CleanerConfig defaults() {
        return new CleanerConfig(true, true, Duration.ofSeconds(10), Duration.ofDays(1), 10_000_000, 10_000_000_000L,
                2_048, 32, 10, 0.02, Duration.ofSeconds(5), DEFAULT_TEST_SYMBOLS, 10_000);
    }

    public CleanerConfig withRules(boolean validate, boolean clean) {
        return new CleanerConfig(validate, clean, maxFuture, maxAge, maxPrice, maxSize, dedupeWindow, outlierWindow,
                outlierMadK, outlierMinFraction, lateAfter, testSymbols, quarantineCapacity);
    }

    /** True when {@code symbol} is in {@link #testSymbols} (exact, or by prefix for entries ending in {@code *}). */
    public boolean isTestSymbol(String symbol) {
        for (String t : testSymbols) {
            if (t.endsWith("*") ? symbol.startsWith(t.substring(0, t.length() - 1)) : symbol.equals(t)) return true;
        }
        return false;
    }

    /** REST data is old by nature: these settings without the age limit (backfill, bars from historical trades). */
    public CleanerConfig forHistory() {
        return new CleanerConfig(validate, clean, maxFuture, Duration.ofDays(36_500), maxPrice, maxSize, dedupeWindow,
                outlierWindow, outlierMadK, outlierMinFraction, lateAfter, testSymbols, quarantineCapacity);
    }
}
