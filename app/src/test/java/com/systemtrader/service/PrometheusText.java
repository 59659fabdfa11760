package com.systemtrader.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (what a Prometheus server scrapes), for tests:
 * every line must be a {@code # HELP}, {@code # TYPE}, comment, blank or sample line of the grammar; label values
 * use the format's escapes; values are floats (with {@code NaN}, {@code +Inf}, {@code -Inf}), timestamps integers;
 * a family's {@code TYPE} comes at most once and before its samples; a family's samples are contiguous; no series
 * (name and label set) appears twice; summaries and histograms carry only their own suffixes, histogram buckets
 * have {@code le} and end with {@code +Inf}. Any violation throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    private PrometheusText() {}

    /** The families by name, in order of appearance. */
    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Set<String> seriesSeen = new java.util.HashSet<>();
        Set<String> closed = new java.util.HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("text must end with a newline");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] p = line.split(" ", 4);
                if (p.length >= 3 && (p[1].equals("HELP") || p[1].equals("TYPE"))) {
                    String name = p[2];
                    if (!METRIC.matcher(name).matches()) throw bad(no, "bad metric name '" + name + "'");
                    if (p[1].equals("TYPE")) {
                        String type = p.length == 4 ? p[3] : "";
                        if (!TYPES.contains(type)) throw bad(no, "unknown type '" + type + "'");
                        if (types.containsKey(name)) throw bad(no, "second TYPE for " + name);
                        if (families.containsKey(name)) throw bad(no, "TYPE for " + name + " after its samples");
                        types.put(name, type);
                    } else {
                        if (helps.containsKey(name)) throw bad(no, "second HELP for " + name);
                        helps.put(name, unescapeHelp(p.length == 4 ? p[3] : "", no));
                    }
                }
                continue;
            }
            Sample s = sample(line, no);
            String family = familyOf(s.name(), types);
            String type = types.getOrDefault(family, "untyped");
            checkSuffix(s, family, type, no);
            if (!family.equals(current)) {
                if (closed.contains(family)) throw bad(no, "samples of " + family + " are not contiguous");
                if (current != null) closed.add(current);
                current = family;
            }
            String series = s.name() + new TreeMap<>(s.labels());
            if (!seriesSeen.add(series)) throw bad(no, "duplicate series " + series);
            families.computeIfAbsent(family, f -> new Family(f, type, helps.get(f), new ArrayList<>())).samples().add(s);
        }
        for (Family f : families.values()) if (f.type().equals("histogram")) checkHistogram(f);
        return families;
    }

    private static Sample sample(String line, int no) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = line.substring(0, i);
        if (!METRIC.matcher(name).matches()) throw bad(no, "bad metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) throw bad(no, "unterminated label set");
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) throw bad(no, "label without '='");
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches() || label.startsWith("__")) throw bad(no, "bad label name '" + label + "'");
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') throw bad(no, "label value not quoted");
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; ; j++) {
                    if (j >= line.length()) throw bad(no, "unterminated label value");
                    char c = line.charAt(j);
                    if (c == '"') break;
                    if (c == '\\') {
                        if (++j >= line.length()) throw bad(no, "dangling escape");
                        char e = line.charAt(j);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw bad(no, "bad escape \\" + e + " in a label value");
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) throw bad(no, "label " + label + " twice");
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') i++;
                else if (i < line.length() && line.charAt(i) != '}') throw bad(no, "expected ',' or '}' after a label");
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') throw bad(no, "expected a space before the value");
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) throw bad(no, "expected a value and an optional timestamp");
        double value = value(rest[0], no);
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) throw bad(no, "bad timestamp '" + rest[1] + "'");
        return new Sample(name, labels, value);
    }

    private static double value(String v, int no) {
        switch (v) {
            case "NaN": return Double.NaN;
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                if (!v.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) throw bad(no, "bad value '" + v + "'");
                return Double.parseDouble(v);
        }
    }

    /** A sample's family: its own name, or the summary/histogram it belongs to by suffix. */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) return sample;
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String t = types.get(base);
                if ("summary".equals(t) || "histogram".equals(t)) return base;
            }
        }
        return sample;
    }

    private static void checkSuffix(Sample s, String family, String type, int no) {
        switch (type) {
            case "summary" -> {
                if (s.name().equals(family) && !s.labels().containsKey("quantile")) {
                    throw bad(no, "summary sample without quantile");
                }
                if (s.name().endsWith("_bucket")) throw bad(no, "_bucket in a summary");
            }
            case "histogram" -> {
                if (s.name().equals(family)) throw bad(no, "histogram sample without _bucket/_sum/_count");
                if (s.name().endsWith("_bucket") && !s.labels().containsKey("le")) throw bad(no, "bucket without le");
            }
            case "counter" -> {
                if (s.value() < 0) throw bad(no, "negative counter");
            }
            default -> { }
        }
    }

    private static void checkHistogram(Family f) {
        Map<String, List<Double>> les = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            if (!s.name().endsWith("_bucket")) continue;
            Map<String, String> rest = new TreeMap<>(s.labels());
            String le = rest.remove("le");
            les.computeIfAbsent(rest.toString(), k -> new ArrayList<>()).add(value(le, 0));
        }
        les.forEach((series, bounds) -> {
            for (int i = 1; i < bounds.size(); i++) {
                if (bounds.get(i) <= bounds.get(i - 1)) throw new IllegalArgumentException(f.name() + series + ": buckets not ascending");
            }
            if (bounds.isEmpty() || bounds.get(bounds.size() - 1) != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(f.name() + series + ": no +Inf bucket");
            }
        });
    }

    private static String unescapeHelp(String s, int no) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= s.length()) throw bad(no, "dangling escape in HELP");
            char e = s.charAt(i);
            if (e == '\\') b.append('\\');
            else if (e == 'n') b.append('\n');
            else throw bad(no, "bad escape \\" + e + " in HELP");
        }
        return b.toString();
    }

    private static IllegalArgumentException bad(int line, String why) {
        return new IllegalArgumentException("line " + line + ": " + why);
    }
}
