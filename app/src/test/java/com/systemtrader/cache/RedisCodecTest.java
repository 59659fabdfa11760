package com.systemtrader.cache;

import static com.systemtrader.cache.CacheEvents.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.TradeCancel;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisCodecTest {
    /** Decoding gives the event back, except the receive time, which is not stored. */
    @Test void everyKeptTypeRoundTrips() {
        Bar derived = new Bar(DataSource.DERIVED, "AAPL", BarInterval.SECOND, T0, T0 + S, 0, 1, 2, 0.5, 1.5, 10, 1.2,
                3, 99, 1.1, 1.3, 5, true, DataSource.ALPACA);
        Bar updated = new Bar(DataSource.ALPACA, "AAPL", BarInterval.UPDATED_MINUTE, T0, T0 + 60 * S, 0, 1, 2, 0.5,
                1.5, 10, 1.2, 3, -9223372036854775808L, Double.NaN, Double.NaN, -9223372036854775808L, false);
        for (MarketEvent e : List.of(trade("AAPL", T0 + 123_456, 110.13, "7"), alpacaTrade("AAPL", T0, 0.0001, "x\"y"),
                quote("AAPL", T0 + 1, 110.12, 110.14, 9), minuteBar(DataSource.POLYGON, "AAPL", T0, 101, 1234), derived,
                updated, halt("AAPL", T0), luld("AAPL", T0), imbalance("AAPL", T0))) {
            String m = RedisCodec.encode(e);
            MarketEvent back = RedisCodec.decode(SeriesKey.of(e), m);
            assertThat(withoutReceiveTime(back)).as(m).isEqualTo(withoutReceiveTime(e));
            assertThat(back.receiveTimeNs()).isZero();
            assertThat(RedisCodec.encode(back)).isEqualTo(m);
            assertThat(RedisCodec.eventTimeNs(m)).isEqualTo(e.eventTimeNs());
        }
    }

    @Test void membersAreDeterministicAndCompact() {
        assertThat(RedisCodec.encode(trade("AAPL", T0 + 123_456, 110.13, "7")))
                .isEqualTo("{\"t\":1732400000000123456,\"p\":110.13,\"s\":100,\"x\":4,\"i\":\"7\",\"z\":\"C\","
                        + "\"q\":1007,\"c\":[12,37]}");
        assertThat(RedisCodec.encode(quote("AAPL", T0, 110, 110.5, 3)))
                .isEqualTo("{\"t\":1732400000000000000,\"bx\":11,\"bp\":110,\"bs\":3,\"ax\":12,\"ap\":110.5,"
                        + "\"as\":4,\"c\":[1],\"z\":\"C\",\"q\":3}");
    }

    /** The fast price path writes exactly Double.toString's shortest text, so members stay byte-identical. */
    @Test void pricesAreWrittenAsTheShortestTextThatReadsBack() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double p = switch (i % 3) {
                case 0 -> r.nextLong(1, 100_000_000_000L) / 10_000.0;
                case 1 -> r.nextLong(1, 10_000_000L) / 100.0;
                default -> r.nextDouble(0.0001, 5_000);
            };
            String member = RedisCodec.encode(CacheEvents.trade("AAPL", 1_795_532_400_000_000_000L, p, "1"));
            String expected = p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
            org.assertj.core.api.Assertions.assertThat(member).as("price %s", p).contains("\"p\":" + expected + ",");
        }
    }

    /** Text fields are escaped JSON in UTF-8: quotes, backslashes, control characters and non-ASCII text. */
    @Test void textIsEscapedUtf8() throws Exception {
        var status = new com.systemtrader.schema.TradingStatus(DataSource.POLYGON, "AAPL", T0, T0, "H",
                "say \"halt\" \\ now\n\u0001", "T1", "Zürich \u20ac \ud83d\ude80 done", 'C');
        RedisCodec.Member m = new RedisCodec.Member();
        assertThat(m.encode(status)).isTrue();
        byte[] bytes = m.bytes();
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bytes).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(text).contains("\"sm\":\"say \\\"halt\\\" \\\\ now\\u000a\\u0001\"",
                "\"rm\":\"Zürich \u20ac \ud83d\ude80 done\"");
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
        assertThat(parsed.path("sm").asText()).isEqualTo(status.statusMessage());
        assertThat(parsed.path("rm").asText()).isEqualTo(status.reasonMessage());
        assertThat(RedisCodec.decode(SeriesKey.of(status), text)).extracting(e -> ((com.systemtrader.schema
                .TradingStatus) e).reasonMessage()).isEqualTo(status.reasonMessage());
    }

    @Test void typesNotKeptEncodeToNull() {
        assertThat(RedisCodec.encode(new TradeCancel(DataSource.ALPACA, "AAPL", T0, T0, 'V', "1", 1, 1, 'C', 'C')))
                .isNull();
    }

    /** The record's components except the receive time, by name (boxed, so NaN equals NaN). */
    private static java.util.Map<String, Object> withoutReceiveTime(MarketEvent e) {
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        for (var c : e.getClass().getRecordComponents()) {
            if (c.getName().equals("receiveTimeNs")) continue;
            try {
                m.put(c.getName(), c.getAccessor().invoke(e));
            } catch (ReflectiveOperationException x) {
                throw new AssertionError(x);
            }
        }
        return m;
    }
}
