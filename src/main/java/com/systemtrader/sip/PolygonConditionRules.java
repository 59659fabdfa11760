package com.systemtrader.sip;

import com.systemtrader.schema.Conditions;

/**
 * The consolidated SIP update rules for Polygon trade condition ids (protocols.md section 4.1): whether a trade
 * with a condition may set open/close/last, high/low, and volume. A trade is eligible for a field only when
 * <em>every</em> one of its conditions allows it. Unknown ids are treated as allowing everything (the table
 * should be refreshed from {@code /v3/reference/conditions} at run time; this is the offline seed).
 */
public final class PolygonConditionRules {
    private static final int SIZE = 128;
    private static final boolean[] NO_OPEN_CLOSE = new boolean[SIZE];
    private static final boolean[] NO_HIGH_LOW = new boolean[SIZE];
    private static final boolean[] NO_VOLUME = new boolean[SIZE];

    static {
        for (int id : new int[] {2, 5, 7, 10, 12, 13, 15, 16, 20, 21, 22, 29, 32, 33, 37, 52, 53}) {
            NO_OPEN_CLOSE[id] = true;
        }
        for (int id : new int[] {2, 7, 12, 13, 15, 16, 20, 21, 29, 37, 52, 53}) NO_HIGH_LOW[id] = true;
        for (int id : new int[] {15, 16, 38}) NO_VOLUME[id] = true;
    }

    private PolygonConditionRules() {}

    public static boolean updatesOpenClose(Conditions conditions) { return all(conditions, NO_OPEN_CLOSE); }

    public static boolean updatesHighLow(Conditions conditions) { return all(conditions, NO_HIGH_LOW); }

    public static boolean updatesVolume(Conditions conditions) { return all(conditions, NO_VOLUME); }

    private static boolean all(Conditions conditions, boolean[] forbidden) {
        for (int i = 0, n = conditions.size(); i < n; i++) {
            int c = conditions.get(i);
            if (c >= 0 && c < SIZE && forbidden[c]) return false;
        }
        return true;
    }
}
