package com.systemtrader.provider.alpaca;

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
 * Alpaca Market Data v2 for the core. Its key is a pair: {@code APCA_API_KEY_ID} + {@code APCA_API_SECRET_KEY},
 * {@code alpaca.key_id} + {@code alpaca.secret_key} in the credentials file; REST sends them as the
 * {@code APCA-API-KEY-ID} / {@code APCA-API-SECRET-KEY} headers, and a 401 or 403 rejects them. The free plan's
 * 200 requests per minute is the default rate limit.
 */
public final class AlpacaModule implements VendorModule {
    static final CredentialSpec CREDENTIALS = new CredentialSpec(Provider.ALPACA, List.of("APCA_API_KEY_ID"),
            "APCA_API_SECRET_KEY", "key_id", "secret_key", 200, (key, header) -> {
                header.accept("APCA-API-KEY-ID", key.id().reveal());
                header.accept("APCA-API-SECRET-KEY", key.secret().reveal());
            }, Set.of(401, 403));

    @Override public Provider provider() { return Provider.ALPACA; }

    @Override public DataSource source() { return DataSource.ALPACA; }

    @Override public CredentialSpec credentials() { return CREDENTIALS; }

    @Override public FeedConfig feed(CollectorConfig config) { return config.alpaca(); }

    @Override public WebsocketCollector collector(FeedConfig feed, APIKeyManager keys, DataConfig data,
                                                  MeterRegistry registry) {
        return new AlpacaWebsocketCollector(feed, keys, data, registry);
    }

    @Override public ConditionCodes conditionCodes() { return AlpacaConditions.INSTANCE; }

    @Override public VendorRest rest(CollectorConfig config, APIKeyManager keys, RestTransport transport) {
        return new AlpacaVendorRest(new AlpacaRestClient(config.alpacaRestUrl(), keys, transport, restFeed(config)));
    }

    /** The REST feed: the stream's feed when REST knows it (the test feed has no REST counterpart). */
    static String restFeed(CollectorConfig config) {
        String f = config.alpaca().feed();
        return f != null && AlpacaRestClient.FEEDS.contains(f) ? f : null;
    }
}
