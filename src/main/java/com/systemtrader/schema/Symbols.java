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
}
