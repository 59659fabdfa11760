package com.systemtrader.vendor;

import com.systemtrader.schema.Conditions;
import com.systemtrader.schema.Trade;
import com.systemtrader.sip.TradeEligibility;

/**
 * How one vendor's trade condition codes read: condition codes stay in the vendor's code space from the wire to the
 * database, so what they mean for eligibility and lateness is the vendor's adapter's business
 * ({@link VendorModule#conditionCodes()}). The core asks {@link VendorModule#conditions} for the codes of a source.
 * Implementations are stateless and allocate nothing (they run per trade on the collector threads).
 */
public interface ConditionCodes {
    /**
     * The {@code sip.Eligibility} bits of {@code conditions} (a trade's, or a correction's new ones) on {@code tape}
     * at {@code eventTimeNs}, looked up in {@code table}.
     */
    int eligibility(TradeEligibility table, Conditions conditions, char tape, long eventTimeNs);

    /** The eligibility bits of trade {@code t}'s conditions. */
    default int eligibility(TradeEligibility table, Trade t) {
        return eligibility(table, t.conditions(), t.tape(), t.eventTimeNs());
    }

    /**
     * Whether any of {@code conditions} marks a late report: sold last, sold out of sequence, extended-hours sold out
     * of sequence (protocols.md 4.4). Form T marks extended-hours trading, not lateness.
     */
    boolean late(Conditions conditions);

    /**
     * Numeric SIP condition ids as Polygon numbers them: the code space of the simulator and of every source without
     * an adapter of its own (derived, database). Late reports: 30 and 31 (sold last), 32 and 33 (sold out of
     * sequence), 13 (extended hours sold out of sequence).
     */
    ConditionCodes NUMERIC_IDS = new ConditionCodes() {
        @Override public int eligibility(TradeEligibility table, Conditions conditions, char tape, long eventTimeNs) {
            return table.ids(conditions, eventTimeNs);
        }

        @Override public boolean late(Conditions conditions) {
            for (int i = 0, n = conditions.size(); i < n; i++) {
                int code = conditions.get(i);
                if (code == 13 || (code >= 30 && code <= 33)) return true;
            }
            return false;
        }
    };
}
