package com.systemtrader.provider.polygon;

import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.CredentialSpec;
import com.systemtrader.credentials.Provider;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.schema.DataSource;
import com.systemtrader.vendor.ConditionCodes;
import com.systemtrader.vendor.VendorModule;
import com.systemtrader.vendor.VendorRest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;

/**
 * Polygon (Massive) for the core. Its key is one string: {@code POLYGON_API_KEY} (or its new brand's
 * {@code MASSIVE_API_KEY}), {@code polygon.api_key} in the credentials file; REST sends it as
 * {@code Authorization: Bearer}, and a 401 rejects it. Keys have no REST rate limit by default (paid plans have
 * none; set {@code polygon.rate_limit_per_minute} for the free plan's 5).
 */
public final class PolygonModule implements VendorModule {
    static final CredentialSpec CREDENTIALS = new CredentialSpec(Provider.POLYGON,
            List.of("POLYGON_API_KEY", "MASSIVE_API_KEY"), null, "api_key", null, 0,
            (key, header) -> header.accept("Authorization", "Bearer " + key.id().reveal()), Set.of(401));

    @Override public Provider provider() { return Provider.POLYGON; }

    @Override public DataSource source() { return DataSource.POLYGON; }

    @Override public CredentialSpec credentials() { return CREDENTIALS; }

    @Override public FeedConfig feed(CollectorConfig config) { return config.polygon(); }

    @Override public WebsocketCollector collector(FeedConfig feed, APIKeyManager keys, DataConfig data,
                                                  MeterRegistry registry) {
        return new PolygonWebsocketCollector(feed, keys, data, registry);
    }

    @Override public ConditionCodes conditionCodes() { return ConditionCodes.NUMERIC_IDS; }

    @Override public VendorRest rest(CollectorConfig config, APIKeyManager keys, RestTransport transport) {
        return new PolygonVendorRest(new PolygonRestClient(config.polygonRestUrl(), keys, transport));
    }
}
