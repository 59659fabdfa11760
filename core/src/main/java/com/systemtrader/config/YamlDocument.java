package com.systemtrader.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.systemtrader.config.YamlNode.Mapping;
import com.systemtrader.config.YamlNode.Scalar;
import com.systemtrader.config.YamlNode.Sequence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser. Rejects what a tree of
 * records cannot hold faithfully: duplicate keys, aliases, more than one document, a top level that is not a
 * mapping. Syntax errors are reported by line without the offending source text (it could hold a secret).
 */
final class YamlDocument {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private final YAMLParser parser;
    private final List<Problem> problems;

    private YamlDocument(YAMLParser parser, List<Problem> problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /** The top-level mapping; empty for an empty document or when the text cannot be read (a problem says why). */
    static Mapping parse(String yaml, List<Problem> problems) {
        try (YAMLParser p = FACTORY.createParser(yaml)) {
            if (p.nextToken() == null) return Mapping.empty();
            YamlDocument doc = new YamlDocument(p, problems);
            YamlNode root = doc.node("", 0);
            if (p.nextToken() != null) {
                problems.add(new Problem("", line(p), null, "more than one YAML document; keep everything in one"));
            }
            if (root instanceof Mapping m) return m;
            if (!(root instanceof Scalar s && s.isNull())) {
                problems.add(new Problem("", root == null ? 0 : root.line(), null,
                        "the top level must be a mapping with the sections polygon, alpaca, data"));
            }
            return Mapping.empty();
        } catch (JsonProcessingException e) {
            problems.add(syntaxProblem(e));
            return Mapping.empty();
        } catch (IOException e) {
            problems.add(new Problem("", 0, null, "cannot read YAML: " + e.getClass().getSimpleName()));
            return Mapping.empty();
        }
    }

    /**
     * The node at the current token, or null for an alias (reported). A mapping or list is placed on the line of
     * its key ({@code keyLine}, 0 for none), a scalar on its own line.
     */
    private YamlNode node(String path, int keyLine) throws IOException {
        int line = keyLine > 0 && !parser.currentToken().isScalarValue() ? keyLine : line(parser);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int fieldLine = line(parser);
                String childPath = path.isEmpty() ? key : path + "." + key;
                parser.nextToken();
                YamlNode child = node(childPath, fieldLine);
                if (entries.containsKey(key)) {
                    problems.add(new Problem(childPath, fieldLine, null, "duplicate key (first on line "
                            + entries.get(key).line() + ")"));
                } else if (child != null) {
                    entries.put(key, child);
                }
            }
            return new Mapping(entries, line, null);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                YamlNode item = node(path + "[" + items.size() + "]", 0);
                if (item != null) items.add(item);
            }
            return new Sequence(items, line, null);
        }
        if (parser.isCurrentAlias()) {
            problems.add(new Problem(path, line, null, "YAML aliases (*name) are not supported; write the value out"));
            return null;
        }
        return new Scalar(parser.getText(), token == JsonToken.VALUE_NULL, line, null);
    }

    private static int line(YAMLParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    /** snakeyaml's message minus its source excerpts; the line of its last mark. */
    private static Problem syntaxProblem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        Matcher m = MARK.matcher(original);
        while (m.find()) line = Integer.parseInt(m.group(1));
        if (original.startsWith("Expected a field name")) {
            return new Problem("", Math.max(line, 0), null, "keys must be plain names (complex keys are not supported)");
        }
        StringBuilder text = new StringBuilder();
        for (String l : original.split("\n")) {
            if (l.isBlank() || Character.isWhitespace(l.charAt(0))) continue;   // marks and excerpts are indented
            if (!text.isEmpty()) text.append("; ");
            text.append(l.strip());
        }
        return new Problem("", Math.max(line, 0), null, "YAML syntax error: " + text);
    }
}
