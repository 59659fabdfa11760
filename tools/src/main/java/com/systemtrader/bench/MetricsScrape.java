package com.systemtrader.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One scrape of a Prometheus text page ({@code /metrics} of {@code run}), read leniently: sample lines only, label
 * values unescaped, comments skipped. Enough for the benchmark's sums and histogram quantiles; the strict parser that
 * checks the format is the tests' {@code PrometheusText}.
 */
public final class MetricsScrape {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private MetricsScrape(List<Sample> samples) {
        this.samples = samples;
    }

    public static MetricsScrape parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Sample s = sample(line);
            if (s != null) out.add(s);
        }
        return new MetricsScrape(out);
    }

    public List<Sample> samples() {
        return samples;
    }

    public boolean has(String name) {
        for (Sample s : samples) if (s.name.equals(name)) return true;
        return false;
    }

    /** The sum of every sample of {@code name} (any labels); 0 when there is none. */
    public double sum(String name) {
        double total = 0;
        for (Sample s : samples) if (s.name.equals(name)) total += s.value;
        return total;
    }

    /** The sum of the samples of {@code name} whose label {@code key} is {@code value}. */
    public double sum(String name, String key, String value) {
        double total = 0;
        for (Sample s : samples) if (s.name.equals(name) && value.equals(s.labels.get(key))) total += s.value;
        return total;
    }

    /** Sums of {@code name} by the value of label {@code key}, sorted by that value. */
    public Map<String, Double> sumBy(String name, String key) {
        Map<String, Double> out = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name.equals(name)) out.merge(String.valueOf(s.labels.get(key)), s.value, Double::sum);
        }
        return out;
    }

    /**
     * The {@code q} quantile of histogram {@code base} from its cumulative {@code base_bucket} samples (all label sets
     * added together per {@code le}), interpolated linearly inside the bucket as Prometheus' {@code
     * histogram_quantile} does. Empty when the histogram is absent or has no observations. When the quantile falls in
     * the {@code +Inf} bucket the highest finite bound is returned.
     */
    public OptionalDouble histogramQuantile(String base, double q) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        for (Sample s : samples) {
            if (!s.name.equals(base + "_bucket")) continue;
            String le = s.labels.get("le");
            if (le == null) continue;
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            cumulative.merge(bound, s.value, Double::sum);
        }
        if (cumulative.isEmpty()) return OptionalDouble.empty();
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) return OptionalDouble.empty();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        double highestFinite = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double bound = e.getKey();
            double count = e.getValue();
            if (count >= rank) {
                if (Double.isInfinite(bound)) return OptionalDouble.of(highestFinite);
                if (count == lowerCount) return OptionalDouble.of(bound);
                return OptionalDouble.of(lowerBound + (bound - lowerBound) * (rank - lowerCount) / (count - lowerCount));
            }
            if (!Double.isInfinite(bound)) highestFinite = bound;
            lowerBound = bound;
            lowerCount = count;
        }
        return OptionalDouble.of(highestFinite);
    }

    /** Observations counted by histogram {@code base} (its {@code +Inf} buckets), or 0. */
    public double histogramCount(String base) {
        return sum(base + "_count");
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) return null;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        int valueFrom;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') return null;
                String key = line.substring(i, eq).trim();
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (j < line.length() && line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char n = line.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                    j++;
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') i++;
            }
            valueFrom = i + 1;
        } else {
            name = line.substring(0, space);
            valueFrom = space;
        }
        String[] rest = line.substring(Math.min(valueFrom, line.length())).trim().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) return null;
        try {
            return new Sample(name, labels, parseValue(rest[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
