package com.systemtrader.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.MalformedFrameException;
import com.systemtrader.codec.RecordingHandler;
import com.systemtrader.codec.SymbolTable;
import com.systemtrader.provider.polygon.PolygonDecoder;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.tools.SimpleWsClient;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** permessage-deflate is negotiated when the client offers it, as on the real servers, and not otherwise. */
class CompressionTest {
    private final ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
            MarketConfig.defaults(7, List.of("AAPL", "MSFT")).withHalts(0)).rate(2_000).build());

    @AfterEach void stop() { sim.close(); }

    @Test void deflateIsNegotiatedWhenOfferedAndFramesStillDecode() throws Exception {
        RecordingHandler seen = new RecordingHandler();
        PolygonDecoder decoder = new PolygonDecoder(new SymbolTable());
        try (SimpleWsClient c = SimpleWsClient.connectWithDeflate(sim.uri("/stocks"), (b, bin) -> {
            byte[] bytes = ByteBufUtil.getBytes(b);
            synchronized (seen) {
                try {
                    decoder.decode(bytes, 0, bytes.length, 0L, seen);
                } catch (MalformedFrameException e) {
                    throw new AssertionError(e);
                }
            }
        })) {
            assertThat(c.deflateActive()).isTrue();
            c.sendText("{\"action\":\"auth\",\"params\":\"" + SimulatorConfig.DEFAULT_POLYGON_KEY + "\"}");
            c.sendText("{\"action\":\"subscribe\",\"params\":\"T.AAPL\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                synchronized (seen) {
                    return seen.events.size() >= 20;
                }
            });
            synchronized (seen) {
                assertThat(seen.events).allSatisfy(e -> {
                    assertThat(e).isInstanceOf(Trade.class);
                    assertThat(e.symbol()).isEqualTo("AAPL");
                });
            }
        }
    }

    @Test void noCompressionUnlessOffered() throws Exception {
        try (SimpleWsClient c = SimpleWsClient.connect(sim.uri("/stocks"), (b, bin) -> { })) {
            assertThat(c.deflateActive()).isFalse();
        }
    }
}
