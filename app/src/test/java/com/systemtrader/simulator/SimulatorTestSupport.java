package com.systemtrader.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.provider.alpaca.AlpacaClientMessage;
import com.systemtrader.provider.alpaca.AlpacaSuccess;
import com.systemtrader.provider.polygon.PolygonStatus;
import com.systemtrader.simulator.market.MarketConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared set-up of the simulator socket tests: a small, fast market (three symbols, one-second bars, no halts) at
 * 2,000 messages per second on a free port, and probes that are closed after each test, newest first.
 */
abstract class SimulatorTestSupport {
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA");
    static final String POLYGON_KEY = SimulatorConfig.DEFAULT_POLYGON_KEY;
    static final String ALPACA_KEY = SimulatorConfig.DEFAULT_ALPACA_KEY;
    static final String ALPACA_SECRET = SimulatorConfig.DEFAULT_ALPACA_SECRET;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    ExchangeSimulator sim;

    static MarketConfig market(long seed, List<String> symbols) {
        return MarketConfig.defaults(seed, symbols).withBarIntervalMs(1000).withHalts(0);
    }

    /** The default test configuration; tests change what they need before {@link #start}. */
    static SimulatorConfig.Builder config() {
        return SimulatorConfig.builder(market(42, SYMBOLS)).rate(2_000);
    }

    ExchangeSimulator start(SimulatorConfig.Builder builder) {
        sim = track(ExchangeSimulator.start(builder.build()));
        return sim;
    }

    ExchangeSimulator start() {
        return start(config());
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    WsProbe connect(String path, WsProbe.Codec codec) throws Exception {
        return track(WsProbe.connect(sim.uri(path), codec));
    }

    WsProbe connect(String path, WsProbe.Codec codec, HttpHeaders headers) throws Exception {
        return track(WsProbe.connect(sim.uri(path), codec, headers));
    }

    /** Connects to a Polygon path, reads the greeting and authenticates with the default key. */
    WsProbe polygonAuthenticated(String path) throws Exception {
        WsProbe p = connect(path, WsProbe.Codec.POLYGON);
        p.awaitStatus(PolygonStatus.CONNECTED);
        p.polygonAuth(POLYGON_KEY);
        p.awaitStatus(PolygonStatus.AUTH_SUCCESS);
        return p;
    }

    /** Connects to an Alpaca path, reads the greeting and authenticates with the default key. */
    WsProbe alpacaAuthenticated(String path, WsProbe.Codec codec) throws Exception {
        WsProbe p = connect(path, codec, new DefaultHttpHeaders());
        p.awaitSuccess(AlpacaSuccess.CONNECTED.msg());
        p.alpacaSend(new AlpacaClientMessage.Auth(ALPACA_KEY, ALPACA_SECRET));
        p.awaitSuccess(AlpacaSuccess.AUTHENTICATED.msg());
        assertThat(p.isOpen()).isTrue();
        return p;
    }

    @AfterEach
    void closeResources() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
