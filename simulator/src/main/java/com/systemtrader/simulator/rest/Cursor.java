package com.systemtrader.simulator.rest;

import com.systemtrader.codec.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opaque pagination tokens. A Polygon {@code cursor} is the URL-safe base64 (no padding) of
 * {@code key=value&key=value} holding the rest of the query; an Alpaca {@code page_token} is the standard base64
 * of {@code SYMBOL|RFC3339[|skip]}, the first item of the next page (the shape Alpaca's own tokens have). Decoding
 * failures are {@link RestException#badParameter} naming the parameter.
 */
final class Cursor {
    private final Map<String, String> values;
    private final String param;

    private Cursor(Map<String, String> values, String param) {
        this.values = values;
        this.param = param;
    }

    /** Builds a cursor from alternating keys and values. */
    static String encode(Object... keyValues) {
        StringBuilder sb = new StringBuilder(96);
        for (int i = 0; i < keyValues.length; i += 2) {
            if (i > 0) sb.append('&');
            sb.append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text, String param) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(param, text);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : plain.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw invalid(param, text);
            m.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new Cursor(m, param);
    }

    String string(String key) {
        String v = values.get(key);
        if (v == null) throw RestException.badParameter(param, "invalid " + param + ": missing " + key);
        return v;
    }

    long longValue(String key) {
        try {
            return Long.parseLong(string(key));
        } catch (NumberFormatException e) {
            throw RestException.badParameter(param, "invalid " + param + ": bad " + key);
        }
    }

    int intValue(String key, int min, int max) {
        long v = longValue(key);
        if (v < min || v > max) throw RestException.badParameter(param, "invalid " + param + ": bad " + key);
        return (int) v;
    }

    boolean bool(String key) {
        String v = string(key);
        if (!v.equals("true") && !v.equals("false")) {
            throw RestException.badParameter(param, "invalid " + param + ": bad " + key);
        }
        return v.equals("true");
    }

    /**
     * An Alpaca page position: the symbol and time of the first item not yet returned and, for trades (several can
     * share one timestamp), {@code skip}, how many items stamped exactly {@code timeNs} of that symbol come before
     * it in the response order. Encoded {@code SYMBOL|RFC3339} when {@code skip} is 0 (the bar tokens, unchanged)
     * and {@code SYMBOL|RFC3339|skip} otherwise; both forms decode.
     */
    record PageToken(String symbol, long timeNs, int skip) {
        PageToken {
            if (skip < 0) throw new IllegalArgumentException("skip must be >= 0");
        }

        PageToken(String symbol, long timeNs) {
            this(symbol, timeNs, 0);
        }

        String encode() {
            String plain = symbol + "|" + Timestamps.formatRfc3339(timeNs) + (skip == 0 ? "" : "|" + skip);
            return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static PageToken decode(String text, String param) {
            try {
                String plain = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
                int bar = plain.indexOf('|');
                if (bar <= 0) throw invalid(param, text);
                int second = plain.indexOf('|', bar + 1);
                String time = second < 0 ? plain.substring(bar + 1) : plain.substring(bar + 1, second);
                int skip = 0;
                if (second >= 0) {
                    String digits = plain.substring(second + 1);
                    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                        throw invalid(param, text);
                    }
                    skip = Integer.parseInt(digits);
                }
                return new PageToken(plain.substring(0, bar), Timestamps.parseRfc3339(time), skip);
            } catch (IllegalArgumentException e) {
                throw invalid(param, text);
            }
        }
    }

    private static RestException invalid(String param, String text) {
        return RestException.badParameter(param, "invalid " + param + " '" + RestException.shown(text) + "'");
    }
}
