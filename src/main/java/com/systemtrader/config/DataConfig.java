package com.systemtrader.config;

/**
 * The {@code data} section of {@code config/collector_config.yaml}: what happens to collected data.
 *
 * @param cleanData     run the data cleaner's cleaning rules (dedupe, outliers, filters)
 * @param validateData  run the cleaner's structural validation
 * @param storeTrades   write trades to storage
 * @param storeQuotes   write quotes to storage
 * @param batchInserts  batch storage writes (binary COPY); false writes row by row (debugging only)
 * @param dbBatchSize   rows per storage batch
 */
public record DataConfig(boolean cleanData, boolean validateData, boolean storeTrades, boolean storeQuotes,
                         boolean batchInserts, int dbBatchSize) {
    public static DataConfig defaults() {
        return new DataConfig(true, true, true, true, true, 1_000);
    }
}
