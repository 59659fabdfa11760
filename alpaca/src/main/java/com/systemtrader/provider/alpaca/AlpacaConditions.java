package com.systemtrader.provider.alpaca;

import com.systemtrader.schema.Conditions;
import com.systemtrader.sip.TradeEligibility;
import com.systemtrader.vendor.ConditionCodes;

/**
 * Alpaca's condition codes: the SIPs' own letters (kept as char values), read on the trade's tape: CTA letters on
 * tapes A and B, UTP letters on tape C, UTP with CTA as fallback when the tape is unknown. Late reports: {@code L}
 * (sold last), {@code Z} (sold out of sequence), {@code U} (extended hours sold out of sequence).
 */
final class AlpacaConditions implements ConditionCodes {
    static final AlpacaConditions INSTANCE = new AlpacaConditions();

    private AlpacaConditions() {}

    @Override public int eligibility(TradeEligibility table, Conditions conditions, char tape, long eventTimeNs) {
        return table.letters(conditions, tape, eventTimeNs);
    }

    @Override public boolean late(Conditions conditions) {
        for (int i = 0, n = conditions.size(); i < n; i++) {
            int code = conditions.get(i);
            if (code == 'L' || code == 'Z' || code == 'U') return true;
        }
        return false;
    }
}
