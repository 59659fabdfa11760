package com.systemtrader.clean;

import static com.systemtrader.clean.Events.MS;
import static com.systemtrader.clean.Events.S;
import static com.systemtrader.clean.Events.T0;
import static com.systemtrader.clean.Events.alpaca;
import static com.systemtrader.clean.Events.bar;
import static com.systemtrader.clean.Events.cancel;
import static com.systemtrader.clean.Events.correction;
import static com.systemtrader.clean.Events.luld;
import static com.systemtrader.clean.Events.quote;
import static com.systemtrader.clean.Events.status;
import static com.systemtrader.clean.Events.trade;
import static com.systemtrader.clean.Events.trf;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Quote;
import com.systemtrader.schema.Trade;
import com.systemtrader.sip.Eligibility;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One or more tests per cleaner rule, with the anomaly catalogue of protocols.md 4.4 as the source of cases. */
class DataCleanerRulesTest {
    private final DataCleaner cleaner = DataCleaner.withDefaults("polygon", "stocks");

    private int clean(MarketEvent e) {
        return cleaner.clean(e, true);
    }

    /** Ten normal trades around 100.00 so that the price band is warm. */
    private void warm(String sym) {
        for (int i = 0; i < 10; i++) clean(trade(sym, T0 + i * MS, 100 + (i % 3) * 0.01, 100, 11, "w" + i));
    }

    private void assertRejected(MarketEvent e, Rule rule) {
        int v = clean(e);
        assertThat(Flags.outcome(v)).as("outcome of %s", e).isEqualTo(Outcome.REJECTED);
        assertThat(cleaner.lastRejectionRule()).isEqualTo(rule);
    }

    // ---------------------------------------------------------------- structure and types

    @Test void priceAndSizeMustBePositiveAndFinite() {
        assertRejected(trade("AAPL", T0, 0, 100, 11, "1"), Rule.PRICE_RANGE);
        assertRejected(trade("AAPL", T0, -1.5, 100, 11, "2"), Rule.PRICE_RANGE);
        assertRejected(trade("AAPL", T0, 1e9, 100, 11, "3"), Rule.PRICE_RANGE);
        assertRejected(trade("AAPL", T0, Double.NaN, 100, 11, "4"), Rule.NON_FINITE);
        assertRejected(trade("AAPL", T0, Double.POSITIVE_INFINITY, 100, 11, "5"), Rule.NON_FINITE);
        assertRejected(trade("AAPL", T0, 10, 0, 11, "6"), Rule.SIZE_RANGE);
        assertRejected(trade("AAPL", T0, 10, -5, 11, "7"), Rule.SIZE_RANGE);
        assertThat(cleaner.lastRejectionReason()).contains("-5");
        assertThat(Flags.outcome(clean(trade("AAPL", T0, 10, 1, 11, "8")))).isEqualTo(Outcome.ACCEPTED);
    }

    @Test void aTradeWithoutAnIdIsRejectedEvenWithValidationOff() {
        assertRejected(trade("AAPL", T0, 10, 1, 11, null), Rule.MISSING_FIELD);
        DataCleaner off = new DataCleaner(CleanerConfig.defaults().withRules(false, false), "polygon", "stocks",
                com.systemtrader.sip.TradeEligibility.standard(), new Quarantine(10), null);
        assertThat(Flags.rejected(off.clean(trade("AAPL", T0, 10, 1, 11, null), true))).isTrue();
        assertThat(Flags.rejected(off.clean(cancel("AAPL", T0, 'V', null, 1, 1), true))).isTrue();
    }

    @Test void symbolMustBeATicker() {
        assertRejected(trade("aapl", T0, 10, 1, 11, "1"), Rule.SYMBOL_FORMAT);
        assertRejected(trade("", T0, 10, 1, 11, "2"), Rule.SYMBOL_FORMAT);
        assertRejected(trade("AAPL MSFT", T0, 10, 1, 11, "3"), Rule.SYMBOL_FORMAT);
        assertRejected(trade("ABCDEFGHIJKLMNOPQRSTU", T0, 10, 1, 11, "4"), Rule.SYMBOL_FORMAT);
        for (String ok : List.of("BRK.A", "BRK/B", "SPY", "A", "TSLA.WSw")) {
            assertThat(Flags.kept(clean(trade(ok, T0, 10, 1, 11, "9")))).as(ok).isTrue();
        }
    }

