package com.systemtrader.config;

import com.systemtrader.config.YamlNode.Mapping;
import com.systemtrader.config.YamlNode.Scalar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays environment variables over the file's tree: {@code SYSTEM_TRADER__POLYGON__WEBSOCKET__URL=...} sets
 * {@code polygon.websocket.url}. Segments are separated by a double underscore and are the YAML keys upper-cased.
 * Values stay strings; the binder converts them (lists are comma-separated). Names that match no key are not
 * dropped here: they land in the tree and {@link UnknownKeys} rejects them like unknown keys of the file.
 */
final class EnvOverlay {
    /** Prefix of every variable that overrides a key of the file. */
    static final String PREFIX = "SYSTEM_TRADER__";
    private static final String SEPARATOR = "__";

    private EnvOverlay() {}

    /** Applies every variable under {@link #PREFIX}, in name order; returns one note per key set. */
    static List<String> apply(Mapping root, Map<String, String> env, List<Problem> problems) {
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(PREFIX)) continue;
            List<String> keys = Arrays.stream(name.substring(PREFIX.length()).split(SEPARATOR, -1))
                    .map(k -> k.toLowerCase(Locale.ROOT)).toList();
            if (keys.stream().anyMatch(String::isEmpty)) {
                problems.add(new Problem("", 0, name, "empty path segment; separate keys with one double underscore"));
                continue;
            }
            String path = String.join(".", keys);
            if (set(root, keys, new Scalar(e.getValue(), false, 0, name), problems)) notes.add(path + ": set by " + name);
        }
        return notes;
    }

    /** {@code name} with path segment {@code index} replaced: how a suggestion reads for a variable. */
    static String withSegment(String name, int index, String key) {
        String[] segments = name.substring(PREFIX.length()).split(SEPARATOR, -1);
        segments[index] = key.toUpperCase(Locale.ROOT);
        return PREFIX + String.join(SEPARATOR, segments);
    }

    private static boolean set(Mapping root, List<String> keys, Scalar value, List<Problem> problems) {
        Mapping m = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            YamlNode child = m.entries().get(keys.get(i));
            if (child == null || child instanceof Scalar s && s.isNull() && s.envVar() == null) {
                // absent, or written as "key:" with nothing below, which the binder reads as an empty section
                child = new Mapping(new LinkedHashMap<>(), child == null ? 0 : child.line(), child == null ? value.envVar() : null);
                m.entries().put(keys.get(i), child);
            }
            if (!(child instanceof Mapping next)) {
                String at = String.join(".", keys.subList(0, i + 1));
                problems.add(new Problem(String.join(".", keys), 0, value.envVar(),
                        at + " is not a section (line " + child.line() + " of the file)"));
                return false;
            }
            m = next;
        }
        m.entries().put(keys.getLast(), value);
        return true;
    }
}
