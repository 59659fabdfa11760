package com.systemtrader.config;

import com.systemtrader.config.YamlNode.Mapping;
import com.systemtrader.config.YamlNode.Scalar;
import com.systemtrader.config.YamlNode.Sequence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One mapping of the configuration tree, read key by key with a default for each. Every read registers the
 * key as known (so that {@link UnknownKeys} can reject the rest), and every bad value becomes a {@link Problem}
 * and yields the default, so that one pass reports everything. Values that came from the environment are
 * strings; lists there are comma-separated.
 */
final class Section {
    /** The one message for anything that looks like a credential; it never carries the value. */
    static final String CREDENTIALS = "credentials do not belong in collector_config.yaml; "
            + "use config/api_credentials.yaml or environment variables";
    private static final Pattern CREDENTIAL_WORD = Pattern.compile("(?i)key|secret|token|password");
    private static final Pattern DIGIT_SEPARATOR = Pattern.compile("(?<=\\d)_(?=\\d)");
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(86_400);

    /** What a whole read collects: problems, the keys asked for per section, the keys given a value. */
    static final class Context {
        final List<Problem> problems;
        final Map<String, Set<String>> known = new LinkedHashMap<>();
        final Set<String> sections = new HashSet<>();
        final Set<String> given = new LinkedHashSet<>();
        final Set<String> failed = new HashSet<>();

        Context(List<Problem> problems) {
            this.problems = problems;
        }

        Set<String> known(String sectionPath) {
            return known.computeIfAbsent(sectionPath, k -> new LinkedHashSet<>());
        }
    }

    private final Mapping node;
    private final String path;
    private final Context ctx;

    private Section(Mapping node, String path, Context ctx) {
        this.node = node;
        this.path = path;
        this.ctx = ctx;
    }

    static Section root(Mapping node, Context ctx) {
        ctx.sections.add("");
        return new Section(node, "", ctx);
    }

    static boolean looksLikeCredential(String name) {
        return name != null && CREDENTIAL_WORD.matcher(name).find();
    }

    /** The nested section {@code key}; empty when absent or written as {@code key:} with nothing below. */
    Section section(String key) {
        String p = pathOf(key);
        ctx.known(path).add(key);
        ctx.sections.add(p);
        YamlNode n = node.entries().get(key);
        if (n instanceof Mapping m) return new Section(m, p, ctx);
        if (n != null && !(n instanceof Scalar s && s.isNull())) {
            fail(p, n, "expected a section (keys indented below it), got " + describe(n));
        }
        return new Section(Mapping.empty(), p, ctx);
    }

    boolean bool(String key, boolean def) {
        Scalar s = scalar(key, "true or false");
        if (s == null) return def;
        String t = s.text().strip();
        if (t.equalsIgnoreCase("true")) return true;
        if (t.equalsIgnoreCase("false")) return false;
        fail(pathOf(key), s, "expected true or false, got " + quote(t));
        return def;
    }

    /** A whole number in {@code [min, max]}; a power of two as well when {@code powerOfTwo}. */
    int integer(String key, int def, int min, int max, boolean powerOfTwo) {
        Scalar s = scalar(key, "a whole number");
        if (s == null) return def;
        String t = s.text().strip();
        BigInteger v;
        try {
            v = new BigInteger(DIGIT_SEPARATOR.matcher(t).replaceAll(""));
        } catch (NumberFormatException e) {
            fail(pathOf(key), s, "expected a whole number, got " + quote(t));
            return def;
        }
        boolean inRange = v.compareTo(BigInteger.valueOf(min)) >= 0 && v.compareTo(BigInteger.valueOf(max)) <= 0;
        if (inRange && (!powerOfTwo || v.bitCount() == 1)) return v.intValueExact();
        fail(pathOf(key), s, "must be " + (powerOfTwo ? "a power of two " : "") + "from " + min + " to " + max + ", got " + t);
        return def;
    }

