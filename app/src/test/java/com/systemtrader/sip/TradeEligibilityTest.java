package com.systemtrader.sip;

import static com.systemtrader.sip.Eligibility.ALL;
import static com.systemtrader.sip.Eligibility.BAR_HIGH_LOW;
import static com.systemtrader.sip.Eligibility.BAR_OPEN_CLOSE;
import static com.systemtrader.sip.Eligibility.HIGH_LOW;
import static com.systemtrader.sip.Eligibility.OPEN_CLOSE;
import static com.systemtrader.sip.Eligibility.UNKNOWN_CONDITION;
import static com.systemtrader.sip.Eligibility.VOLUME;
import static com.systemtrader.sip.Times.AFTER_HOURS;
import static com.systemtrader.sip.Times.OVERNIGHT;
import static com.systemtrader.sip.Times.PRE_MARKET;
import static com.systemtrader.sip.Times.REGULAR;
import static com.systemtrader.sip.Times.SATURDAY;
import static com.systemtrader.sip.Times.ny;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.calendar.NewYorkTime;
import com.systemtrader.schema.Absent;
import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SIP update rules of protocols.md 4.1 and 4.2, one condition class at a time, on the standard table. */
class TradeEligibilityTest {
    private static final TradeEligibility RULES = TradeEligibility.standard();
    /** Price-and-volume bits of a trade that updates high/low and volume but not open/close. */
    private static final int HL_VOL = HIGH_LOW | BAR_HIGH_LOW | VOLUME;

    private static int polygon(long ns, int... ids) {
        return RULES.ids(Conditions.of(ids), ns);
    }

    private static int polygon(int... ids) {
        return polygon(REGULAR, ids);
    }

    private static int letters(char tape, String... letters) {
        return RULES.letters(Conditions.ofLetters(letters), tape, REGULAR);
    }

    private static String bits(int b) {
        return Eligibility.toString(b);
    }

    // ---- Polygon ids, one class of the 4.1 table at a time ----

    @Test
    void aRegularTradeUpdatesEverything() {
        assertThat(RULES.ids(Conditions.NONE, REGULAR)).isEqualTo(ALL);
        assertThat(RULES.ids(null, REGULAR)).isEqualTo(ALL);
        assertThat(polygon(0)).isEqualTo(ALL);
        assertThat(RULES.ids(Conditions.NONE, SATURDAY)).isEqualTo(ALL);
    }

