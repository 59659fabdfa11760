package com.systemtrader.simulator.market;

/**
 * Maps the market's canonical Polygon codes to Alpaca's letters (protocols.md sections 1.7, 2.8 and 4.1).
 * Only the codes the synthetic market produces need a mapping; unknown ids map to {@code '?'}.
 */
public final class SipCodes {
    /** Polygon exchange id -> participant letter, index = id. */
    private static final char[] EXCHANGE_LETTER = new char[32];
    /** Polygon trade condition id -> SIP letter, index = id. */
    private static final char[] CONDITION_LETTER = new char[128];

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
    }

    private SipCodes() {}

    public static char exchangeLetter(int polygonExchangeId) {
        return polygonExchangeId >= 0 && polygonExchangeId < EXCHANGE_LETTER.length
                ? EXCHANGE_LETTER[polygonExchangeId] : '?';
    }

    public static char conditionLetter(int polygonConditionId) {
        return polygonConditionId >= 0 && polygonConditionId < CONDITION_LETTER.length
                ? CONDITION_LETTER[polygonConditionId] : '?';
    }
}
