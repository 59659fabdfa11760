package com.systemtrader.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.provider.polygon.PolygonRestClient;
import com.systemtrader.rest.RestSettings;
import com.systemtrader.rest.RestTransport;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Polygon's history tells the backfill: its channels, and REST times cut to the stream's millisecond. */
class PolygonVendorRestTest {
    private static final long T = 1_764_000_000_123_456_789L;

    @Test void channelsNameWhatTheFeedStreams() {
        try (RestTransport transport = RestTransport.create(RestSettings.DEFAULTS, null)) {
            channels(new PolygonVendorRest(new PolygonRestClient(URI.create("http://127.0.0.1:9"), APIKeyManager.load(
                    Path.of("no-such-credentials.yaml"), Map.of("POLYGON_API_KEY", "pk-history-test-0123456789"),
                    Clock.systemUTC()), transport)));
        }
    }

    private static void channels(PolygonVendorRest h) {
        assertThat(h.source()).isEqualTo(DataSource.POLYGON);
        assertThat(h.streamsTrades(List.of())).isTrue();
        assertThat(h.streamsTrades(List.of("T", "Q"))).isTrue();
        assertThat(h.streamsTrades(List.of("trades"))).as("Alpaca's name is not Polygon's").isFalse();
        assertThat(h.streamsMinuteBars(List.of("AM"))).isTrue();
        assertThat(h.streamsMinuteBars(List.of("A"))).as("second aggregates are not minute bars").isFalse();
        assertThat(h.backfillsQuotes(List.of("Q"))).isTrue();
        assertThat(h.backfillsQuotes(List.of("T"))).isFalse();
    }

    @Test void aRestTradeGetsTheStreamsMillisecondTimesAndKeepsEverythingElse() {
        Trade rest = new Trade(DataSource.POLYGON, "AAPL", T, 5L, 101.25, 100, 4, "77", 'C', 9L, 202, T - 1_000_001,
                Conditions.of(12, 37));
        Trade t = PolygonVendorRest.alignToStream(rest);
        assertThat(t.eventTimeNs()).isEqualTo(1_764_000_000_123_000_000L);
        assertThat(t.trfTimeNs()).isEqualTo(1_764_000_000_122_000_000L);
        assertThat(t.tradeId()).isEqualTo("77");
        assertThat(t.conditions()).isEqualTo(rest.conditions());
        Trade exact = PolygonVendorRest.alignToStream(t);
        assertThat(exact).isSameAs(t);
        Trade noTrf = new Trade(DataSource.POLYGON, "AAPL", T, 5L, 1, 1, 4, "1", 'C', 1L, Absent.INT, Absent.LONG,
                Conditions.NONE);
        assertThat(PolygonVendorRest.alignToStream(noTrf).trfTimeNs()).isEqualTo(Absent.LONG);
    }

    /** A range in the stream's (millisecond) times asks the SIP times whose millisecond lies in it. */
    @Test void aRangeInStreamTimesAsksTheSipTimesOfItsMilliseconds() {
        long ms = 1_000_000L, t = 1_764_000_000_619_000_000L;
        // the stream stamps SIP .6194 as .619: in a range ending at .619001, not in one ending at .619
        assertThat(PolygonVendorRest.sipTo(t + 1_000)).isEqualTo(t + ms);
        assertThat(PolygonVendorRest.sipTo(t)).isEqualTo(t);
        // a range starting at .619001 holds stream times from .620: SIP times from .620
        assertThat(PolygonVendorRest.sipFrom(t + 1_000)).isEqualTo(t + ms);
        assertThat(PolygonVendorRest.sipFrom(t)).isEqualTo(t);
    }

    @Test void aRestQuoteGetsTheStreamsMillisecondTime() {
        Quote rest = new Quote(DataSource.POLYGON, "AAPL", T, 5L, 11, 100.0, 2, 12, 100.5, 3, Conditions.NONE,
                Conditions.NONE, 'C', 42L);
        assertThat(PolygonVendorRest.alignToStream(rest).eventTimeNs()).isEqualTo(1_764_000_000_123_000_000L);
        assertThat(PolygonVendorRest.alignToStream(rest).sequence()).isEqualTo(42L);
    }
}
