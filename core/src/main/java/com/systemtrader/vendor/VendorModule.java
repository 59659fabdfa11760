package com.systemtrader.vendor;

import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.CredentialSpec;
import com.systemtrader.credentials.Provider;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.schema.DataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;

/**
 * One vendor's adapter as the core and the composition root find it: each vendor's module registers one in
 * {@code META-INF/services/com.systemtrader.vendor.VendorModule}, and {@link #installed()} lists those on the class
 * path. Everything the core needs to know of a vendor comes through here; nothing outside the adapter names it.
 */
public interface VendorModule {
    /** Whose adapter this is: names its credentials, its metrics and its configuration section. */
    Provider provider();

    /** The source its events carry. */
    DataSource source();

    /** How its keys are found, named and sent. */
    CredentialSpec credentials();

    /** Its WebSocket feed's settings in {@code config} (its section of {@code collector_config.yaml}). */
    FeedConfig feed(CollectorConfig config);

    /** A collector of its WebSocket feed; starts nothing. */
    WebsocketCollector collector(FeedConfig feed, APIKeyManager keys, DataConfig data, MeterRegistry registry);

    /** How its trade condition codes read (eligibility, late reports). */
    ConditionCodes conditionCodes();

    /** Its REST API over {@code transport}, with the REST settings of {@code config}. */
    VendorRest rest(CollectorConfig config, APIKeyManager keys, RestTransport transport);

    /** The adapters on the class path, in {@link Provider} order. */
    static List<VendorModule> installed() {
        return Installed.MODULES;
    }

    /** The adapter of {@code source}, when installed. */
    static Optional<VendorModule> of(DataSource source) {
        return installed().stream().filter(m -> m.source() == source).findFirst();
    }

    /**
     * The condition codes of {@code source}: its adapter's, or {@link ConditionCodes#NUMERIC_IDS} for a source without
     * one. An array lookup (it runs per trade).
     */
    static ConditionCodes conditions(com.systemtrader.schema.DataSource source) {
        return Installed.CONDITIONS[source.ordinal()];
    }

    /** The credential specs of the installed adapters. */
    static List<CredentialSpec> credentialSpecs() {
        return installed().stream().map(VendorModule::credentials).toList();
    }
}
