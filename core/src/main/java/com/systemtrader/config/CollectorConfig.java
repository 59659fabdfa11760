package com.systemtrader.config;

import com.systemtrader.storage.StorageConfig;
import java.net.URI;

/**
 * The whole of {@code config/collector_config.yaml}.
 *
 * @param polygon         Polygon's WebSocket feed ({@code polygon.websocket})
 * @param polygonRestUrl  Polygon REST base ({@code polygon.rest.url}), e.g. {@code https://api.polygon.io}
 * @param alpaca          Alpaca's WebSocket feed ({@code alpaca.websocket})
 * @param alpacaRestUrl   Alpaca market data REST base ({@code alpaca.rest.url}), e.g. {@code https://data.alpaca.markets}
 * @param data            the {@code data} section
 * @param storage         the {@code storage} section (database URL, user, mode, retention)
 * @param cache           the {@code cache} and {@code redis} sections
 * @param service         the {@code service} section and the service's storage keys (HTTP API, database sink)
 * @param bus             the {@code bus} section (the Kafka bus of the scale-out roles)
 */
public record CollectorConfig(FeedConfig polygon, URI polygonRestUrl, FeedConfig alpaca, URI alpacaRestUrl,
                              DataConfig data, StorageConfig storage, CacheConfig cache,
                              ServiceConfig service, BusSettings bus) {
    public static CollectorConfig defaults() {
        return new CollectorConfig(FeedConfig.polygonDefaults(), URI.create("https://api.polygon.io"),
                FeedConfig.alpacaDefaults(), URI.create("https://data.alpaca.markets"), DataConfig.defaults(),
                StorageConfig.defaults(), CacheConfig.defaults(), ServiceConfig.defaults(), BusSettings.defaults());
    }

    public CollectorConfig withService(ServiceConfig s) {
        return new CollectorConfig(polygon, polygonRestUrl, alpaca, alpacaRestUrl, data, storage, cache, s, bus);
    }
}