    @Test void timestampsFarInTheFutureOrAbsurdlyOldAreRejected() {
        Trade future = new Trade(DataSource.POLYGON, "AAPL", T0 + 11 * S, T0, 10, 1, 11, "1", 'C', Absent.LONG,
                Absent.INT, Absent.LONG, Conditions.NONE);
        assertRejected(future, Rule.TIME_FUTURE);
        assertThat(cleaner.lastRejectionReason()).contains("11000 ms");
        Trade skewed = new Trade(DataSource.POLYGON, "AAPL", T0 + 9 * S, T0, 10, 1, 11, "2", 'C', Absent.LONG,
                Absent.INT, Absent.LONG, Conditions.NONE);
        assertThat(Flags.kept(clean(skewed))).as("9 s of clock skew is within the 10 s limit").isTrue();
        Trade old = new Trade(DataSource.POLYGON, "AAPL", T0 - Duration.ofDays(2).toNanos(), T0, 10, 1, 11, "3", 'C',
                Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE);
        assertRejected(old, Rule.TIME_TOO_OLD);
        Trade millisecondsMistakenForNanos = new Trade(DataSource.POLYGON, "AAPL", T0 / 1_000_000, T0, 10, 1, 11, "4",
                'C', Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE);
        assertRejected(millisecondsMistakenForNanos, Rule.TIME_TOO_OLD);
    }

    @Test void barsMustHaveAConsistentShape() {
        assertThat(Flags.kept(clean(bar("AAPL", T0, 10, 11, 9, 10.5, 100)))).isTrue();
        assertRejected(bar("AAPL", T0, 10, 9, 11, 10, 100), Rule.BAR_SHAPE);
        assertRejected(bar("AAPL", T0, 12, 11, 9, 10, 100), Rule.BAR_SHAPE);
        assertRejected(bar("AAPL", T0, 10, 11, 9, 10, -1), Rule.BAR_SHAPE);
        assertRejected(bar("AAPL", T0, 10, Double.NaN, 9, 10, 1), Rule.NON_FINITE);
        assertRejected(bar("AAPL", T0, 0, 0, 0, 0, 1), Rule.PRICE_RANGE);
    }

    @Test void quotesWithNegativeOrNonFinitePricesAreRejected() {
        assertRejected(quote("AAPL", T0, -1, 10), Rule.PRICE_RANGE);
        assertRejected(quote("AAPL", T0, 10, Double.NaN), Rule.NON_FINITE);
    }

    @Test void luldBandsMustBeOrdered() {
        assertRejected(luld("AAPL", T0, 110, 90), Rule.BAND_SHAPE);
        assertRejected(luld("AAPL", T0, -1, 90), Rule.BAND_SHAPE);
        assertThat(Flags.kept(clean(luld("AAPL", T0, 90, 110)))).isTrue();
    }

    // ---------------------------------------------------------------- duplicates

    @Test void duplicatesFollowPolygonIdentitySymbolExchangeTrfAndId() {
        assertThat(Flags.kept(clean(trade("AAPL", T0, 10, 1, 11, "77")))).isTrue();
        assertRejected(trade("AAPL", T0 + MS, 10, 1, 11, "77"), Rule.DUPLICATE);
        assertThat(Flags.kept(clean(trade("AAPL", T0, 10, 1, 12, "77")))).as("other exchange").isTrue();
        assertThat(Flags.kept(clean(trade("MSFT", T0, 10, 1, 11, "77")))).as("other symbol").isTrue();
        assertThat(Flags.kept(clean(trf("AAPL", T0, 10, 1, "77", 201, T0)))).as("TRF 201").isTrue();
        assertThat(Flags.kept(clean(trf("AAPL", T0, 10, 1, "77", 202, T0)))).as("TRF 202").isTrue();
        assertRejected(trf("AAPL", T0, 10, 1, "77", 202, T0), Rule.DUPLICATE);
    }

