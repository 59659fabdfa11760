package com.systemtrader.simulator;

import com.systemtrader.simulator.market.MarketConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the exchange simulator.
 *
 * @param host                  bind address (default 127.0.0.1)
 * @param port                  0 picks a free port
 * @param market                the synthetic market
 * @param ratePerSecond         data messages (trades + quotes) generated per second across all symbols
 * @param maxEventsPerFrame     upper bound of data elements batched into one frame
 * @param polygonKeys           accepted Polygon API keys
 * @param alpacaKeys            accepted Alpaca key id -> secret
 * @param alpacaSipEntitled     false: {@code /v2/sip} answers 409 insufficient subscription (a Basic plan)
 * @param alpacaIexSymbolLimit  symbols allowed on {@code /v2/iex} for trades + quotes (405 beyond); 0 = unlimited
 * @param authTimeoutMs         time to authenticate after connecting (both providers: 10 s)
 * @param slowConsumerBytes     unsent bytes per connection above which it is killed as a slow consumer
 * @param polygonRestPerMinute  REST requests per minute per Polygon key (0 = unlimited)
 * @param alpacaRestPerMinute   REST requests per minute per Alpaca key (0 = unlimited)
 * @param truthFile             ground-truth JSON lines of every data event sent, or null
 */
public record SimulatorConfig(String host, int port, MarketConfig market, long ratePerSecond, int maxEventsPerFrame,
                              Set<String> polygonKeys, Map<String, String> alpacaKeys, boolean alpacaSipEntitled,
                              int alpacaIexSymbolLimit, long authTimeoutMs, long slowConsumerBytes,
                              int polygonRestPerMinute, int alpacaRestPerMinute, Path truthFile) {
    public static final String DEFAULT_POLYGON_KEY = "sim-polygon-key";

    /** Credentials are left out: this string may be logged. */
    @Override public String toString() {
        return "SimulatorConfig[host=" + host + ", port=" + port + ", symbols=" + market.symbols().size()
                + ", rate=" + ratePerSecond + ", polygonKeys=" + polygonKeys.size() + ", alpacaKeys="
                + alpacaKeys.size() + ", truthFile=" + truthFile + "]";
    }
    public static final String DEFAULT_ALPACA_KEY = "sim-alpaca-key";
    public static final String DEFAULT_ALPACA_SECRET = "sim-alpaca-secret";

    public SimulatorConfig {
        polygonKeys = Set.copyOf(polygonKeys);
        alpacaKeys = Map.copyOf(alpacaKeys);
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (ratePerSecond < 0) throw new IllegalArgumentException("rate must not be negative");
        if (maxEventsPerFrame < 1) throw new IllegalArgumentException("batch must be at least 1");
        if (authTimeoutMs < 1) throw new IllegalArgumentException("auth timeout must be positive");
        if (slowConsumerBytes < 65_536) throw new IllegalArgumentException("slow-consumer bytes must be >= 65536");
    }

    /** Local defaults: 127.0.0.1, a free port, 1,000 messages/s, the documented default credentials. */
    public static Builder builder(MarketConfig market) {
        return new Builder(market);
    }

    /** Builds a {@link SimulatorConfig}, starting from the local defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private final MarketConfig market;
        private long rate = 1_000;
        private int maxEventsPerFrame = 100;
        private Set<String> polygonKeys = Set.of(DEFAULT_POLYGON_KEY);
        private Map<String, String> alpacaKeys = Map.of(DEFAULT_ALPACA_KEY, DEFAULT_ALPACA_SECRET);
        private boolean alpacaSipEntitled = true;
        private int alpacaIexSymbolLimit = 30;
        private long authTimeoutMs = 10_000;
        private long slowConsumerBytes = 64L << 20;
        private int polygonRestPerMinute;
        private int alpacaRestPerMinute = 200;
        private Path truthFile;

        private Builder(MarketConfig market) { this.market = market; }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder rate(long v) { rate = v; return this; }
        public Builder maxEventsPerFrame(int v) { maxEventsPerFrame = v; return this; }
        public Builder polygonKeys(Set<String> v) { polygonKeys = v; return this; }
        public Builder alpacaKeys(Map<String, String> v) { alpacaKeys = v; return this; }
        public Builder alpacaSipEntitled(boolean v) { alpacaSipEntitled = v; return this; }
        public Builder alpacaIexSymbolLimit(int v) { alpacaIexSymbolLimit = v; return this; }
        public Builder authTimeoutMs(long v) { authTimeoutMs = v; return this; }
        public Builder slowConsumerBytes(long v) { slowConsumerBytes = v; return this; }
        public Builder polygonRestPerMinute(int v) { polygonRestPerMinute = v; return this; }
        public Builder alpacaRestPerMinute(int v) { alpacaRestPerMinute = v; return this; }
        public Builder truthFile(Path v) { truthFile = v; return this; }

        public SimulatorConfig build() {
            return new SimulatorConfig(host, port, market, rate, maxEventsPerFrame, polygonKeys, alpacaKeys,
                    alpacaSipEntitled, alpacaIexSymbolLimit, authTimeoutMs, slowConsumerBytes, polygonRestPerMinute,
                    alpacaRestPerMinute, truthFile);
        }
    }
}
