package com.systemtrader.bars;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.clean.DataCleaner;
import com.systemtrader.clean.Flags;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Bar;
import com.systemtrader.schema.BarInterval;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import com.systemtrader.schema.TradeCancel;
import com.systemtrader.schema.TradeCorrection;
import com.systemtrader.sip.TradeEligibility;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bars from trades under the SIP rules, with late trades, cancels and corrections. */
class BarBuilderTest {
    /** 2026-11-24 10:00 ET (regular session), a minute boundary. */
    private static final long T0 = 1_795_532_400_000_000_000L;
    /** 2026-11-24 07:00 ET (pre-market). */
    private static final long PRE = 1_795_521_600_000_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private record Published(Bar bar, boolean revision) {}

    private final List<Published> out = new ArrayList<>();
    private final DataCleaner cleaner = DataCleaner.withDefaults("polygon", "stocks");
    private final DataCleaner alpacaCleaner = DataCleaner.withDefaults("alpaca", "v2/sip");
    private final BarBuilder builder = new BarBuilder(BarConfig.defaults(), DataSource.POLYGON,
            TradeEligibility.standard(), 10 * S, (b, r) -> out.add(new Published(b, r)));

    private void trade(long t, double price, long size, String id, long now, int... conditions) {
        Trade tr = new Trade(DataSource.POLYGON, "AAPL", t, now, price, size, 11, id, 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.of(conditions));
        builder.onTrade(tr, cleaner.clean(tr, true), now);
    }

    /** Minute bars as published, first versions and revisions (a revision is an {@code UPDATED_MINUTE}). */
    private List<Bar> minutes() {
        return out.stream().map(Published::bar).filter(b -> b.interval() == BarInterval.MINUTE
                || b.interval() == BarInterval.UPDATED_MINUTE).toList();
    }

    @Test void aMinuteBarFollowsTheSipRulesAndIsPublishedAfterTheEmitDelay() {
        trade(T0 + 1 * S, 100.00, 100, "1", T0 + S);
        trade(T0 + 2 * S, 101.00, 100, "2", T0 + 2 * S);
        trade(T0 + 3 * S, 99.00, 10, "3", T0 + 3 * S, 37);   // odd lot: volume only
        trade(T0 + 4 * S, 98.00, 100, "4", T0 + 4 * S, 32);  // sold out of sequence: high/low, volume, no close
        trade(T0 + 5 * S, 150.00, 500, "5", T0 + 5 * S, 2);  // average price: volume only
        trade(T0 + 6 * S, 100.50, 100, "6", T0 + 6 * S);
        builder.tick(T0 + 60 * S + 500 * MS);
        assertThat(minutes()).isEmpty();
        builder.tick(T0 + 61 * S);
        Bar b = minutes().get(0);
        assertThat(b.source()).isEqualTo(DataSource.DERIVED);
        assertThat(b.origin()).isEqualTo(DataSource.POLYGON);
        assertThat(b.eventTimeNs()).isEqualTo(T0);
        assertThat(b.endTimeNs()).isEqualTo(T0 + 60 * S);
        assertThat(new double[] {b.open(), b.high(), b.low(), b.close()}).containsExactly(100.00, 101.00, 98.00, 100.50);
        assertThat(b.volume()).isEqualTo(910);
        assertThat(b.tradeCount()).isEqualTo(6);
        assertThat(b.vwap()).isCloseTo((100.0 * 100 + 101 * 100 + 99 * 10 + 98 * 100 + 150 * 500 + 100.5 * 100) / 910,
                org.assertj.core.data.Offset.offset(1e-9));
        long seconds = out.stream().filter(p -> p.bar().interval() == BarInterval.SECOND).count();
        assertThat(seconds).as("one-second bars for 1, 2 and 6 (3 and 5 set no price, 4 no open/close)").isEqualTo(3);
    }

    @Test void openAndCloseGoByEventTimeNotArrival() {
        trade(T0 + 30 * S, 101, 100, "1", T0 + 30 * S);
        trade(T0 + 10 * S, 100, 100, "2", T0 + 31 * S);
        trade(T0 + 20 * S, 102, 100, "3", T0 + 32 * S);
        builder.tick(T0 + 61 * S);
        Bar b = minutes().get(0);
        assertThat(b.open()).isEqualTo(100);
        assertThat(b.close()).isEqualTo(101);
    }

