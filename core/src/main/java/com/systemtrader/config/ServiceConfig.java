package com.systemtrader.config;

import com.systemtrader.storage.MaintenanceConfig;
import com.systemtrader.storage.RollupRefresher;
import com.systemtrader.storage.StorageWriterConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the long-running service ({@code system-trader run}) adds around the collectors: the HTTP API and the
 * database sink. The API token is not part of it (credentials never go into the file): it comes from
 * {@link #API_TOKEN_ENV}.
 *
 * @param httpHost         {@code service.http_host}: bind address of the HTTP API (loopback by default)
 * @param httpPort         {@code service.http_port}: its port; 0 picks a free one (printed at start)
 * @param storageEnabled   {@code storage.enabled}: write events to the database (with the spill journal)
 * @param journalDir       {@code storage.journal_dir}: where batches are spilled while the database is away
 * @param journalBudgetMb  {@code storage.journal_budget_mb}: the most disk the spill journal may use
 * @param maintenance      {@code storage.maintenance_*}: the database maintenance scheduler the service runs
 * @param writerConnections {@code storage.writer_connections}: connections a batch is written over (by symbol)
 * @param synchronousCommit {@code storage.synchronous_commit}: false sets {@code synchronous_commit = off} on the
 *                          writer's connections (faster; a database crash can lose its last ~0.6 s of commits)
 * @param shutdownDrain     {@code storage.shutdown_drain_seconds}: at SIGTERM, how long the storage writer may take
 *                          to write what is in memory before it journals the rest (keep it well below the unit's
 *                          {@code TimeoutStopSec}, 120 s)
 * @param readyMaxOutage    {@code storage.ready_max_outage_seconds}: {@code /ready} turns false once the database
 *                          has not answered for this long (data is then safe in the journal, but not stored)
 * @param rollupRefresh     {@code storage.rollup_refresh_seconds}: PostgreSQL mode, the shortest time between two
 *                          refreshes of a roll-up bucket whose trades corrections or cancels changed
 *                          ({@link com.systemtrader.storage.RollupRefresher})
 * @param role              {@code service.role}: what this process does ({@code run --role} overrides it)
 */
public record ServiceConfig(String httpHost, int httpPort, boolean storageEnabled, Path journalDir,
                            long journalBudgetMb, MaintenanceConfig maintenance, int writerConnections,
                            boolean synchronousCommit, Duration shutdownDrain, Duration readyMaxOutage,
                            Duration rollupRefresh, ServiceRole role) {
    /** Environment variable holding the HTTP API's bearer token; unset means no token is asked for. */
    public static final String API_TOKEN_ENV = "SYSTEM_TRADER_API_TOKEN";

    public static ServiceConfig defaults() {
        return new ServiceConfig("127.0.0.1", 8787, true, Path.of("data", "journal"), 4096,
                MaintenanceConfig.defaults(), StorageWriterConfig.DEFAULT_WRITERS, true, Duration.ofSeconds(60),
                Duration.ofSeconds(30), RollupRefresher.Settings.defaults().interval(), ServiceRole.ALL);
    }

    public ServiceConfig withHttp(String host, int port) {
        return new ServiceConfig(host, port, storageEnabled, journalDir, journalBudgetMb, maintenance,
                writerConnections, synchronousCommit, shutdownDrain, readyMaxOutage, rollupRefresh, role);
    }

    public ServiceConfig withStorage(boolean enabled, Path dir) {
        return new ServiceConfig(httpHost, httpPort, enabled, dir, journalBudgetMb, maintenance, writerConnections,
                synchronousCommit, shutdownDrain, readyMaxOutage, rollupRefresh, role);
    }

    public ServiceConfig withRole(ServiceRole r) {
        return new ServiceConfig(httpHost, httpPort, storageEnabled, journalDir, journalBudgetMb, maintenance,
                writerConnections, synchronousCommit, shutdownDrain, readyMaxOutage, rollupRefresh, r);
    }
}
