package com.systemtrader.support;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean": the known name nearest to a misspelled one (configuration keys, HTTP parameters). */
public final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate nearest to {@code name} ignoring case, '_' and '-', if near enough to be a typo (edit distance
     * at most a quarter of its length, between 1 and 3); null otherwise.
     */
    public static String closest(String name, Collection<String> candidates) {
        String k = normalize(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(k, normalize(c));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, k.length() / 4));
        return bestDistance <= allowed ? best : null;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