    @Test void duplicatesFollowAlpacaIdentitySymbolExchangeAndId() {
        DataCleaner a = DataCleaner.withDefaults("alpaca", "v2/sip");
        assertThat(Flags.kept(a.clean(alpaca("AAPL", T0, 10, 1, 'V', "5", 'C'), true))).isTrue();
        assertThat(Flags.rejected(a.clean(alpaca("AAPL", T0, 10, 1, 'V', "5", 'C'), true))).isTrue();
        assertThat(Flags.kept(a.clean(alpaca("AAPL", T0, 10, 1, 'Q', "5", 'C'), true))).isTrue();
        assertThat(a.snapshot().total().rule(Rule.DUPLICATE)).isEqualTo(1);
    }

    @Test void nonNumericIdsAreComparedExactlyEnough() {
        assertThat(Flags.kept(clean(trade("AAPL", T0, 10, 1, 11, "A1B2")))).isTrue();
        assertThat(Flags.kept(clean(trade("AAPL", T0, 10, 1, 11, "A1B3")))).isTrue();
        assertRejected(trade("AAPL", T0, 10, 1, 11, "A1B2"), Rule.DUPLICATE);
        assertThat(TradeIdentity.idKey("12")).isEqualTo(12);
        assertThat(TradeIdentity.idKey("12")).isNotEqualTo(TradeIdentity.idKey("012x"));
    }

    /**
     * A trade without a provider id (a history record with an empty id) is identified by its content at its time, as
     * in storage: distinct ones of the same nanosecond are all kept, the same one again is a duplicate, and none of
     * them is taken for another id-less trade.
     */
    @Test void tradesWithoutAnIdAreIdentifiedByTheirContent() {
        assertThat(Flags.kept(clean(trade("AAPL", T0, 10, 100, 11, "")))).isTrue();
        assertThat(Flags.kept(clean(trade("AAPL", T0, 10, 200, 11, "")))).as("same ns, other size").isTrue();
        assertThat(Flags.kept(clean(trade("AAPL", T0 + 1, 10, 100, 11, "")))).as("next ns").isTrue();
        assertRejected(trade("AAPL", T0, 10, 100, 11, ""), Rule.DUPLICATE);
        long key = TradeIdentity.idKey(trade("AAPL", T0, 10, 100, 11, ""));
        assertThat(key).as("never a numeric or hashed provider id").isBetween(1L << 61, (1L << 62) - 1);
        assertThat(TradeIdentity.idKey(trade("AAPL", T0, 10, 100, 11, "77"))).isEqualTo(77);
    }

    @Test void cancelsAndCorrectionsWithoutATradeIdAreMissingAField() {
        assertRejected(cancel("AAPL", T0, 'V', "", 10, 100), Rule.MISSING_FIELD);
        assertRejected(correction("AAPL", T0, 'V', "", 10, 100, "9", 10.5, 100), Rule.MISSING_FIELD);
        assertRejected(correction("AAPL", T0, 'V', "8", 10, 100, "", 10.5, 100), Rule.MISSING_FIELD);
    }

    @Test void dedupeMemoryIsBoundedButAlwaysCoversHalfTheWindow() {
        TradeIdWindow w = new TradeIdWindow(64);
        long venue = TradeIdentity.venueKey(11, Absent.INT);
        for (int i = 0; i < 10_000; i++) assertThat(w.add(i, venue)).isTrue();
        for (int i = 10_000 - 32; i < 10_000; i++) assertThat(w.contains(i, venue)).as("recent %d", i).isTrue();
        assertThat(w.contains(0, venue)).as("long forgotten").isFalse();
    }

    // ---------------------------------------------------------------- ordering and lateness

    @Test void outOfOrderTradesAreFlaggedAndKept() {
        clean(trade("AAPL", T0 + 10 * MS, 10, 1, 11, "1"));
        int v = clean(trade("AAPL", T0 + 5 * MS, 10, 1, 11, "2"));
        assertThat(Flags.outcome(v)).isEqualTo(Outcome.FLAGGED);
        assertThat(Flags.has(v, Flags.OUT_OF_ORDER)).isTrue();
        assertThat(Flags.has(clean(trade("AAPL", T0 + 10 * MS, 10, 1, 11, "3")), Flags.OUT_OF_ORDER))
                .as("equal time is in order").isFalse();
        assertThat(Flags.has(clean(trade("MSFT", T0, 10, 1, 11, "4")), Flags.OUT_OF_ORDER)).as("per symbol").isFalse();
    }

