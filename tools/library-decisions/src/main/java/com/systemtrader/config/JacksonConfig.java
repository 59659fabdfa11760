package com.systemtrader.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The whole of collector_config.yaml as records bound by Jackson databind (what adopting "Jackson's own binding"
 * would mean): structure and types only. Defaults, ranges and cross-key rules (ConfigBinder) are not expressed here.
 */
final class JacksonConfig {
    private JacksonConfig() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Root(Provider polygon, Provider alpaca, Data data, Storage storage, Cache cache, Redis redis, Service service) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Provider(Feed websocket, Rest rest) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Rest(java.net.URI url) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Feed(Boolean enabled, java.net.URI url, String feed, List<String> channels, List<String> symbols,
                Double reconnectIntervalSeconds, Double maxReconnectIntervalSeconds, Double connectionLimitBackoffSeconds,
                Double heartbeatIntervalSeconds, Double pongTimeoutSeconds, Double staleDataSeconds,
                Boolean staleOnlyInMarketHours, Double healthyAfterSeconds, Integer ringCapacity, Integer maxFrameBytes,
                Boolean compression, String wireFormat) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Data(Boolean cleanData, Boolean validateData, Boolean storeTrades, Boolean storeQuotes, Boolean batchInserts,
                Integer dbBatchSize, Cleaner cleaner, Bars bars) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Cleaner(Double maxFutureSeconds, Double maxAgeSeconds, Double maxPrice, Long maxTradeSize, Integer dedupeWindow,
                   Integer outlierWindow, Double outlierMadK, Double outlierMinFraction, Double lateAfterSeconds,
                   List<String> testSymbols, Integer quarantineCapacity) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Bars(String mode, Double secondEmitDelaySeconds, Double secondLateWindowSeconds, Double minuteEmitDelaySeconds,
                Double minuteLateWindowSeconds) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Storage(String url, String user, String mode, Boolean migrateOnStart, Integer tickChunkHours,
                   Integer barChunkDays, Integer tickCompressAfterHours, Integer barCompressAfterDays,
                   Integer tickRetentionDays, Integer barRetentionDays, Integer rollupRetentionDays,
                   Integer partitionPremakeDays, Integer quarantineRetentionDays, Boolean enabled, String journalDir,
                   Integer journalBudgetMb, Integer writerConnections, Boolean synchronousCommit,
                   Integer shutdownDrainSeconds, Integer readyMaxOutageSeconds, Integer rollupRefreshSeconds,
                   Boolean maintenanceEnabled, Integer maintenancePartitionsMinutes, Integer maintenanceRollupsSeconds,
                   Integer maintenanceRollupLookbackMinutes, Integer maintenanceRetentionMinutes,
                   Integer maintenanceCompressionMinutes, Integer maintenanceKeepRuns,
                   Integer maintenanceLockTimeoutSeconds) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Cache(Integer memoryMaxEntries, Double memoryTickWindowSeconds, Integer memoryBarWindowHours) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Redis(Boolean enabled, String url, String username, String truststore, String prefix,
                 Double tickRetentionSeconds, Integer minuteBarRetentionHours, Integer dailyBarRetentionDays,
                 Integer tickTtlHours, Integer barTtlDays, Integer maxEntries, Integer queueCapacity, Integer batchSize,
                 String livePublish, Integer streamMaxLen) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Service(String httpHost, Integer httpPort) {}
}