    /** Polygon gives milliseconds: trades of the same time open and close by their sequence, not by arrival. */
    @Test void tradesOfTheSameTimeOpenAndCloseInSequenceOrder() {
        long[] seqs = {12, 10, 11, 22, 21};
        long[] times = {T0 + 5 * S, T0 + 5 * S, T0 + 5 * S, T0 + 50 * S, T0 + 50 * S};
        double[] prices = {101, 100, 102, 104, 103};
        for (int i = 0; i < seqs.length; i++) {
            Trade tr = new Trade(DataSource.POLYGON, "AAPL", times[i], T0 + 55 * S, prices[i], 100, 11, "t" + i, 'C',
                    seqs[i], Absent.INT, Absent.LONG, Conditions.of());
            builder.onTrade(tr, cleaner.clean(tr, true), T0 + 55 * S);
        }
        builder.tick(T0 + 61 * S);
        Bar b = minutes().get(0);
        assertThat(b.open()).as("sequence 10 of the first millisecond").isEqualTo(100);
        assertThat(b.close()).as("sequence 22 of the last millisecond").isEqualTo(104);
        assertThat(b.high()).isEqualTo(104);
        assertThat(b.low()).isEqualTo(100);
    }

    @Test void aLateTradeRevisesThePublishedBarUntilTheLateWindowCloses() {
        trade(T0 + 10 * S, 100, 100, "1", T0 + 10 * S);
        builder.tick(T0 + 61 * S);
        assertThat(minutes()).hasSize(1);
        trade(T0 + 59 * S, 103, 100, "2", T0 + 70 * S);
        builder.tick(T0 + 70 * S + 100 * MS);
        assertThat(minutes()).hasSize(2);
        Published rev = out.stream().filter(p -> p.bar().interval() == BarInterval.UPDATED_MINUTE).toList().get(0);
        assertThat(rev.revision()).isTrue();
        assertThat(rev.bar().high()).isEqualTo(103);
        assertThat(rev.bar().close()).isEqualTo(103);
        assertThat(builder.revisions()).isGreaterThanOrEqualTo(1);
        trade(T0 + 58 * S, 90, 100, "3", T0 + 91 * S);
        builder.tick(T0 + 92 * S);
        assertThat(minutes()).as("past the 30 s late window").hasSize(2);
        assertThat(builder.tooLate()).isGreaterThanOrEqualTo(1);
    }

    @Test void suspiciousAndRejectedTradesNeverEnterABar() {
        Trade t = new Trade(DataSource.POLYGON, "AAPL", T0, T0, 100, 100, 11, "1", 'C', Absent.LONG, Absent.INT,
                Absent.LONG, Conditions.NONE);
        builder.onTrade(t, Flags.REJECTED, T0);
        builder.onTrade(t, Flags.SUSPICIOUS | 0x1F, T0);
        builder.tick(T0 + 120 * S);
        assertThat(out).isEmpty();
    }

    @Test void windowsWithoutAPriceSettingTradePublishNoBar() {
        trade(T0 + S, 100, 10, "1", T0 + S, 37);
        builder.tick(T0 + 120 * S);
        assertThat(out).isEmpty();
    }

    @Test void formTSetsPreMarketBarsButNotRegularHoursBars() {
        trade(PRE + S, 100, 100, "1", PRE + S, 12);
        trade(T0 + S, 100, 100, "2", T0 + S, 12);
        builder.tick(T0 + 120 * S);
        assertThat(minutes()).hasSize(1);
        assertThat(minutes().get(0).eventTimeNs()).isEqualTo(PRE);
    }

    @Test void cancelsAndCorrectionsRebuildTheBarAndPublishARevision() {
        BarBuilder b = new BarBuilder(BarConfig.defaults(), DataSource.ALPACA, TradeEligibility.standard(), 10 * S,
                (bar, r) -> out.add(new Published(bar, r)));
        long[] ts = {T0 + S, T0 + 2 * S, T0 + 3 * S};
        double[] ps = {100, 105, 101};
        for (int i = 0; i < 3; i++) {
            Trade t = new Trade(DataSource.ALPACA, "AAPL", ts[i], ts[i], ps[i], 100, 'V', "" + (i + 1), 'C',
                    Absent.LONG, Absent.INT, Absent.LONG, Conditions.ofLetters("@"));
            b.onTrade(t, alpacaCleaner.clean(t, true), ts[i]);
        }
        b.tick(T0 + 61 * S);
        assertThat(minutes().get(0).high()).isEqualTo(105);
        b.onCancel(new TradeCancel(DataSource.ALPACA, "AAPL", T0 + 62 * S, T0 + 62 * S, 'V', "2", 105, 100, 'C', 'C'),
                T0 + 62 * S);
        b.tick(T0 + 62 * S + 100 * MS);
        Bar rev = minutes().get(minutes().size() - 1);
        assertThat(rev.high()).isEqualTo(101);
        assertThat(rev.volume()).isEqualTo(200);
        b.onCorrection(new TradeCorrection(DataSource.ALPACA, "AAPL", T0 + 63 * S, T0 + 63 * S, 'V', "3", 101, 100,
                Conditions.NONE, "4", 99, 300, Conditions.ofLetters("@"), 'C'), T0 + 63 * S);
        b.tick(T0 + 63 * S + 100 * MS);
        Bar rev2 = minutes().get(minutes().size() - 1);
        assertThat(new double[] {rev2.open(), rev2.high(), rev2.low(), rev2.close()}).containsExactly(100, 100, 99, 99);
        assertThat(rev2.volume()).isEqualTo(400);
        assertThat(b.cancelsApplied()).isEqualTo(1);
        assertThat(b.correctionsApplied()).isEqualTo(1);
    }

