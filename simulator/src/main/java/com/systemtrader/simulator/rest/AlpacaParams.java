package com.systemtrader.simulator.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Validation of Alpaca's common query parameters; failures become 422 naming the parameter. */
final class AlpacaParams {
    static final String[] FEEDS = {"iex", "sip", "delayed_sip", "boats", "overnight", "otc"};
    static final String[] ADJUSTMENTS = {"raw", "split", "dividend", "spin-off", "all"};
    private static final int MAX_SYMBOL_LENGTH = 21;

    private AlpacaParams() {}

    /** {@code symbols}: required, de-duplicated in request order. */
    static List<String> symbols(RestRequest r) {
        List<String> raw = r.listParam("symbols");
        if (raw.isEmpty()) throw RestException.badParameter("symbols", "missing symbols");
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String s : raw) set.add(symbol(s, "symbols"));
        return new ArrayList<>(set);
    }

    /** A symbol: letters, digits and {@code . / - :}, at most 21 characters. */
    static String symbol(String s, String param) {
        boolean ok = !s.isEmpty() && s.length() <= MAX_SYMBOL_LENGTH;
        for (int i = 0; i < s.length() && ok; i++) {
            char c = s.charAt(i);
            ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '/' || c == '-' || c == ':';
        }
        if (!ok) throw RestException.badParameter(param, "invalid symbol: " + RestException.shown(s));
        return s;
    }

    static void feed(RestRequest r) {
        r.choiceParam("feed", "sip", FEEDS);
    }

    static void adjustment(RestRequest r) {
        for (String a : r.listParam("adjustment")) {
            boolean ok = false;
            for (String allowed : ADJUSTMENTS) ok |= allowed.equals(a);
            if (!ok) {
                throw RestException.badParameter("adjustment", "invalid adjustment '" + RestException.shown(a)
                        + "': must be raw, split, dividend, spin-off or all");
            }
        }
    }

    /**
     * {@code timeframe}: {@code [1-59]Min|T}, {@code [1-23]Hour|H}, {@code 1Day|D}, as a bar length in ns.
     * Weeks and months are valid for Alpaca but not served by the simulator (422 saying so).
     */
    static long timeframe(RestRequest r) {
        String tf = r.param("timeframe");
        if (tf == null) throw RestException.badParameter("timeframe", "missing timeframe");
        int i = 0;
        while (i < tf.length() && i < 4 && Character.isDigit(tf.charAt(i))) i++;
        String unit = tf.substring(i);
        int amount = i == 0 ? -1 : Integer.parseInt(tf.substring(0, i));
        switch (unit) {
            case "Min", "T":
                if (amount >= 1 && amount <= 59) return amount * MarketTime.MINUTE_NS;
                break;
            case "Hour", "H":
                if (amount >= 1 && amount <= 23) return amount * MarketTime.HOUR_NS;
                break;
            case "Day", "D":
                if (amount == 1) return MarketTime.DAY_NS;
                break;
            case "Week", "W", "Month", "M":
                if (amount >= 1) {
                    throw RestException.badParameter("timeframe", "timeframe " + RestException.shown(tf)
                            + " is not supported by the simulator: use Min, Hour or 1Day");
                }
                break;
            default:
                break;
        }
        throw RestException.badParameter("timeframe", "invalid timeframe '" + RestException.shown(tf)
                + "': expected [1-59]Min, [1-23]Hour or 1Day (T, H, D also accepted)");
    }
}
