package com.systemtrader.schema;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** Symbol lists as users type them (CLI arguments, HTTP parameters). */
public final class Symbols {
    private Symbols() {}

    /**
     * The symbols of comma- or space-separated texts, each stripped and upper-cased, empty parts skipped, duplicates
     * dropped, in the order given. Validity is the caller's business (an unknown symbol is an answer, not an error).
     */
    public static List<String> parse(Iterable<String> texts) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String text : texts) {
            for (String s : text.split("[,\\s]+")) {
                if (!s.isEmpty()) out.add(s.toUpperCase(Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }

    public static List<String> parse(String text) {
        return parse(List.of(text));
    }

    /** The longest symbol {@link #check} accepts (OCC option symbols are 21 characters with their prefix). */
    public static final int MAX_LENGTH = 32;

    /**
     * {@code symbol} stripped and upper-cased when it is a plausible ticker: 1 to {@link #MAX_LENGTH} characters of
     * letters, digits and {@code . - / : ^ _} (share classes {@code BRK.B} or {@code BRK/B}, Polygon's prefixed
     * {@code X:BTCUSD} and {@code I:SPX}, crypto pairs {@code BTC/USD}), starting with a letter or a digit.
     * Anything else (control characters, spaces, quotes, percent signs) never reaches a data tier.
     *
     * @throws IllegalArgumentException naming what is wrong (the text is quoted only when it is printable)
     */
    public static String check(String symbol) {
        String s = symbol == null ? "" : symbol.strip().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) throw new IllegalArgumentException("a symbol is required");
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a symbol has at most " + MAX_LENGTH + " characters, got " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (i > 0 && (c == '.' || c == '-' || c == '/' || c == ':' || c == '^' || c == '_'));
            if (!ok) {
                String shown = c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
                throw new IllegalArgumentException("not a symbol: character " + shown + " at position " + (i + 1)
                        + " (letters, digits and . - / : ^ _ only)");
            }
        }
        return s;
    }
}
