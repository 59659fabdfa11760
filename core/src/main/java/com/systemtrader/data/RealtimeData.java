package com.systemtrader.data;

import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.DataSource;
import java.time.Clock;
import java.util.Collection;

/**
 * The original docs' static style: {@code RealtimeData.getLatestPrice("AAPL")} on a default
 * {@link RealtimeDataProvider}. The default is the one given to {@link #setDefault}, or else one built on first
 * use from {@code config/collector_config.yaml} and {@code config/api_credentials.yaml} (environment overrides
 * apply; Redis, database and REST as configured, no memory tier). Tests and programs with several
 * configurations use provider instances directly.
 */
public final class RealtimeData {
    private static RealtimeDataProvider instance;

    private RealtimeData() {}

    /** Replaces the default instance (the previous one is not closed); null makes the next call build one. */
    public static synchronized void setDefault(RealtimeDataProvider provider) {
        instance = provider;
    }

    public static synchronized RealtimeDataProvider defaultInstance() {
        if (instance == null) {
            var env = System.getenv();
            APIKeyManager keys = APIKeyManager.load(APIKeyManager.DEFAULT_FILE, env, Clock.systemUTC());
            // the library works without a file: a missing or empty default file means the built-in defaults
            instance = ProviderSetup.builder(ConfigLoader.readIfPresent(ConfigLoader.DEFAULT_FILE, env).config(), keys,
                    env, null,
                    ProviderSetup.Tiers.ALL, null).build();
        }
        return instance;
    }

    public static LatestPrice getLatestPrice(String symbol) {
        return defaultInstance().getLatestPrice(symbol);
    }

    public static LatestPrice getLatestPrice(String symbol, DataSource source) {
        return defaultInstance().getLatestPrice(symbol, source);
    }

    public static LatestQuote getLatestQuote(String symbol) {
        return defaultInstance().getLatestQuote(symbol);
    }

    public static LatestQuote getLatestQuote(String symbol, DataSource source) {
        return defaultInstance().getLatestQuote(symbol, source);
    }

    public static OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval) {
        return defaultInstance().getOhlcv(symbol, bars, interval);
    }

    public static OhlcvSeries getOhlcv(String symbol, int bars, OhlcvInterval interval, DataSource source) {
        return defaultInstance().getOhlcv(symbol, bars, interval, source);
    }

    public static MultiPrices getMultiSymbolPrices(Collection<String> symbols) {
        return defaultInstance().getMultiSymbolPrices(symbols);
    }
}
