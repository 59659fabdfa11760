package com.systemtrader.data;

import com.systemtrader.cache.MemoryDataCache;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.storage.Database;
import com.systemtrader.vendor.VendorModule;
import com.systemtrader.vendor.VendorRest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link RealtimeDataProvider} from {@code config/collector_config.yaml} as the service and the CLI do:
 * Redis when {@code redis.enabled} (password from the environment, {@code CacheConfig.redisWithSecrets}), the
 * database of the {@code storage} section ({@code Database.fromEnvironment}), and each provider's REST client
 * when its key is configured ({@link APIKeyManager}). The provider owns the REST transport it creates.
 */
public final class ProviderSetup {
    private ProviderSetup() {}

    /** Which tiers to use. */
    public record Tiers(boolean redis, boolean database, boolean rest) {
        public static final Tiers ALL = new Tiers(true, true, true);
    }

    /**
     * The REST APIs of the installed providers whose keys are configured, over one shared transport, in
     * {@code Provider} order (the backfill's restart default); no transport and no vendors when no key is configured.
     */
    public record RestClients(RestTransport transport, List<VendorRest> vendors) implements AutoCloseable {
        public RestClients {
            vendors = List.copyOf(vendors);
        }

        static final RestClients NONE = new RestClients(null, List.of());

        /** Clients for every provider with a configured key; {@link #any()} false when there is none. */
        public static RestClients create(CollectorConfig config, APIKeyManager keys, MeterRegistry registry) {
            if (keys == null) return NONE;
            List<VendorModule> configured = VendorModule.installed().stream()
                    .filter(m -> keys.isConfigured(m.provider())).toList();
            if (configured.isEmpty()) return NONE;
            RestTransport transport = RestTransport.create(RestSettings.DEFAULTS, registry);
            List<VendorRest> vendors = new ArrayList<>();
            for (VendorModule m : configured) vendors.add(m.rest(config, keys, transport));
            return new RestClients(transport, vendors);
        }

        public boolean any() { return transport != null; }

        @Override public void close() {
            if (transport != null) transport.close();
        }
    }

    /**
     * A provider that owns its own REST clients (the CLI's case).
     *
     * @param memory   this process's memory cache, or null (a separate process has none)
     * @param registry optional
     */
    public static RealtimeDataProvider.Builder builder(CollectorConfig config, APIKeyManager keys,
                                                       Map<String, String> env, MemoryDataCache memory,
                                                       Tiers tiers, MeterRegistry registry) {
        RestClients rest = tiers.rest() ? RestClients.create(config, keys, registry) : RestClients.NONE;
        RealtimeDataProvider.Builder b = builder(config, env, memory, tiers, registry, rest);
        if (rest.any()) b.owning(rest);
        return b;
    }

    /** A provider over REST clients the caller owns (the service shares them with the gap backfill). */
    public static RealtimeDataProvider.Builder builder(CollectorConfig config, Map<String, String> env,
                                                       MemoryDataCache memory, Tiers tiers, MeterRegistry registry,
                                                       RestClients rest) {
        RealtimeDataProvider.Builder b = RealtimeDataProvider.builder().memory(memory).meterRegistry(registry)
                .cleaner(config.data().cleaner());
        if (tiers.redis() && config.cache().redisEnabled()) b.redis(config.cache().redisWithSecrets(env));
        if (tiers.database()) b.database(Database.fromEnvironment(config.storage(), env));
        if (tiers.rest()) rest.vendors().forEach(b::rest);
        return b;
    }
}