    @Test void windowsTheFeedDidNotWatchWholePublishNothing() {
        builder.unwatchedFrom(Long.MIN_VALUE);           // not streaming yet
        trade(T0 + 20 * S, 100, 100, "1", T0 + 20 * S);  // arrives while subscribing
        builder.tick(T0 + 20 * S);
        builder.watchedFrom(T0 + 30 * S);                // streams from inside the minute T0
        trade(T0 + 40 * S, 101, 100, "2", T0 + 40 * S);
        builder.tick(T0 + 40 * S);
        trade(T0 + 70 * S, 102, 100, "3", T0 + 70 * S);  // minute T0+60: watched whole
        builder.tick(T0 + 70 * S);
        trade(T0 + 130 * S, 103, 100, "4", T0 + 130 * S); // minute T0+120: an outage begins inside it
        builder.tick(T0 + 130 * S);
        builder.unwatchedFrom(T0 + 150 * S);
        builder.tick(T0 + 190 * S);
        builder.watchedFrom(T0 + 200 * S);
        trade(T0 + 250 * S, 104, 100, "5", T0 + 250 * S); // minute T0+240: watched whole
        builder.tick(T0 + 250 * S);
        builder.tick(T0 + 400 * S);
        assertThat(minutes()).extracting(Bar::eventTimeNs).containsExactly(T0 + 60 * S, T0 + 240 * S);
        assertThat(builder.incomplete()).as("minutes T0 and T0+120, the second of trade 1").isEqualTo(3);
        assertThat(builder.published()).as("two minutes; the seconds of trades 2, 3, 4 (before the outage), 5")
                .isEqualTo(2 + 4);
    }

    @Test void flushPublishesWhatIsPending() {
        trade(T0 + S, 100, 100, "1", T0 + S);
        builder.flush(T0 + 2 * S);
        assertThat(minutes()).hasSize(1);
    }

    @Test void theCrossCheckSeparatesEqualDifferentAndMissingBars() {
        BarCrossCheck x = new BarCrossCheck(S, 120 * S);
        Bar ours = bar(T0, 100, 101, 99, 100.5, 1000);
        x.onProviderBar(provider(T0, 100, 101, 99, 100.5, 1000));
        x.onFinal(ours, false, T0 + 90 * S);
        x.onProviderBar(provider(T0 + 60 * S, 100, 101, 99, 100.5, 1000));
        x.onFinal(bar(T0 + 60 * S, 100, 102, 99, 100.5, 1000), false, T0 + 150 * S);
        x.onProviderBar(provider(T0 + 120 * S, 100, 101, 99, 100.5, 1000));
        x.onFinal(bar(T0 + 120 * S, 100, 101, 99, 100.5, 900), true, T0 + 210 * S);
        x.onFinal(bar(T0 + 180 * S, 100, 101, 99, 100.5, 900), false, T0 + 270 * S);
        x.onProviderBar(provider(T0 + 240 * S, 100, 101, 99, 100.5, 1000));
        x.tick(T0 + 600 * S);
        BarCrossCheck.Figures f = x.figures();
        assertThat(f.compared()).isEqualTo(3);
        assertThat(f.matched()).isEqualTo(1);
        assertThat(f.mismatched()).isEqualTo(1);
        assertThat(f.explainedByCorrections()).isEqualTo(1);
        assertThat(f.oursOnly()).isEqualTo(1);
        assertThat(f.providerOnly()).isEqualTo(1);
        assertThat(f.maxPriceDiffFraction()).isCloseTo(1 / 101.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.examples().get(0)).contains("high 102.0/101.0");
    }

    @Test void configRejectsALateWindowShorterThanTheEmitDelay() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BarConfig(BarConfig.Mode.AUTO,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(1))).hasMessageContaining("late window");
    }

    private static Bar bar(long start, double o, double h, double l, double c, long v) {
        return new Bar(DataSource.DERIVED, "AAPL", BarInterval.MINUTE, start, start + 60 * S, 0, o, h, l, c, v, c, 3,
                Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false, DataSource.POLYGON);
    }

    private static Bar provider(long start, double o, double h, double l, double c, long v) {
        return new Bar(DataSource.POLYGON, "AAPL", BarInterval.MINUTE, start, start + 60 * S, 0, o, h, l, c, v, c,
                Absent.LONG, Absent.LONG, Double.NaN, Double.NaN, Absent.LONG, false);
    }
}
