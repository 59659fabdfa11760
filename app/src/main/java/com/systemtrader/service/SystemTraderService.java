package com.systemtrader.service;

import com.systemtrader.backfill.AutoBackfill;
import com.systemtrader.backfill.BackfillConfig;
import com.systemtrader.backfill.GapBackfiller;
import com.systemtrader.cache.DataCache;
import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.cache.RedisClients;
import com.systemtrader.cache.RedisConfig;
import com.systemtrader.cache.RedisDataCache;
import com.systemtrader.cache.TieredDataCache;
import com.systemtrader.codec.Timestamps;
import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.bus.BusConfig;
import com.systemtrader.bus.BusConsumer;
import com.systemtrader.bus.BusSink;
import com.systemtrader.config.BusSettings;
import com.systemtrader.config.CacheConfig;
import com.systemtrader.config.ServiceRole;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigException;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.config.ServiceConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Secret;
import com.systemtrader.data.ProviderSetup;
import com.systemtrader.data.RealtimeDataProvider;
import com.systemtrader.storage.Database;
import com.systemtrader.storage.MaintenanceScheduler;
import com.systemtrader.storage.QuarantineWriter;
import com.systemtrader.storage.MigrationRunner;
import com.systemtrader.storage.RollupRefresher;
import com.systemtrader.storage.StorageConfig;
import com.systemtrader.storage.StorageException;
import com.systemtrader.storage.StorageSink;
import com.systemtrader.storage.StorageWriter;
import com.systemtrader.vendor.VendorModule;
import com.systemtrader.storage.StorageWriterConfig;
import com.systemtrader.storage.journal.JournalConfig;
import com.systemtrader.storage.journal.SpillJournal;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service ({@code system-trader run}): the composition root that wires one collector per enabled feed
 * to the cleaner (inside the collector), the in-memory cache (and Redis when enabled), the database writer with its
 * spill journal, the database maintenance scheduler, gap backfill from the providers' REST APIs, the
 * {@link RealtimeDataProvider} and the HTTP API, all reporting to one Prometheus registry.
 *
 * <p>Start order: journal and storage writer first (a journal left behind by an earlier process is replayed before
 * new batches), then the caches, the collectors and the HTTP API. The database need not answer at start: the first
 * connection the writer opens applies pending migrations (when {@code storage.migrate_on_start}), and until then
 * batches go to the journal.
 *
 * <p>{@link #close()} drains in the opposite order, so nothing received is dropped: collectors stop reading and hand
 * every frame already received to their listeners, the storage writer writes what is queued (or journals it when
 * the database is away), then the Redis writer, the journal and the HTTP API close.
 */
public final class SystemTraderService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemTraderService.class);
    /** How often the caches drop what has aged out of their windows. */
    private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(30);
    /** At start, trades missed since the newest stored one (a crash, a restart) are backfilled up to this far back. */
    private static final Duration RESTART_BACKFILL_LOOKBACK = Duration.ofHours(24);

    private final PrometheusMeterRegistry registry;
    private final Map<String, WebsocketCollector> collectors;
    private final MemoryDataCache memory;
    private final DataCache cache;
    private final SpillJournal journal;
    private final StorageWriter writer;
    private final MaintenanceScheduler maintenance;
    private final QuarantineWriter quarantineWriter;
    private final RollupRefresher rollups;
    private final GapBackfiller backfiller;
    private final AutoBackfill autoBackfill;
    private final ProviderSetup.RestClients rest;
    private final RealtimeDataProvider provider;
    private final HttpApi api;
    private final ScheduledExecutorService housekeeping;
    private final Duration drain;
    private final AutoCloseable processMetrics;
    private final Bus bus;
    private final ServiceRole role;
    private boolean closed;

    /** The scale-out parts of this process: each null when its role or configuration has none. */
    private record Bus(BusSink sink, BusConsumer consumer, FeedLeases leases) {}

    private SystemTraderService(PrometheusMeterRegistry registry, Map<String, WebsocketCollector> collectors,
                                MemoryDataCache memory, DataCache cache, SpillJournal journal, StorageWriter writer,
                                MaintenanceScheduler maintenance, QuarantineWriter quarantineWriter,
                                RollupRefresher rollups, GapBackfiller backfiller, AutoBackfill autoBackfill,
                                ProviderSetup.RestClients rest, RealtimeDataProvider provider, HttpApi api,
                                ScheduledExecutorService housekeeping, Duration drain, AutoCloseable processMetrics,
                                Bus bus, ServiceRole role) {
        this.registry = registry;
        this.bus = bus;
        this.role = role;
        this.processMetrics = processMetrics;
        this.collectors = collectors;
        this.memory = memory;
        this.cache = cache;
        this.journal = journal;
        this.writer = writer;
        this.maintenance = maintenance;
        this.quarantineWriter = quarantineWriter;
        this.rollups = rollups;
        this.backfiller = backfiller;
        this.autoBackfill = autoBackfill;
        this.rest = rest;
        this.provider = provider;
        this.api = api;
        this.housekeeping = housekeeping;
        this.drain = drain;
    }

    /**
     * The JVM's and the process's own meters (Micrometer's binders): heap and non-heap memory per pool, GC pauses and
     * allocation, threads, classes, CPU use of the process and the machine, open files, uptime; so that an operator
     * sees the service's own resource use next to its pipeline's (Prometheus names {@code jvm_*}, {@code process_*},
     * {@code system_*}). Returns what must be closed with the service (the GC binder's notification listeners).
     */
    static AutoCloseable bindProcessMetrics(MeterRegistry registry) {
        // promtool check metrics: no "_count" suffix on a gauge, no abbreviated unit ("ns") in a name
        registry.config().meterFilter(new MeterFilter() {
            @Override public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
            }
        }).meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time")); // process.cpu.usage stays
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return gc;
    }

    /**
     * Starts everything the configuration enables.
     *
     * @param env the process environment: database, Redis and API passwords and tokens are read from it only
     * @throws ConfigException when no feed is enabled
     * @throws UncheckedIOException  when the spill journal cannot be opened
     */
    public static SystemTraderService start(CollectorConfig config, APIKeyManager keys, Map<String, String> env) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            return start(config, keys, env, started);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) closeQuietly(started.get(i));
            throw e;
        }
    }

    private static SystemTraderService start(CollectorConfig config, APIKeyManager keys, Map<String, String> env,
                                             List<AutoCloseable> started) {
        ServiceRole role = config.service().role();
        BusSettings bus = config.bus();
        checkRole(config, env);
        Map<VendorModule, FeedConfig> feeds = new LinkedHashMap<>();
        for (VendorModule m : VendorModule.installed()) {
            if (role.collects() && m.feed(config).enabled()) feeds.put(m, m.feed(config));
        }
        if (role.collects() && feeds.isEmpty()) {
            throw new ConfigException("configuration", List.of("no feed is enabled: set "
                    + VendorModule.installed().stream().map(m -> m.provider().key() + ".websocket.enabled")
                    .collect(java.util.stream.Collectors.joining(" or ")) + " to true"));
        }
        ServiceConfig svc = config.service();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AutoCloseable processMetrics = bindProcessMetrics(registry);
        started.add(processMetrics);

        SpillJournal journal = null;
        StorageWriter writer = null;
        StorageWriterConfig wc = null;
        StorageWriter.ConnectionSource dbSource = null;
        MaintenanceScheduler maintenance = null;
        QuarantineWriter quarantineWriter = null;
        RollupRefresher rollups = null;
        // the collector role writes to the database only what does not go over the bus: backfills, gap_ledger rows and
        // quarantined events; the cache and api roles write nothing there
        if (svc.storageEnabled() && (role == ServiceRole.ALL || role == ServiceRole.STORE
                || role == ServiceRole.COLLECTOR)) {
            journal = openJournal(svc.journalDir(), svc.journalBudgetMb(), "storage.journal_dir", registry);
            started.add(journal);
            Database db = Database.fromEnvironment(config.storage(), env);
            checkDatabaseCredentials(db);
            wc = StorageWriterConfig.defaults()
                    .withBatchRows(config.data().batchInserts() ? config.data().dbBatchSize() : 1)
                    .withStore(config.data().storeTrades(), config.data().storeQuotes())
                    .withWriters(svc.writerConnections()).withSynchronousCommit(svc.synchronousCommit());
            dbSource = new MigratingSource(db, config.storage().migrateOnStart());
            rollups = new RollupRefresher(dbSource,   // late, replayed and corrected trades' roll-ups, off the write path
                    RollupRefresher.Settings.defaults().withInterval(svc.rollupRefresh()), registry);
            started.add(rollups);
            rollups.start();
            writer = new StorageWriter(dbSource, journal, wc, registry, rollups);
            started.add(writer);
            writer.start();
            quarantineWriter = new QuarantineWriter(dbSource, registry); // the quarantine table, once a second
            quarantineWriter.start();
            started.add(quarantineWriter);
            if (svc.maintenance().enabled() && role != ServiceRole.COLLECTOR) {
                // its tasks report "skipped" until the schema exists, so it may start before the first migration
                maintenance = new MaintenanceScheduler(db, svc.maintenance(), registry);
                started.add(maintenance);
                maintenance.start();
            }
        }

        MemoryDataCache memory = new MemoryDataCache(config.cache().memory());
        DataCache cache = memory;
        RedisDataCache redis = null;
        if (config.cache().redisEnabled() && (role == ServiceRole.ALL || role == ServiceRole.CACHE)) {
            RedisConfig rc = config.cache().redisWithSecrets(env);
            String refused = RedisClients.credentialsProblem(rc);
            if (refused != null) {
                throw new ConfigException("redis", List.of("redis.url / " + CacheConfig.PASSWORD_ENV + ": Redis at "
                        + rc.safeUrl() + " refused the credentials: " + refused));
            }
            redis = new RedisDataCache(rc, memory);
            redis.bindTo(registry);
            redis.start();
            cache = new TieredDataCache(memory, redis);
            started.add(cache);
        }

        BusSink busSink = null;
        if (bus.enabled() && role.collects()) {
            SpillJournal busJournal = openJournal(bus.journalDir(), bus.journalBudgetMb(), "bus.journal_dir", null);
            started.add(busJournal);
            busSink = new BusSink(BusConfig.of(bus, bus.storeGroup(), env), busJournal, registry);
            started.add(busSink);
            busSink.start();
        }
        BusConsumer consumer = null;
        if (role == ServiceRole.STORE || role == ServiceRole.CACHE) {
            boolean store = role == ServiceRole.STORE;
            consumer = store
                    ? new BusConsumer(BusConfig.of(bus, bus.storeGroup(), env).forWriterQueue(wc.queueEvents()),
                            BusConsumer.storage(writer), registry)
                    : new BusConsumer(BusConfig.of(bus, bus.cacheGroup(), env), BusConsumer.cache(cache, redis.writer()),
                            registry);
            started.add(consumer);
        }

        Map<String, WebsocketCollector> collectors = new LinkedHashMap<>();
        Map<String, String> leaseNames = new LinkedHashMap<>(); // feed -> its lease: the feed and the key it streams on
        for (Map.Entry<VendorModule, FeedConfig> e : feeds.entrySet()) {
            WebsocketCollector c = e.getKey().collector(e.getValue(), keys, config.data(), registry);
            started.add(c);
            if (quarantineWriter != null) {
                quarantineWriter.register(c.source().name().toLowerCase(), c.feedName(), c.quarantine());
            }
            c.attachCache(cache);
            if (writer != null && role == ServiceRole.ALL) {
                c.addSink(new StorageSink(writer, Math.max(256, config.data().dbBatchSize())));
            }
            if (busSink != null) c.addSink(busSink);
            String feed = c.source().name().toLowerCase() + "/" + c.feedName();
            collectors.put(feed, c);
            if (bus.feedLease()) leaseNames.put(feed, FeedLeases.leaseName(feed, keys.active(e.getKey().provider()).id()));
        }
        ProviderSetup.RestClients rest = ProviderSetup.RestClients.create(config, keys, registry);
        started.add(rest);
        GapBackfiller backfiller = null;
        AutoBackfill autoBackfill = null;
        if (writer != null && rest.any()) {
            // gaps closed by a reconnect, and the time since the newest stored trade at start, are filled from REST
            backfiller = new GapBackfiller(rest.vendors(), writer, dbSource, config.data(),
                    BackfillConfig.DEFAULTS, registry);
            autoBackfill = new AutoBackfill(backfiller, registry);
            started.add(autoBackfill);
        }
        FeedLeases leases = null;
        if (bus.feedLease() && !collectors.isEmpty()) {
            leases = new FeedLeases(config.cache().redisWithSecrets(env), bus.leaseTtl(), autoBackfill,
                    RESTART_BACKFILL_LOOKBACK);
            started.add(leases);
            for (Map.Entry<String, WebsocketCollector> e : collectors.entrySet()) {
                leases.add(e.getKey(), leaseNames.get(e.getKey()), e.getValue());
            }
            leases.start(); // each collector starts once its lease is taken
        } else {
            for (WebsocketCollector c : collectors.values()) {
                if (autoBackfill != null) autoBackfill.watch(c, RESTART_BACKFILL_LOOKBACK);
                c.start();
            }
        }
        if (consumer != null) consumer.start();

        // the database tier only where this service writes one (else every miss would wait for a connect timeout)
        BusHealth busHealth = busSink == null && consumer == null ? null
                : new BusHealth(busSink, consumer, role.token(), bus.readyMaxLag(), leases);
        RealtimeDataProvider provider = ProviderSetup.builder(config, env, memory,
                new ProviderSetup.Tiers(true, svc.storageEnabled(), true), registry, rest).build();
        started.add(provider);
        String token = env.get(ServiceConfig.API_TOKEN_ENV);
        HttpApi api = HttpApi.start(new HttpApiConfig(svc.httpHost(), svc.httpPort(),
                token == null || token.isEmpty() ? null : Secret.of(token)), registry, new CollectorsView(collectors,
                writer == null ? null : new StorageHealth(writer, svc.readyMaxOutage()),
                redis == null ? null : redis.writer(), backfiller == null ? null : backfiller.recent(), busHealth,
                leases == null ? java.util.Set.of() : leases.standbys()), provider);
        started.add(api);

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "service-housekeeping");
            t.setDaemon(true);
            return t;
        });
        DataCache expiring = cache;
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                expiring.expire(Timestamps.nowNs());
            } catch (RuntimeException e) {
                LOG.warn("cache expiry failed: {}", e.toString());
            }
        }, EXPIRY_INTERVAL.toMillis(), EXPIRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("service started as role {}: {} feed(s) {}, storage {}, Redis {}, bus {}, HTTP API on {}:{}",
                role.token(), collectors.size(), collectors.keySet(),
                writer == null ? "off" : Database.fromEnvironment(config.storage(), env).where(),
                redis != null ? config.cache().redis().safeUrl() : "off", bus.enabled() ? bus.bootstrapServers() : "off",
                svc.httpHost(), api.port());
        return new SystemTraderService(registry, collectors, memory, cache, journal, writer, maintenance,
                quarantineWriter, rollups, backfiller, autoBackfill, rest, provider, api, housekeeping,
                svc.shutdownDrain(), processMetrics, new Bus(busSink, consumer, leases), role);
    }

    /**
     * A database that refuses the configured role or password is a configuration error (exit 2, naming the
     * settings), not an outage to journal through forever; one that does not answer now is an outage: the writer
     * journals until it does.
     */
    private static void checkDatabaseCredentials(Database db) {
        try (Connection c = db.connect()) {
            LOG.debug("database {} accepts the configured credentials", db.where());
        } catch (StorageException e) {
            if (e.credentialsRejected()) {
                throw new ConfigException("storage", List.of("storage.user / " + StorageConfig.PASSWORD_ENV
                        + ": the database refused them: " + e.getMessage()));
            }
            LOG.warn("database not reachable at start ({}); events go to the spill journal until it answers",
                    e.getMessage());
        } catch (SQLException e) {
            LOG.debug("closing the credentials check's connection failed: {}", e.toString());
        }
    }

    /** The settings a role needs, named (a configuration error: restarting will not help). */
    private static void checkRole(CollectorConfig config, Map<String, String> env) {
        ServiceRole role = config.service().role();
        List<String> problems = new ArrayList<>();
        if (config.bus().enabled()) problems.addAll(BusConfig.of(config.bus(), config.bus().storeGroup(), env).problems());
        if (role != ServiceRole.ALL && role != ServiceRole.API && !config.bus().enabled()) {
            problems.add("service.role " + role.token() + " needs the Kafka bus: set bus.bootstrap_servers");
        }
        if (role == ServiceRole.STORE && !config.service().storageEnabled()) {
            problems.add("service.role store needs storage.enabled: true");
        }
        if (role == ServiceRole.CACHE && !config.cache().redisEnabled()) {
            problems.add("service.role cache needs redis.enabled: true");
        }
        if (role.collects() && config.bus().feedLease() && !config.cache().redisEnabled()) {
            problems.add("bus.feed_lease needs redis.enabled: true (the lease lives in Redis)");
        }
        if (!problems.isEmpty()) throw new ConfigException("configuration", problems);
    }

    /**
     * A spill journal in {@code dir} using at most {@code budgetMb} of disk; {@code key} names the setting in errors.
     * @param registry where its {@code storage.journal.*} meters go; null for none (one journal per registry has them)
     */
    private static SpillJournal openJournal(Path dir, long budgetMb, String key, PrometheusMeterRegistry registry) {
        JournalConfig jc = JournalConfig.defaults();
        long budget = budgetMb << 20;
        if (budget < jc.segmentBytes()) jc = jc.withSegmentBytes(budget);
        jc = jc.withDiskBudgetBytes(budget);
        try {
            return SpillJournal.open(dir, jc, registry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spill journal in " + dir.toAbsolutePath() + " (" + key
                    + "): " + e.getMessage(), e);
        }
    }

    /** Opens writer connections; the first one that succeeds applies pending migrations first. */
    private static final class MigratingSource implements StorageWriter.ConnectionSource {
        private final Database db;
        private volatile boolean migrated;

        MigratingSource(Database db, boolean migrate) {
            this.db = db;
            this.migrated = !migrate;
        }

        @Override public Connection open() {
            if (!migrated) {
                synchronized (this) {
                    if (!migrated) {
                        MigrationRunner.Result r = MigrationRunner.migrate(db);
                        LOG.info("database {}: {} mode, schema version {}, {} migration(s) applied", db.where(),
                                r.mode(), r.version(), r.applied().size());
                        migrated = true;
                    }
                }
            }
            return db.connect();
        }
    }

    public int httpPort() { return api.port(); }
    public PrometheusMeterRegistry registry() { return registry; }
    public Map<String, WebsocketCollector> collectors() { return collectors; }
    public DataCache cache() { return cache; }
    public MemoryDataCache memoryCache() { return memory; }
    /** Null when {@code storage.enabled} is false. */
    public StorageWriter storageWriter() { return writer; }
    /** Null when {@code storage.enabled} is false. */
    public SpillJournal journal() { return journal; }
    /** Null when {@code storage.enabled} is false. */
    public QuarantineWriter quarantineWriter() { return quarantineWriter; }
    /** Null without storage or REST credentials. */
    public GapBackfiller backfiller() { return backfiller; }
    /** Answers latest prices, quotes, OHLCV and multi-symbol prices across memory, Redis, the database and REST. */
    public RealtimeDataProvider provider() { return provider; }
    /** Null when storage or {@code storage.maintenance_enabled} is off. */
    public MaintenanceScheduler maintenance() { return maintenance; }

    public synchronized boolean isClosed() { return closed; }
    /** What this process does. */
    public ServiceRole role() { return role; }
    /** Null unless this process publishes to the bus. */
    public BusSink busSink() { return bus.sink(); }
    /** Null unless this is a {@code store} or {@code cache} process. */
    public BusConsumer busConsumer() { return bus.consumer(); }
    /** Null unless {@code bus.feed_lease}: the leases of this process's feeds. */
    public FeedLeases feedLeases() { return bus.leases(); }

    /**
     * Completes with the reason when the service cannot go on and should stop (exit 1): a feed lease it held was
     * lost. Never completes otherwise.
     */
    public java.util.concurrent.CompletableFuture<String> failure() {
        return bus.leases() == null ? new java.util.concurrent.CompletableFuture<>() : bus.leases().failure();
    }

    /**
     * Drains and stops everything; idempotent. Every step runs even when an earlier one fails (each failure is
     * logged), so one broken component cannot keep Redis unflushed, the journal open or the port bound.
     */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        LOG.info("service stopping: draining collectors, then storage");
        housekeeping.shutdownNow();
        if (maintenance != null) closeQuietly(maintenance);          // delivers no data: out of the way first
        // no standby here starts a feed from now on, and a standby elsewhere takes the feeds held here (while they
        // drain, both may receive the same events: the stores keep one of each)
        if (bus.leases() != null) closeQuietly(bus.leases());
        for (WebsocketCollector c : collectors.values()) closeQuietly(c::stop); // last frames to the sinks
        if (bus.sink() != null) closeQuietly(() -> bus.sink().close(drain)); // publishes, or journals what is left
        if (bus.consumer() != null) closeQuietly(bus.consumer());    // commits what the destination made durable
        if (quarantineWriter != null) closeQuietly(quarantineWriter); // writes the last rejections
        if (autoBackfill != null) closeQuietly(autoBackfill);       // a running backfill hands its rows over
        if (writer != null) closeQuietly(() -> writer.close(drain));  // writes what is in memory, journals the rest
        if (rollups != null) closeQuietly(rollups);                 // refreshes the roll-ups the writer marked
        if (cache != memory) closeQuietly(cache);                    // Redis writer flushes its queue
        if (journal != null) closeQuietly(journal);
        if (bus.sink() != null) closeQuietly(bus.sink().journal());
        closeQuietly(api);
        closeQuietly(provider);
        closeQuietly(rest);
        for (WebsocketCollector c : collectors.values()) closeQuietly(c);
        closeQuietly(processMetrics);
        LOG.info("service stopped");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
