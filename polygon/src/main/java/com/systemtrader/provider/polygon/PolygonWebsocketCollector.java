package com.systemtrader.provider.polygon;

import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.Provider;
import com.systemtrader.credentials.Secret;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects Polygon (Massive) stocks data over WebSocket: connects, authenticates with the active key of the
 * {@link APIKeyManager}, subscribes the configured channels ({@code T}, {@code Q}, {@code A}, {@code AM},
 * {@code LULD}, {@code NOI}) for the desired symbols and keeps them across reconnects.
 *
 * <pre>{@code
 * try (var collector = new PolygonWebsocketCollector(config.polygon(), keys)) {
 *     collector.addListener(event -> strategy.onEvent(event));
 *     collector.addSymbol("AAPL");
 *     collector.start();
 *     collector.getLatestData("AAPL", RecordType.TRADE);
 * }
 * }</pre>
 */
public final class PolygonWebsocketCollector extends WebsocketCollector {
    public PolygonWebsocketCollector(FeedConfig config, APIKeyManager keys) {
        this(config, keys, null);
    }

    public PolygonWebsocketCollector(FeedConfig config, APIKeyManager keys, MeterRegistry registry) {
        this(config, keys, DataConfig.defaults(), registry);
    }

    /** With the {@code data} section's cleaner and bar settings. */
    public PolygonWebsocketCollector(FeedConfig config, APIKeyManager keys, DataConfig data, MeterRegistry registry) {
        super(config, protocol(config, keys), data, registry);
    }

    private static PolygonFeedProtocol protocol(FeedConfig config, APIKeyManager keys) {
        AtomicReference<Secret> used = new AtomicReference<>();
        String path = config.streamUri().getPath();
        String feed = path == null || path.isEmpty() ? "stocks" : path.substring(1);
        return new PolygonFeedProtocol(feed, () -> {
            Secret key = keys.active(Provider.POLYGON).id();
            used.set(key);
            return key.reveal();
        }, reason -> keys.rotate(Provider.POLYGON, used.get(), reason));
    }
}