    /** A decimal number in {@code [min, max]}. */
    double number(String key, double def, double min, double max) {
        Scalar s = scalar(key, "a number");
        BigDecimal v = s == null ? null : decimal(key, s, "a number");
        if (v == null) return def;
        if (v.compareTo(BigDecimal.valueOf(min)) >= 0 && v.compareTo(BigDecimal.valueOf(max)) <= 0) return v.doubleValue();
        fail(pathOf(key), s, "must be from " + BigDecimal.valueOf(min).stripTrailingZeros().toPlainString() + " to "
                + BigDecimal.valueOf(max).stripTrailingZeros().toPlainString() + ", got " + s.text().strip());
        return def;
    }

    /** A number of seconds, fractions allowed, at most one day; zero only when {@code zeroAllowed}. */
    Duration seconds(String key, Duration def, boolean zeroAllowed) {
        Scalar s = scalar(key, "a number of seconds");
        BigDecimal v = s == null ? null : decimal(key, s, "a number of seconds (e.g. 30 or 0.5)");
        if (v == null) return def;
        String t = s.text().strip();
        String problem = v.signum() < 0 ? "must not be negative"
                : v.signum() == 0 && !zeroAllowed ? "must be greater than 0"
                : v.compareTo(MAX_SECONDS) > 0 ? "must be at most " + MAX_SECONDS + " (one day)" : null;
        if (problem == null) return Duration.ofNanos(v.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
        fail(pathOf(key), s, problem + ", got " + t);
        return def;
    }

    /** Any non-empty text, checked by {@code check} (an error message or null). */
    String text(String key, String def, Function<String, String> check) {
        Scalar s = scalar(key, "a value");
        if (s == null) return def;
        String t = s.text().strip();
        String problem = t.isEmpty() ? "must not be empty" : check.apply(t);
        if (problem == null) return t;
        fail(pathOf(key), s, problem);
        return def;
    }

    /** The scalar as a decimal (digit separators allowed), or null after reporting that it is not one. */
    private BigDecimal decimal(String key, Scalar s, String expected) {
        String t = s.text().strip();
        try {
            return new BigDecimal(DIGIT_SEPARATOR.matcher(t).replaceAll(""));
        } catch (NumberFormatException e) {
            fail(pathOf(key), s, "expected " + expected + ", got " + quote(t));
            return null;
        }
    }

    /** One of {@code allowed}, exactly as written there. */
    String oneOf(String key, String def, List<String> allowed) {
        Scalar s = scalar(key, "one of " + String.join(", ", allowed));
        if (s == null) return def;
        String t = s.text().strip();
        if (allowed.contains(t)) return t;
        fail(pathOf(key), s, "must be one of " + String.join(", ", allowed) + ", got " + quote(t));
        return def;
    }

    /** An absolute URL with one of {@code schemes}, a host, and no credentials, query or fragment. */
    URI url(String key, URI def, List<String> schemes) {
        Scalar s = scalar(key, "a URL");
        if (s == null) return def;
        String t = s.text().strip();
        String p = pathOf(key);
        URI u;
        try {
            u = new URI(t);
        } catch (URISyntaxException e) {
            fail(p, s, looksLikeCredential(t) || t.contains("@") ? CREDENTIALS : "not a valid URL, got " + quote(t));
            return def;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String problem = u.getRawUserInfo() != null || looksLikeCredential(u.getRawQuery()) ? CREDENTIALS
                : !schemes.contains(scheme) ? "must be a " + String.join(" or ", schemes) + " URL, got " + quote(t)
                : u.getHost() == null ? "has no host, got " + quote(t)
                : u.getRawQuery() != null || u.getRawFragment() != null ? "must not have a query or fragment, got " + quote(t)
                : null;
        if (problem == null) return u;
        fail(p, s, problem);
        return def;
    }

    /**
     * A list of strings, each checked by {@code check} (an error message or null), none twice. In the file a
     * YAML list; in the environment comma-separated.
     */
    List<String> list(String key, List<String> def, Function<String, String> check) {
        ctx.known(path).add(key);
        YamlNode n = node.entries().get(key);
        if (n == null) return def;
        String p = pathOf(key);
        ctx.given.add(p);
        List<YamlNode> items;
        if (n instanceof Sequence seq) {
            items = seq.items();
        } else if (n instanceof Scalar s && s.envVar() != null) {
            items = new ArrayList<>();
            for (String part : s.text().split(",")) {
                if (!part.isBlank()) items.add(new Scalar(part.strip(), false, 0, s.envVar()));
            }
        } else {
            fail(p, n, "expected a list, e.g. [A, B] or one \"- A\" per line, got " + describe(n));
            return def;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = p + "[" + i + "]";
            String error = !(item instanceof Scalar s) ? "expected a single value, got " + describe(item)
                    : out.contains(s.text().strip()) ? "listed twice: " + quote(s.text().strip())
                    : check.apply(s.text().strip());
            if (error != null) {
                fail(itemPath, item, error);
                ctx.failed.add(p);
            } else {
                out.add(((Scalar) item).text().strip());
            }
        }
        return ctx.failed.contains(p) ? def : out;
    }

    /**
     * A mapping of free-form names to text values (a client library's own properties, say): each name and value
     * checked by {@code check} (an error message or null; it must not quote the value, which may be a secret). Its
     * names are the library's, so they are neither matched against known keys nor taken for credentials by their
     * words: {@code check} decides. Absent: {@code def}.
     */
    Map<String, String> map(String key, Map<String, String> def, java.util.function.BiFunction<String, String, String> check) {
        ctx.known(path).add(key);
        YamlNode n = node.entries().get(key);
        if (n == null || n instanceof Scalar s && s.isNull() && s.envVar() == null) return def;
        String p = pathOf(key);
        ctx.given.add(p);
        if (!(n instanceof Mapping m)) { // never quoted: it may be a secret written in the wrong place
            fail(p, n, "expected a section of name: value lines, got " + (n instanceof Scalar ? "a single value" : "a list"));
            return def;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            String itemPath = p + "." + e.getKey();
            String error = !(e.getValue() instanceof Scalar v) ? "expected a single value, got a section or a list"
                    : v.isNull() || v.text().isBlank() ? "has no value"
                    : check.apply(e.getKey(), v.text().strip());
            if (error != null) {
                fail(itemPath, e.getValue(), error);
                ctx.failed.add(p);
            } else {
                out.put(e.getKey(), ((Scalar) e.getValue()).text().strip());
            }
        }
        return ctx.failed.contains(p) ? def : out;
    }

    /** Whether {@code key} is absent or was read without a problem (cross-key checks need both sides valid). */
    boolean ok(String key) {
        return !ctx.failed.contains(pathOf(key));
    }

    /** Whether {@code key} was given a value, in the file or the environment. */
    boolean given(String key) {
        return ctx.given.contains(pathOf(key));
    }

    /** Reports a problem at {@code key} (at its line when given) that is not about its own type or range. */
    void problem(String key, String message) {
        fail(pathOf(key), node.entries().get(key), message);
    }

    /** Quoted, escaped and shortened for a message. */
    static String quote(String text) {
        String t = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        StringBuilder b = new StringBuilder("\"");
        for (char c : t.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private Scalar scalar(String key, String expected) {
        ctx.known(path).add(key);
        YamlNode n = node.entries().get(key);
        if (n == null) return null;
        String p = pathOf(key);
        ctx.given.add(p);
        if (n instanceof Scalar s && !s.isNull()) return s;
        fail(p, n, n instanceof Scalar ? "has no value; give " + expected + " or remove the key to use the default"
                : "expected " + expected + ", got " + describe(n));
        return null;
    }

    private void fail(String p, YamlNode n, String message) {
        ctx.failed.add(p);
        ctx.problems.add(Problem.at(p, n, message));
    }

    private String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(YamlNode n) {
        return switch (n) {
            case Mapping m -> "a section";
            case Sequence s -> "a list";
            case Scalar s -> quote(s.text());
        };
    }
}