    @Test void lateReportsByConditionByTrfDelayAndByReceiveDelay() {
        assertThat(Flags.has(clean(trade("AAPL", T0, 10, 100, 11, "1", 32)), Flags.LATE)).as("sold out of sequence").isTrue();
        assertThat(Flags.has(clean(trade("AAPL", T0, 10, 100, 11, "2", 30)), Flags.LATE)).as("sold last").isTrue();
        assertThat(Flags.has(clean(trade("AAPL", T0, 10, 100, 11, "3", 13)), Flags.LATE)).as("ext. out of seq").isTrue();
        assertThat(Flags.has(clean(trade("AAPL", T0, 10, 100, 11, "4", 12)), Flags.LATE)).as("Form T is not late").isFalse();
        assertThat(Flags.has(clean(trf("AAPL", T0, 10, 1, "5", 201, T0 + 6 * S)), Flags.LATE)).as("TRF 6 s").isTrue();
        assertThat(Flags.has(clean(trf("AAPL", T0, 10, 1, "6", 201, T0 + S)), Flags.LATE)).as("TRF 1 s").isFalse();
        Trade received6sLater = new Trade(DataSource.POLYGON, "AAPL", T0, T0 + 6 * S, 10, 1, 11, "7", 'C',
                Absent.LONG, Absent.INT, Absent.LONG, Conditions.NONE);
        assertThat(Flags.has(clean(received6sLater), Flags.LATE)).isTrue();
        DataCleaner a = DataCleaner.withDefaults("alpaca", "v2/sip");
        assertThat(Flags.has(a.clean(alpaca("AAPL", T0, 10, 1, 'V', "1", 'A', "Z"), true), Flags.LATE)).isTrue();
        assertThat(Flags.has(a.clean(alpaca("AAPL", T0, 10, 1, 'V', "2", 'A', "L"), true), Flags.LATE)).isTrue();
        assertThat(Flags.has(a.clean(alpaca("AAPL", T0, 10, 1, 'V', "3", 'A', "@"), true), Flags.LATE)).isFalse();
    }

    // ---------------------------------------------------------------- outliers and LULD

    @Test void aPriceFarFromTheRecentRangeIsSuspiciousAndKeptOutOfTheLastPrice() {
        warm("AAPL");
        Trade last = (Trade) cleaner.latestTrade("AAPL").orElseThrow();
        int v = clean(trade("AAPL", T0 + S, 160, 100, 11, "bad"));
        assertThat(Flags.outcome(v)).isEqualTo(Outcome.FLAGGED);
        assertThat(Flags.has(v, Flags.SUSPICIOUS)).isTrue();
        assertThat(cleaner.latestTrade("AAPL")).contains(last);
        assertThat(Flags.has(clean(trade("AAPL", T0 + S, 100.5, 100, 11, "ok")), Flags.SUSPICIOUS)).isFalse();
        assertThat(cleaner.latestTrade("AAPL").orElseThrow().tradeId()).isEqualTo("ok");
    }

    @Test void aGenuineJumpBecomesTheNewRangeAfterAFewAgreeingTrades() {
        warm("AAPL");
        for (int i = 0; i < PriceBand.SHIFT_RUN; i++) {
            assertThat(Flags.has(clean(trade("AAPL", T0 + S + i, 120 + i * 0.01, 100, 11, "j" + i)), Flags.SUSPICIOUS))
                    .as("jump trade %d", i).isTrue();
        }
        assertThat(Flags.has(clean(trade("AAPL", T0 + 2 * S, 120.02, 100, 11, "after")), Flags.SUSPICIOUS)).isFalse();
        assertThat(cleaner.snapshot().total().levelShifts()).isEqualTo(1);
    }

