package com.systemtrader.simulator.market;

/**
 * Maps the market's canonical Polygon codes to Alpaca's letters (protocols.md sections 1.7, 2.8 and 4.1).
 * Condition letters depend on the tape: CTA (tapes A and B) and UTP (tape C) use different letters for some
 * conditions (average price is {@code B} on CTA, {@code W} on UTP; {@code B} on UTP means bunched). Every mapped
 * id's letter has the same rule in the letter tables of {@link com.systemtrader.sip.TradeEligibility} as the id
 * in the Polygon table, so bars built from either stream agree. Only the codes the synthetic market produces
 * need a mapping; unknown ids map to {@code '?'}.
 */
public final class SipCodes {
    /** Polygon exchange id -> participant letter, index = id. */
    private static final char[] EXCHANGE_LETTER = new char[32];
    /** Polygon trade condition id -> UTP letter (tape C and unknown tapes), index = id. */
    private static final char[] CONDITION_LETTER = new char[128];
    /** Polygon trade condition id -> CTA letter (tapes A and B), index = id. */
    private static final char[] CTA_CONDITION_LETTER;

    static {
        java.util.Arrays.fill(EXCHANGE_LETTER, '?');
        String ex = " ABCDEIJKMNPQSLVWXYZHU"; // ids 1..21 as in protocols.md 1.7 (12 Nasdaq -> Q, Alpaca's letter)
        for (int id = 1; id < ex.length(); id++) EXCHANGE_LETTER[id] = ex.charAt(id);
        EXCHANGE_LETTER[13] = 'E';
        java.util.Arrays.fill(CONDITION_LETTER, '?');
        CONDITION_LETTER[0] = '@';
        CONDITION_LETTER[2] = 'W';
        CONDITION_LETTER[7] = 'C';
        CONDITION_LETTER[10] = '4';
        CONDITION_LETTER[12] = 'T';
        CONDITION_LETTER[13] = 'U';
        CONDITION_LETTER[14] = 'F';
        CONDITION_LETTER[15] = 'M';
        CONDITION_LETTER[16] = 'Q';
        CONDITION_LETTER[17] = 'O';
        CONDITION_LETTER[19] = '6';
        CONDITION_LETTER[22] = 'P';
        CONDITION_LETTER[30] = 'L';
        CONDITION_LETTER[32] = 'Z';
        CONDITION_LETTER[37] = 'I';
        CONDITION_LETTER[41] = 'X';
        CONDITION_LETTER[53] = '7';
        CTA_CONDITION_LETTER = CONDITION_LETTER.clone();
        CTA_CONDITION_LETTER[2] = 'B';
    }

    private SipCodes() {}

    public static char exchangeLetter(int polygonExchangeId) {
        return polygonExchangeId >= 0 && polygonExchangeId < EXCHANGE_LETTER.length
                ? EXCHANGE_LETTER[polygonExchangeId] : '?';
    }

    /** The SIP letter of a Polygon trade condition id on {@code tape} ('A'/'B' CTA, otherwise UTP). */
    public static char conditionLetter(int polygonConditionId, char tape) {
        char[] letters = isCta(tape) ? CTA_CONDITION_LETTER : CONDITION_LETTER;
        return polygonConditionId >= 0 && polygonConditionId < letters.length ? letters[polygonConditionId] : '?';
    }

    /** Tapes A (NYSE-listed) and B (Arca/American/regional-listed) are disseminated by CTA; C by UTP. */
    public static boolean isCta(char tape) {
        return tape == 'A' || tape == 'B';
    }
}
