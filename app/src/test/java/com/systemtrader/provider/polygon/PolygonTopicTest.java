package com.systemtrader.provider.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Imbalance;
import com.systemtrader.schema.LuldBand;
import com.systemtrader.schema.TradeCancel;
import org.junit.jupiter.api.Test;

class PolygonTopicTest {

    @Test
    void splitsAtTheFirstDotOnly() {
        assertThat(PolygonTopic.parse("T.AAPL")).isEqualTo(new PolygonTopic("T", "AAPL"));
        assertThat(PolygonTopic.parse("Q.BRK.A")).isEqualTo(new PolygonTopic("Q", "BRK.A"));
        assertThat(PolygonTopic.parse("NOI.NTEST.Q")).isEqualTo(new PolygonTopic("NOI", "NTEST.Q"));
        assertThat(PolygonTopic.parse(" LULD.MSFT ")).isEqualTo(new PolygonTopic("LULD", "MSFT"));
    }

    @Test
    void handlesWildcards() {
        PolygonTopic all = PolygonTopic.parse("AM.*");
        assertThat(all).isEqualTo(PolygonTopic.all("AM"));
        assertThat(all.isWildcard()).isTrue();
        assertThat(all.matches("ANYTHING")).isTrue();
        assertThat(PolygonTopic.parse("T.AAPL").matches("AAPL")).isTrue();
        assertThat(PolygonTopic.parse("T.AAPL").matches("MSFT")).isFalse();
        assertThat(PolygonTopic.parse("T.AAPL").isWildcard()).isFalse();
    }

    @Test
    void printsTheWireForm() {
        assertThat(new PolygonTopic("Q", "BRK.A").toString()).isEqualTo("Q.BRK.A");
        assertThat(PolygonTopic.all("T").toString()).isEqualTo("T.*");
    }

    @Test
    void knowsTheStocksChannels() {
        for (String c : new String[] {"T", "Q", "A", "AM", "LULD", "NOI"}) {
            assertThat(PolygonTopic.all(c).isStocksChannel()).as(c).isTrue();
        }
        assertThat(PolygonTopic.parse("FMV.AAPL").isStocksChannel()).isFalse();
    }

    @Test
    void rejectsMalformedTopics() {
        assertThatThrownBy(() -> PolygonTopic.parse("AAPL")).isInstanceOf(PolygonProtocolException.class)
                .hasMessageEndingWith("it has no dot");
        assertThatThrownBy(() -> PolygonTopic.parse(".AAPL")).hasMessageEndingWith("the channel is empty");
        assertThatThrownBy(() -> PolygonTopic.parse("T.")).hasMessageEndingWith("the ticker is empty");
        assertThatThrownBy(() -> PolygonTopic.parse("")).hasMessageEndingWith("it is empty");
        assertThatThrownBy(() -> PolygonTopic.parse(null)).isInstanceOf(PolygonProtocolException.class);
        assertThatThrownBy(() -> PolygonTopic.parse("T.AAPL,Q.AAPL")).isInstanceOf(PolygonProtocolException.class);
        assertThatThrownBy(() -> PolygonTopic.parse("T.AA PL")).isInstanceOf(PolygonProtocolException.class);
    }

    @Test
    void mapsEventsToChannels() {
        Bar minute = new Bar(DataSource.POLYGON, "A", BarInterval.MINUTE, 0, 0, 0, 1, 1, 1, 1, 1, 1, Absent.LONG,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
        Bar second = new Bar(DataSource.POLYGON, "A", BarInterval.SECOND, 0, 0, 0, 1, 1, 1, 1, 1, 1, Absent.LONG,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
        Bar daily = new Bar(DataSource.ALPACA, "A", BarInterval.DAILY, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
        assertThat(PolygonTopic.channelOf(minute)).isEqualTo("AM");
        assertThat(PolygonTopic.channelOf(second)).isEqualTo("A");
        assertThat(PolygonTopic.channelOf(daily)).isNull();
        assertThat(PolygonTopic.channelOf(new LuldBand(DataSource.POLYGON, "A", 0, 0, 1, 1, Conditions.NONE,
                Absent.CHAR, Absent.LONG))).isEqualTo("LULD");
        assertThat(PolygonTopic.channelOf(new Imbalance(DataSource.POLYGON, "A", 0, 0, 1, 1, 1, 930, 'O', 1,
                Absent.CHAR))).isEqualTo("NOI");
        assertThat(PolygonTopic.channelOf(new TradeCancel(DataSource.ALPACA, "A", 0, 0, 'V', "1", 1, 1, 'C', 'C')))
                .isNull();
    }
}