    @Test void isolatedBadPrintsDoNotMoveTheRange() {
        warm("AAPL");
        for (int i = 0; i < 50; i++) {
            assertThat(Flags.has(clean(trade("AAPL", T0 + S + i, i % 2 == 0 ? 160 : 40, 100, 11, "b" + i)),
                    Flags.SUSPICIOUS)).isTrue();
            assertThat(Flags.has(clean(trade("AAPL", T0 + S + i, 100.01, 100, 11, "g" + i)), Flags.SUSPICIOUS)).isFalse();
        }
        assertThat(cleaner.snapshot().total().levelShifts()).isZero();
    }

    @Test void aTradeOutsideTheLuldBandIsSuspicious() {
        clean(luld("AAPL", T0, 95, 105));
        int v = clean(trade("AAPL", T0 + MS, 105.5, 100, 11, "1"));
        assertThat(Flags.has(v, Flags.SUSPICIOUS)).isTrue();
        assertThat(Flags.has(v, Flags.OUTSIDE_LULD)).isTrue();
        assertThat(Flags.has(clean(trade("AAPL", T0 + MS, 104, 100, 11, "2")), Flags.SUSPICIOUS)).isFalse();
        assertThat(cleaner.snapshot().total().rule(Rule.OUTSIDE_LULD)).isEqualTo(1);
    }

    @Test void priceChecksApplyOnlyToTradesThatMaySetAPrice() {
        warm("AAPL");
        int avg = clean(trade("AAPL", T0 + S, 160, 100, 11, "avg", 2));
        assertThat(Flags.has(avg, Flags.SUSPICIOUS)).as("average-price trades set no price").isFalse();
        assertThat(avg & Eligibility.VOLUME).isNotZero();
    }

    @Test void aResumeAfterAHaltForgetsTheOldRange() {
        warm("AAPL");
        clean(status("AAPL", T0 + S, "H"));
        int during = clean(trade("AAPL", T0 + S, 100, 100, 11, "h"));
        assertThat(Flags.has(during, Flags.DURING_HALT)).isTrue();
        clean(status("AAPL", T0 + 2 * S, "T"));
        for (int i = 0; i < 10; i++) {
            assertThat(Flags.has(clean(trade("AAPL", T0 + 3 * S + i, 130, 100, 11, "r" + i)), Flags.SUSPICIOUS))
                    .isFalse();
        }
    }

    // ---------------------------------------------------------------- quotes

    @Test void quoteShapesAreFlagged() {
        assertThat(Flags.outcome(clean(quote("AAPL", T0, 10, 10.01)))).isEqualTo(Outcome.ACCEPTED);
        assertThat(Flags.has(clean(quote("AAPL", T0, 10.02, 10.01)), Flags.CROSSED)).isTrue();
        assertThat(Flags.has(clean(quote("AAPL", T0, 10.01, 10.01)), Flags.LOCKED)).isTrue();
        assertThat(Flags.has(clean(quote("AAPL", T0, 0, 10.01)), Flags.ONE_SIDED)).isTrue();
        assertThat(Flags.has(clean(quote("AAPL", T0, 10, 0)), Flags.ONE_SIDED)).isTrue();
        assertThat(Flags.has(clean(quote("AAPL", T0, 0, 0)), Flags.EMPTY_QUOTE)).isTrue();
        CleanerSnapshot.Figures f = cleaner.snapshot().total();
        assertThat(f.rule(Rule.CROSSED)).isEqualTo(1);
        assertThat(f.rule(Rule.ONE_SIDED)).isEqualTo(2);
        assertThat(f.outcome(Outcome.FLAGGED)).isEqualTo(5);
    }

    // ---------------------------------------------------------------- filters

    @Test void unsubscribedSymbolsAndTestSymbolsAreFiltered() {
        assertThat(Flags.filtered(cleaner.clean(trade("AAPL", T0, 10, 1, 11, "1"), false))).isTrue();
        assertThat(Flags.filtered(clean(trade("ZVZZT", T0, 10, 1, 11, "2")))).isTrue();
        assertThat(Flags.filtered(clean(trade("NTEST.A", T0, 10, 1, 11, "3")))).as("prefix entry").isTrue();
        assertThat(Flags.filtered(clean(trade("CBOE", T0, 10, 1, 11, "4")))).as("a real ticker").isFalse();
        CleanerSnapshot.Figures f = cleaner.snapshot().total();
        assertThat(f.rule(Rule.UNSUBSCRIBED)).isEqualTo(1);
        assertThat(f.rule(Rule.TEST_SYMBOL)).isEqualTo(2);
        assertThat(f.outcome(Outcome.FILTERED)).isEqualTo(3);
    }

