package com.systemtrader.sip;

import static com.systemtrader.sip.Times.AFTER_HOURS;
import static com.systemtrader.sip.Times.OVERNIGHT;
import static com.systemtrader.sip.Times.PRE_MARKET;
import static com.systemtrader.sip.Times.REGULAR;
import static com.systemtrader.sip.Times.SATURDAY;
import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.DataSource;
import com.systemtrader.schema.MarketEvent;
import com.systemtrader.schema.Trade;
import com.systemtrader.simulator.market.MarketConfig;
import com.systemtrader.simulator.market.SipCodes;
import com.systemtrader.simulator.market.SyntheticMarket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulator speaks Polygon ids on one side and SIP letters on the other ({@link SipCodes}); bars built from
 * either stream agree only if every mapped id's letter has the id's rule. Checked for CTA and UTP tapes.
 */
class SipCodesAgreementTest {
    private static final TradeEligibility RULES = TradeEligibility.standard();
    private static final long[] TIMES = {REGULAR, PRE_MARKET, AFTER_HOURS, OVERNIGHT, SATURDAY};

    private static Conditions letters(Conditions polygon, char tape) {
        String[] l = new String[polygon.size()];
        for (int i = 0; i < l.length; i++) l[i] = String.valueOf(SipCodes.conditionLetter(polygon.get(i), tape));
        return Conditions.ofLetters(l);
    }

    @Test
    void everyMappedIdHasTheSameRuleAsItsLetterOnEveryTape() {
        int mapped = 0;
        for (int id = -1; id < 1_100; id++) {
            for (char tape : new char[] {'A', 'B', 'C'}) {
                char letter = SipCodes.conditionLetter(id, tape);
                if (letter == '?') continue;
                mapped++;
                for (long ns : TIMES) {
                    int fromId = RULES.ids(Conditions.of(id), ns);
                    int fromLetter = RULES.letters(Conditions.ofLetters(String.valueOf(letter)), tape, ns);
                    assertThat(fromId & Eligibility.UNKNOWN_CONDITION).as("id %d is in the table", id).isZero();
                    assertThat(Eligibility.toString(fromLetter))
                            .as("id %d -> '%s' on tape %s at %d", id, letter, tape, ns)
                            .isEqualTo(Eligibility.toString(fromId));
                }
            }
        }
        assertThat(mapped).as("mapped (id, tape) pairs").isGreaterThanOrEqualTo(3 * 17);
    }

    @Test
    void averagePriceIsBOnCtaAndWOnUtp() {
        assertThat(SipCodes.conditionLetter(2, 'A')).isEqualTo('B');
        assertThat(SipCodes.conditionLetter(2, 'B')).isEqualTo('B');
        assertThat(SipCodes.conditionLetter(2, 'C')).isEqualTo('W');
        assertThat(SipCodes.conditionLetter(37, 'A')).isEqualTo('I');
        assertThat(SipCodes.conditionLetter(37, 'C')).isEqualTo('I');
        assertThat(SipCodes.conditionLetter(999, 'C')).isEqualTo('?');
    }

    /** Every trade the synthetic market emits, in both code spaces, across a session's hours. */
    @Test
    void syntheticTradesHaveTheSameEligibilityInBothCodeSpaces() {
        List<String> symbols = List.of("AAPL", "NVDA", "QQQ", "F", "GE"); // tapes A, B, B, C, C
        MarketConfig config = new MarketConfig(9, symbols, 1_000, 0, 1_000, 0, true);
        Set<Conditions> seen = new HashSet<>();
        Set<Character> tapes = new HashSet<>();
        int compared = 0;
        for (long start : new long[] {PRE_MARKET, REGULAR, AFTER_HOURS}) {
            SyntheticMarket market = new SyntheticMarket(config, start);
            List<MarketEvent> out = new ArrayList<>();
            for (int k = 1; k <= 3_000; k++) {
                out.clear();
                market.step(start + k * 2_000_000L, 4, out);
                for (MarketEvent e : out) {
                    if (!(e instanceof Trade t)) continue;
                    Trade alpaca = new Trade(DataSource.ALPACA, t.symbol(), t.eventTimeNs(), 0L, t.price(), t.size(),
                            SipCodes.exchangeLetter(t.exchange()), t.tradeId(), t.tape(), t.sequence(), t.trfId(),
                            t.trfTimeNs(), t.conditions().isEmpty() ? Conditions.ofLetters("@")
                                    : letters(t.conditions(), t.tape()));
                    assertThat(Eligibility.toString(eligibilityOf(RULES, alpaca))).as("%s as %s", t, alpaca)
                            .isEqualTo(Eligibility.toString(eligibilityOf(RULES, t)));
                    seen.add(t.conditions());
                    tapes.add(t.tape());
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(tapes).contains('A', 'B', 'C');
        assertThat(seen).contains(Conditions.NONE, Conditions.of(2), Conditions.of(12), Conditions.of(12, 37),
                Conditions.of(32), Conditions.of(37), Conditions.of(14));
    }

    /** A trade's eligibility as the cleaner reads it: through its source's condition codes. */
    private static int eligibilityOf(TradeEligibility rules, Trade t) {
        return com.systemtrader.vendor.VendorModule.conditions(t.source()).eligibility(rules, t);
    }
}
