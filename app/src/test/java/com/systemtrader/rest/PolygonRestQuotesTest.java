package com.systemtrader.rest;

import com.systemtrader.provider.polygon.PolygonRestClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.systemtrader.codec.Timestamps;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PolygonRestClient#quotes} against the simulator's {@code /v3/quotes} over loopback. */
class PolygonRestQuotesTest extends RestTestSupport {
    private PolygonRestClient client;

    @BeforeEach
    void setUp() {
        start(simConfig());
        APIKeyManager keys = keys(0, 0);
        client = new PolygonRestClient(base(), keys, transport(FAST));
    }

    @Test
    void v3QuotesPaginateAndMatchTheMarketsQuotes() {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.history().quotes("AAPL", 0, Long.MAX_VALUE,
                Integer.MAX_VALUE).size() > 1_200);
        List<Quote> all = sim.history().quotes("AAPL", 0, Long.MAX_VALUE, Integer.MAX_VALUE);
        long from = all.get(100).eventTimeNs();
        long to = all.get(1_100).eventTimeNs();
        await().until(() -> Timestamps.nowNs() - to > 1_000_000_000L);
        List<Quote> truth = sim.history().quotes("AAPL", from, to, Integer.MAX_VALUE);

        List<Quote> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        long n = client.quotes("AAPL", from, to, 150, page -> {
            sizes.add(page.size());
            paged.addAll(page);
        });
        List<Quote> big = new ArrayList<>();
        client.quotes("AAPL", from, to, 50_000, big::addAll);

        assertThat(truth).hasSizeGreaterThanOrEqualTo(1_000);
        assertThat(n).isEqualTo(truth.size());
        assertThat(sizes.size()).isGreaterThanOrEqualTo(truth.size() / 150);
        assertThat(paged).hasSameSizeAs(big).hasSameSizeAs(truth);
        for (int i = 0; i < truth.size(); i++) {
            Quote p = paged.get(i);
            Quote t = truth.get(i);
            assertThat(p.source()).isEqualTo(DataSource.POLYGON);
            assertThat(p.symbol()).isEqualTo("AAPL");
            assertThat(p.eventTimeNs()).isEqualTo(t.eventTimeNs());
            assertThat(p.sequence()).isEqualTo(t.sequence()).isEqualTo(big.get(i).sequence());
            assertThat(p.bidExchange()).isEqualTo(t.bidExchange());
            assertThat(p.bidPrice()).isEqualTo(t.bidPrice());
            assertThat(p.bidSize()).isEqualTo(t.bidSize());
            assertThat(p.askExchange()).isEqualTo(t.askExchange());
            assertThat(p.askPrice()).isEqualTo(t.askPrice());
            assertThat(p.askSize()).isEqualTo(t.askSize());
            assertThat(p.conditions()).isEqualTo(t.conditions());
            assertThat(p.indicators()).isEqualTo(t.indicators());
            assertThat(p.tape()).isEqualTo(t.tape());
        }
        assertThat(client.quotes("NOSUCH", from, to, 100, page -> { })).isZero();
    }
}