    @Test void unknownTypesAreFilteredAndMalformedFramesQuarantinedWithTheirBytes() {
        byte[] frame = "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":".getBytes(StandardCharsets.UTF_8);
        cleaner.beginFrame(frame, 0, frame.length, false, T0);
        cleaner.unknownType("XQ");
        cleaner.malformedFrame("truncated after field p");
        cleaner.endFrame();
        QuarantineRecord r = cleaner.quarantine().recent(1).get(0);
        assertThat(r.rule()).isEqualTo("malformed-frame");
        assertThat(r.payloadText()).isEqualTo("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":");
        assertThat(r.eventIndex()).isEqualTo(-1);
        CleanerSnapshot.Figures f = cleaner.snapshot().total();
        assertThat(f.outcome(Outcome.FILTERED)).isEqualTo(1);
        assertThat(f.outcome(Outcome.REJECTED)).isEqualTo(1);
    }

    @Test void rejectedEventsKeepTheRawFrameTheRuleAndTheReason() {
        byte[] frame = "[{\"ev\":\"T\"},{\"ev\":\"T\"}]".getBytes(StandardCharsets.UTF_8);
        cleaner.beginFrame(frame, 0, frame.length, false, T0);
        clean(trade("AAPL", T0, 10, 1, 11, "1"));
        clean(trade("AAPL", T0, 0, 1, 11, "2"));
        cleaner.endFrame();
        QuarantineRecord r = cleaner.quarantine().recent(1).get(0);
        assertThat(r.rule()).isEqualTo("price-range");
        assertThat(r.reason()).contains("price 0.0");
        assertThat(r.symbol()).isEqualTo("AAPL");
        assertThat(r.eventIndex()).isEqualTo(1);
        assertThat(r.payloadText()).isEqualTo(new String(frame, StandardCharsets.UTF_8));
        assertThat(r.event()).isInstanceOf(Trade.class);
    }

    @Test void theQuarantineIsBoundedAndCountsEvictions() {
        Quarantine q = new Quarantine(3);
        DataCleaner c = new DataCleaner(CleanerConfig.defaults(), "polygon", "stocks",
                com.systemtrader.sip.TradeEligibility.standard(), q, null);
        for (int i = 0; i < 5; i++) c.clean(trade("AAPL", T0, 0, 1, 11, "x" + i), true);
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.evicted()).isEqualTo(2);
        assertThat(q.added()).isEqualTo(5);
        assertThat(c.snapshot().total().outcome(Outcome.REJECTED)).isEqualTo(5);
    }

    // ---------------------------------------------------------------- switches, eligibility, accounting

    @Test void validateAndCleanSwitchesTurnTheirRulesOff() {
        CleanerConfig off = CleanerConfig.defaults().withRules(false, false);
        DataCleaner c = new DataCleaner(off, "polygon", "stocks", com.systemtrader.sip.TradeEligibility.standard(),
                new Quarantine(10), null);
        assertThat(Flags.kept(c.clean(trade("AAPL", T0, 0, 1, 11, "1"), true))).isTrue();
        assertThat(Flags.kept(c.clean(trade("AAPL", T0, 10, 1, 11, "1"), true))).as("no dedupe").isTrue();
        assertThat(Flags.kept(c.clean(trade("ZVZZT", T0, 10, 1, 11, "1"), true))).as("no test filter").isTrue();
        assertThat(Flags.filtered(c.clean(trade("AAPL", T0, 10, 1, 11, "2"), false))).as("unsubscribed: always").isTrue();
    }

    @Test void tradesCarryTheirSipEligibility() {
        int regular = clean(trade("AAPL", T0, 10, 100, 11, "1"));
        assertThat(regular & Eligibility.ALL).isEqualTo(Eligibility.ALL);
        int oddLot = clean(trade("AAPL", T0, 10, 10, 11, "2", 37));
        assertThat(oddLot & Eligibility.ALL).isEqualTo(Eligibility.VOLUME);
        int unknown = clean(trade("AAPL", T0, 10, 10, 11, "3", 99));
        assertThat(Flags.has(unknown, Flags.UNKNOWN_CONDITION)).isTrue();
    }

