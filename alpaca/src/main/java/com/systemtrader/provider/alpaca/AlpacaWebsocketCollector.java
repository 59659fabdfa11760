package com.systemtrader.provider.alpaca;

import com.systemtrader.collector.WebsocketCollector;
import com.systemtrader.config.DataConfig;
import com.systemtrader.config.FeedConfig;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.ApiKey;
import com.systemtrader.credentials.Provider;
import com.systemtrader.credentials.Secret;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects Alpaca stock data over the market data stream v2 ({@code iex}, {@code sip}, {@code delayed_sip} or
 * {@code test} feed): authenticates with the active key pair of the {@link APIKeyManager}, subscribes the
 * configured channels ({@code trades}, {@code quotes}, {@code bars}, {@code updatedBars}, {@code dailyBars},
 * {@code statuses}, {@code lulds}, {@code imbalances}; corrections and cancels come with trades) and keeps them
 * across reconnects. Speaks MessagePack by default, as the official SDKs ({@code alpaca.websocket.wire_format:
 * json} for JSON text frames). Usage as {@link com.systemtrader.provider.polygon.PolygonWebsocketCollector}.
 */
public final class AlpacaWebsocketCollector extends WebsocketCollector {
    public AlpacaWebsocketCollector(FeedConfig config, APIKeyManager keys) {
        this(config, keys, null);
    }

    public AlpacaWebsocketCollector(FeedConfig config, APIKeyManager keys, MeterRegistry registry) {
        this(config, keys, DataConfig.defaults(), registry);
    }

    /** With the {@code data} section's cleaner and bar settings. */
    public AlpacaWebsocketCollector(FeedConfig config, APIKeyManager keys, DataConfig data, MeterRegistry registry) {
        super(config, protocol(config, keys), data, registry);
    }

    private static AlpacaFeedProtocol protocol(FeedConfig config, APIKeyManager keys) {
        if (config.feed() == null) throw new IllegalArgumentException("alpaca.websocket.feed is required");
        AtomicReference<Secret> used = new AtomicReference<>();
        return new AlpacaFeedProtocol(config.feed(), AlpacaWireFormat.ofConfigName(config.wireFormat()), () -> {
            ApiKey k = keys.active(Provider.ALPACA);
            used.set(k.id());
            return new String[] {k.id().reveal(), k.secret().reveal()};
        }, reason -> keys.rotate(Provider.ALPACA, used.get(), reason));
    }
}