    @Test
    void averagePriceTradesCountOnlyTowardVolume() {
        assertThat(bits(polygon(2))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(PRE_MARKET, 2))).isEqualTo(bits(VOLUME));
    }

    @Test
    void cashSalesCountOnlyTowardVolume() {
        assertThat(bits(polygon(7))).isEqualTo(bits(VOLUME));
    }

    @Test
    void oddLotsCountTowardVolumeButSetNoPrice() {
        assertThat(bits(polygon(37))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(PRE_MARKET, 37))).isEqualTo(bits(VOLUME));
    }

    @Test
    void formTInRegularHoursCountsOnlyTowardVolume() {
        assertThat(bits(polygon(REGULAR, 12))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(ny("2024-05-29T09:30"), 12))).as("09:30 is regular").isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(ny("2024-05-29T15:59:59"), 12))).isEqualTo(bits(VOLUME));
    }

    @Test
    void formTInPreMarketSetsIntradayBarPricesButNeverDailyOnes() {
        int expected = VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW;
        assertThat(bits(polygon(PRE_MARKET, 12))).isEqualTo(bits(expected));
        assertThat(bits(polygon(ny("2024-05-29T04:00"), 12))).as("04:00 opens pre-market").isEqualTo(bits(expected));
        assertThat(bits(polygon(ny("2024-05-29T09:29:59"), 12))).isEqualTo(bits(expected));
        assertThat(bits(polygon(ny("2024-05-29T03:59:59"), 12))).as("before 04:00").isEqualTo(bits(VOLUME));
    }

    @Test
    void formTAfterHoursSetsIntradayBarPricesButNeverDailyOnes() {
        int expected = VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW;
        assertThat(bits(polygon(AFTER_HOURS, 12))).isEqualTo(bits(expected));
        assertThat(bits(polygon(ny("2024-05-29T16:00"), 12))).as("16:00 opens after-hours").isEqualTo(bits(expected));
        assertThat(bits(polygon(ny("2024-05-29T19:59:59"), 12))).isEqualTo(bits(expected));
        assertThat(bits(polygon(ny("2024-05-29T20:00"), 12))).as("20:00 ends after-hours").isEqualTo(bits(VOLUME));
    }

    @Test
    void formTOvernightAndOnWeekendsCountsOnlyTowardVolume() {
        assertThat(bits(polygon(OVERNIGHT, 12))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(ny("2024-05-30T02:00"), 12))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(SATURDAY, 12))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(ny("2024-06-02T07:00"), 12))).as("Sunday pre-market hours").isEqualTo(bits(VOLUME));
    }

    @Test
    void formTWithAnotherForbiddingConditionStaysOutOfExtendedHoursBars() {
        assertThat(bits(polygon(PRE_MARKET, 12, 37))).as("Form T odd lot").isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(AFTER_HOURS, 37, 12))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(AFTER_HOURS, 12, 2))).as("Form T average price").isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(AFTER_HOURS, 12, 32))).as("Form T sold out of sequence")
                .isEqualTo(bits(VOLUME | BAR_HIGH_LOW));
        assertThat(bits(polygon(AFTER_HOURS, 12, 14))).as("Form T ISO")
                .isEqualTo(bits(VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW));
    }

    @Test
    void extendedHoursSoldOutOfSequenceNeverSetsAPrice() {
        assertThat(bits(polygon(REGULAR, 13))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(PRE_MARKET, 13))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(AFTER_HOURS, 13))).isEqualTo(bits(VOLUME));
    }

    @Test
    void officialOpenAndCloseUpdateNothing() {
        assertThat(bits(polygon(15))).isEqualTo(bits(0));
        assertThat(bits(polygon(16))).isEqualTo(bits(0));
    }

    @Test
    void correctedConsolidatedCloseSetsPricesButAddsNoVolume() {
        assertThat(bits(polygon(38))).isEqualTo(bits(OPEN_CLOSE | HIGH_LOW | BAR_OPEN_CLOSE | BAR_HIGH_LOW));
    }

    @Test
    void soldOutOfSequenceSetsHighLowAndVolumeButNotOpenClose() {
        assertThat(bits(polygon(32))).isEqualTo(bits(HL_VOL));
        assertThat(bits(polygon(33))).isEqualTo(bits(HL_VOL));
    }

    @Test
    void priorReferencePriceSetsHighLowAndVolumeButNotOpenClose() {
        assertThat(bits(polygon(22))).isEqualTo(bits(HL_VOL));
    }

    @Test
    void derivativelyPricedSetsHighLowAndVolumeButNotOpenClose() {
        assertThat(bits(polygon(10))).isEqualTo(bits(HL_VOL));
    }

    @Test
    void contingentAndQualifiedContingentTradesCountOnlyTowardVolume() {
        assertThat(bits(polygon(52))).isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(53))).isEqualTo(bits(VOLUME));
    }

    @Test
    void intermarketSweepsAndOtherPlainConditionsUpdateEverything() {
        for (int id : new int[] {1, 3, 4, 8, 9, 11, 14, 17, 18, 19, 23, 24, 25, 27, 28, 30, 31, 41, 55, 57, 62, 71}) {
            assertThat(bits(polygon(id))).as("id %d", id).isEqualTo(bits(ALL));
        }
    }

    @Test
    void everyConditionMustAllowAField() {
        assertThat(bits(polygon(14, 37))).as("ISO odd lot").isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(14, 10))).as("ISO derivatively priced").isEqualTo(bits(HL_VOL));
        assertThat(bits(polygon(32, 38))).as("out of sequence corrected close")
                .isEqualTo(bits(HIGH_LOW | BAR_HIGH_LOW));
        assertThat(bits(polygon(0, 12))).as("Polygon's own WS example c:[0,12]").isEqualTo(bits(VOLUME));
        assertThat(bits(polygon(14, 15, 37))).isEqualTo(bits(0));
    }

    @Test
    void unknownIdsAllowEverythingAndSaySo() {
        for (int id : new int[] {26, 39, 40, 61, 99, 1000, 5000, -1}) {
            assertThat(bits(polygon(id))).as("id %d", id).isEqualTo(bits(ALL | UNKNOWN_CONDITION));
        }
        assertThat(bits(polygon(37, 99))).as("the known condition still forbids")
                .isEqualTo(bits(VOLUME | UNKNOWN_CONDITION));
        assertThat(bits(polygon(PRE_MARKET, 12, 99)))
                .isEqualTo(bits(VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW | UNKNOWN_CONDITION));
    }

    // ---- Alpaca letters ----

    @Test
    void letterBIsAveragePriceOnCtaButBunchedOnUtp() {
        assertThat(bits(letters('A', "B"))).isEqualTo(bits(VOLUME));
        assertThat(bits(letters('B', "B"))).isEqualTo(bits(VOLUME));
        assertThat(bits(letters('C', "B"))).isEqualTo(bits(ALL));
    }

    @Test
    void letterWIsAveragePriceOnUtpAndUnknownOnCta() {
        assertThat(bits(letters('C', "W"))).isEqualTo(bits(VOLUME));
        assertThat(bits(letters('A', "W"))).isEqualTo(bits(ALL | UNKNOWN_CONDITION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"B", "W", "4", "9", "P", "Z"})
    void alpacaNeverTakesLastOrCloseFromTheseLetters(String letter) {
        // B is average price only on CTA (bunched on UTP), W only on UTP
        String tapes = switch (letter) {
            case "B" -> "AB";
            case "W" -> "CO";
            default -> "ABCO";
        };
        for (char tape : tapes.toCharArray()) {
            int b = letters(tape, letter);
            assertThat(b & (OPEN_CLOSE | BAR_OPEN_CLOSE)).as("%s on tape %s: %s", letter, tape, bits(b)).isZero();
            assertThat(b & UNKNOWN_CONDITION).as("%s on tape %s is known", letter, tape).isZero();
        }
    }

    @Test
    void correctedCloseLetterSetsHighLowOnly() {
        assertThat(bits(letters('A', "9"))).isEqualTo(bits(HIGH_LOW | BAR_HIGH_LOW));
        assertThat(bits(letters('C', "9"))).isEqualTo(bits(HIGH_LOW | BAR_HIGH_LOW));
    }

    @Test
    void regularSaleLetters() {
        assertThat(bits(letters('A', "@"))).isEqualTo(bits(ALL));
        assertThat(bits(letters('A', " "))).isEqualTo(bits(ALL));
        assertThat(bits(letters('C', "@"))).isEqualTo(bits(ALL));
        assertThat(bits(RULES.letters(Conditions.NONE, 'C', REGULAR))).isEqualTo(bits(ALL));
    }

    @Test
    void lettersFollowThePolygonClasses() {
        for (char tape : new char[] {'A', 'C'}) {
            assertThat(bits(letters(tape, "I"))).as("odd lot").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "@", "I"))).isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "F"))).as("ISO").isEqualTo(bits(ALL));
            assertThat(bits(letters(tape, "F", "I"))).as("ISO odd lot").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "C"))).as("cash").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "Z"))).as("sold out of sequence").isEqualTo(bits(HL_VOL));
            assertThat(bits(letters(tape, "U"))).as("extended sold out of sequence").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "P"))).as("prior reference price").isEqualTo(bits(HL_VOL));
            assertThat(bits(letters(tape, "4"))).as("derivatively priced").isEqualTo(bits(HL_VOL));
            assertThat(bits(letters(tape, "M"))).as("official close").isEqualTo(bits(0));
            assertThat(bits(letters(tape, "Q"))).as("official open").isEqualTo(bits(0));
            assertThat(bits(letters(tape, "V"))).as("contingent").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "7"))).as("QCT").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "T"))).as("Form T, regular hours").isEqualTo(bits(VOLUME));
            int formTPre = RULES.letters(Conditions.ofLetters("T"), tape, PRE_MARKET);
            assertThat(bits(formTPre)).isEqualTo(bits(VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW));
            int formTOddPre = RULES.letters(Conditions.ofLetters("T", "I"), tape, PRE_MARKET);
            assertThat(bits(formTOddPre)).isEqualTo(bits(VOLUME));
        }
        assertThat(bits(letters('C', "G"))).as("UTP bunched sold").isEqualTo(bits(HL_VOL));
        assertThat(bits(letters('A', "E"))).as("CTA automatic execution").isEqualTo(bits(ALL));
    }

    @Test
    void unknownLettersAllowEverythingAndSaySo() {
        assertThat(bits(letters('A', "G"))).as("no G on CTA").isEqualTo(bits(ALL | UNKNOWN_CONDITION));
        assertThat(bits(letters('C', "E"))).as("no E on UTP").isEqualTo(bits(ALL | UNKNOWN_CONDITION));
        assertThat(bits(letters('C', "~"))).isEqualTo(bits(ALL | UNKNOWN_CONDITION));
        assertThat(bits(RULES.letters(Conditions.of(0x263A), 'C', REGULAR))).isEqualTo(bits(ALL | UNKNOWN_CONDITION));
        assertThat(bits(letters('A', "I", "~"))).isEqualTo(bits(VOLUME | UNKNOWN_CONDITION));
    }

    @Test
    void otherTapesUseUtpLettersThenCta() {
        for (char tape : new char[] {'O', 'Z', Absent.CHAR}) {
            assertThat(bits(letters(tape, "W"))).as("UTP average price").isEqualTo(bits(VOLUME));
            assertThat(bits(letters(tape, "B"))).as("UTP bunched").isEqualTo(bits(ALL));
            assertThat(bits(letters(tape, "E"))).as("CTA automatic execution").isEqualTo(bits(ALL));
            assertThat(bits(letters(tape, " "))).as("CTA space").isEqualTo(bits(ALL));
            assertThat(bits(letters(tape, "~"))).isEqualTo(bits(ALL | UNKNOWN_CONDITION));
        }
    }

    // ---- trades ----

    private static Trade trade(DataSource source, char tape, long ns, Conditions c) {
        return new Trade(source, "IBM", ns, 0L, 100.0, 10, 1, "1", tape, Absent.LONG, Absent.INT, Absent.LONG, c);
    }

    @Test
    void tradesUseTheirSourcesCodeSpace() {
        for (DataSource s : new DataSource[] {DataSource.POLYGON, DataSource.SIMULATOR, DataSource.DERIVED,
                DataSource.DATABASE}) {
            assertThat(bits(eligibilityOf(RULES, trade(s, 'A', REGULAR, Conditions.of(2))))).as("%s", s).isEqualTo(bits(VOLUME));
            assertThat(bits(eligibilityOf(RULES, trade(s, 'A', PRE_MARKET, Conditions.of(12)))))
                    .isEqualTo(bits(VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW));
            assertThat(bits(eligibilityOf(RULES, trade(s, 'C', REGULAR, Conditions.NONE)))).isEqualTo(bits(ALL));
        }
        assertThat(bits(eligibilityOf(RULES, trade(DataSource.ALPACA, 'A', REGULAR, Conditions.ofLetters("B")))))
                .isEqualTo(bits(VOLUME));
        assertThat(bits(eligibilityOf(RULES, trade(DataSource.ALPACA, 'C', REGULAR, Conditions.ofLetters("B")))))
                .isEqualTo(bits(ALL));
        assertThat(bits(eligibilityOf(RULES, trade(DataSource.ALPACA, 'C', AFTER_HOURS, Conditions.ofLetters("T")))))
                .isEqualTo(bits(VOLUME | BAR_OPEN_CLOSE | BAR_HIGH_LOW));
    }

    // ---- the table and the session clock ----

    @Test
    void theStandardTableIsLoadedOnceAndSaysItsVersion() {
        assertThat(TradeEligibility.standard()).isSameAs(RULES);
        assertThat(RULES.version()).isEqualTo("2026-11-24.1");
        assertThat(RULES.sources()).contains("protocols.md").contains("4.1").contains("4.2");
        assertThat(RULES.name()).isEqualTo(TradeEligibility.RESOURCE);
        assertThat(RULES.toString()).contains("2026-11-24.1");
    }

    @Test
    void onlyBitsZeroToFiveAreUsed() {
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < 20_000; k++) {
            int[] ids = new int[r.nextInt(4)];
            for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(-2, 130);
            long ns = REGULAR + r.nextLong(-86_400_000_000_000L, 86_400_000_000_000L);
            assertThat(RULES.ids(Conditions.of(ids), ns) & ~Eligibility.MASK).isZero();
        }
    }

    /** Form T takes bar prices exactly when NewYorkTime says extended but not regular session, over a year. */
    @Test
    void theCachedSessionClockAgreesWithNewYorkTime() {
        SplittableRandom r = new SplittableRandom(7);
        long from = ny("2024-01-01T00:00");
        long to = ny("2025-01-01T00:00");
        Conditions formT = Conditions.of(12);
        long ns = from;
        for (int k = 0; k < 20_000; k++) {
            // mostly small steps (the cache hits), sometimes a jump (it is replaced), around DST changes too
            ns = r.nextInt(50) == 0 ? r.nextLong(from, to) : ns + r.nextLong(60_000_000_000L * 20);
            boolean expected = NewYorkTime.inExtendedSession(ns) && !NewYorkTime.inRegularSession(ns);
            assertThat(Eligibility.updatesBarOpenClose(RULES.ids(formT, ns)))
                    .as("Form T at %s", java.time.Instant.ofEpochSecond(0, ns)).isEqualTo(expected);
        }
        for (String t : new String[] {"2024-03-11T04:00", "2024-03-11T09:29", "2024-03-11T16:00",
                "2024-11-04T04:00", "2024-11-04T19:59", "2024-03-08T19:59"}) {
            assertThat(Eligibility.updatesBarHighLow(RULES.ids(formT, ny(t)))).as(t).isTrue();
        }
    }

    @Test
    void threadsOnDifferentDaysGetTheirOwnDaysRight() throws Exception {
        long[] days = {PRE_MARKET, AFTER_HOURS, OVERNIGHT, SATURDAY, ny("2024-07-03T18:00"), ny("2024-12-24T05:00")};
        boolean[] extended = {true, true, false, false, true, true};
        ExecutorService pool = Executors.newFixedThreadPool(days.length);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int d = 0; d < days.length; d++) {
                long base = days[d];
                boolean ext = extended[d];
                wrong.add(pool.submit(() -> {
                    Conditions formT = Conditions.of(12);
                    int errors = 0;
                    for (int i = 0; i < 200_000; i++) {
                        int b = RULES.ids(formT, base + (i % 1000) * 1_000_000L);
                        if (Eligibility.updatesBarOpenClose(b) != ext) errors++;
                    }
                    return errors;
                }));
            }
            for (Future<Integer> f : wrong) assertThat(f.get()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /** A trade's eligibility as the cleaner reads it: through its source's condition codes. */
    private static int eligibilityOf(TradeEligibility rules, Trade t) {
        return com.systemtrader.vendor.VendorModule.conditions(t.source()).eligibility(rules, t);
    }
}