    @Test void everyMessageIsAccountedForExactlyOnce() {
        warm("AAPL");
        clean(trade("AAPL", T0, 0, 1, 11, "r"));
        clean(trade("AAPL", T0, 10, 1, 11, "w1"));
        clean(quote("AAPL", T0, 10.02, 10.01));
        clean(trade("ZVZZT", T0, 10, 1, 11, "t"));
        cleaner.unknownType("Z");
        cleaner.clean(quote("MSFT", T0, 1, 2), false);
        CleanerSnapshot.Figures f = cleaner.snapshot().total();
        assertThat(f.received()).isEqualTo(16);
        assertThat(f.outcome(Outcome.ACCEPTED)).isEqualTo(10);
        assertThat(f.outcome(Outcome.FLAGGED)).isEqualTo(1);
        assertThat(f.outcome(Outcome.REJECTED)).isEqualTo(2);
        assertThat(f.outcome(Outcome.FILTERED)).isEqualTo(3);
        long perSymbol = cleaner.snapshot().bySymbol().values().stream().mapToLong(CleanerSnapshot.Figures::received).sum();
        assertThat(perSymbol).as("all but the unknown type have a symbol").isEqualTo(15);
    }

    // ---------------------------------------------------------------- corrections and cancels

    @Test void aCancelOfTheLastTradeRevertsTheLastPrice() {
        DataCleaner a = DataCleaner.withDefaults("alpaca", "v2/sip");
        a.clean(alpaca("AAPL", T0, 10.00, 100, 'V', "1", 'C'), true);
        a.clean(alpaca("AAPL", T0 + MS, 10.05, 100, 'V', "2", 'C'), true);
        assertThat(a.latestTrade("AAPL").orElseThrow().tradeId()).isEqualTo("2");
        a.clean(cancel("AAPL", T0 + S, 'V', "2", 10.05, 100), true);
        assertThat(a.latestTrade("AAPL").orElseThrow().tradeId()).isEqualTo("1");
        a.clean(cancel("AAPL", T0 + S, 'V', "99", 10.05, 100), true);
        assertThat(a.snapshot().total().cancelsApplied()).isEqualTo(1);
        assertThat(a.snapshot().total().cancelsUnmatched()).isEqualTo(1);
    }

    @Test void aCorrectionReplacesTheLastPriceOrRemovesItWhenNoLongerEligible() {
        DataCleaner a = DataCleaner.withDefaults("alpaca", "v2/sip");
        a.clean(alpaca("AAPL", T0, 10.00, 100, 'V', "1", 'C'), true);
        a.clean(alpaca("AAPL", T0 + MS, 10.05, 100, 'V', "2", 'C'), true);
        a.clean(correction("AAPL", T0 + S, 'V', "2", 10.05, 100, "3", 10.04, 200, "@"), true);
        Trade t = a.latestTrade("AAPL").orElseThrow();
        assertThat(t.tradeId()).isEqualTo("3");
        assertThat(t.price()).isEqualTo(10.04);
        assertThat(t.size()).isEqualTo(200);
        a.clean(correction("AAPL", T0 + S, 'V', "3", 10.04, 200, "4", 10.04, 20, "I"), true);
        assertThat(a.latestTrade("AAPL").orElseThrow().tradeId()).as("odd lot sets no last price").isEqualTo("1");
        assertThat(a.snapshot().total().correctionsApplied()).isEqualTo(2);
    }

    @Test void correctionsWithBadValuesAreRejected() {
        DataCleaner a = DataCleaner.withDefaults("alpaca", "v2/sip");
        assertThat(Flags.rejected(a.clean(correction("AAPL", T0, 'V', "1", 10, 1, "2", -1, 1), true))).isTrue();
        assertThat(a.lastRejectionRule()).isEqualTo(Rule.PRICE_RANGE);
    }

    @Test void quoteEventsAreNotMistakenForTrades() {
        Quote q = quote("AAPL", T0, 10, 10.01);
        assertThat(clean(q) & Eligibility.ALL).isZero();
    }
}
