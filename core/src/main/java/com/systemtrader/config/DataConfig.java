package com.systemtrader.config;

import com.systemtrader.bars.BarConfig;
import com.systemtrader.clean.CleanerConfig;

/**
 * The {@code data} section of {@code config/collector_config.yaml}: what happens to collected data.
 *
 * @param cleanData     run the data cleaner's cleaning rules (dedupe, ordering, outliers, quote flags, test symbols)
 * @param validateData  run the cleaner's structural validation (symbol format, finite numbers, ranges, timestamps)
 * @param storeTrades   write trades to storage
 * @param storeQuotes   write quotes to storage
 * @param batchInserts  batch storage writes (binary COPY); false writes row by row (debugging only)
 * @param dbBatchSize   rows per storage batch
 * @param cleaner       the cleaner's limits ({@code data.cleaner}); its rule switches follow the two above
 * @param bars          the bar builder ({@code data.bars})
 */
public record DataConfig(boolean cleanData, boolean validateData, boolean storeTrades, boolean storeQuotes,
                         boolean batchInserts, int dbBatchSize, CleanerConfig cleaner, BarConfig bars) {
    public DataConfig {
        cleaner = cleaner.withRules(validateData, cleanData);
    }

    public static DataConfig defaults() {
        return new DataConfig(true, true, true, true, true, 1_000, CleanerConfig.defaults(), BarConfig.defaults());
    }

    public DataConfig withCleaner(CleanerConfig c) {
        return new DataConfig(c.clean(), c.validate(), storeTrades, storeQuotes, batchInserts, dbBatchSize, c, bars);
    }

    public DataConfig withBars(BarConfig b) {
        return new DataConfig(cleanData, validateData, storeTrades, storeQuotes, batchInserts, dbBatchSize, cleaner, b);
    }
}
