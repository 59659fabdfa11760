package com.systemtrader.config;

import java.net.URI;

/**
 * The whole of {@code config/collector_config.yaml}.
 *
 * @param polygon         Polygon's WebSocket feed ({@code polygon.websocket})
 * @param polygonRestUrl  Polygon REST base ({@code polygon.rest.url}), e.g. {@code https://api.polygon.io}
 * @param alpaca          Alpaca's WebSocket feed ({@code alpaca.websocket})
 * @param alpacaRestUrl   Alpaca market data REST base ({@code alpaca.rest.url}), e.g. {@code https://data.alpaca.markets}
 * @param data            the {@code data} section
 */
public record CollectorConfig(FeedConfig polygon, URI polygonRestUrl, FeedConfig alpaca, URI alpacaRestUrl,
                              DataConfig data) {
    public static CollectorConfig defaults() {
        return new CollectorConfig(FeedConfig.polygonDefaults(), URI.create("https://api.polygon.io"),
                FeedConfig.alpacaDefaults(), URI.create("https://data.alpaca.markets"), DataConfig.defaults());
    }
}
