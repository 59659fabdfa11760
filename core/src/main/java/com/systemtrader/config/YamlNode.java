package com.systemtrader.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration document as a tree: mappings, sequences and scalars. Scalars keep their source text, so that
 * the binder, not YAML 1.1's implicit typing, decides what {@code ON}, {@code 010} or {@code yes} mean.
 * Every node knows where it came from: a line of the file, or the environment variable that set it.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** 1-based line in the file; 0 when the node did not come from the file. */
    int line();

    /** The environment variable that set this node, or null when it came from the file. */
    String envVar();

    /** A mapping; its entries are mutable only while the environment overlay is applied. */
    record Mapping(Map<String, YamlNode> entries, int line, String envVar) implements YamlNode {
        static Mapping empty() {
            return new Mapping(new LinkedHashMap<>(), 0, null);
        }
    }

    record Sequence(List<YamlNode> items, int line, String envVar) implements YamlNode {}

    /** A scalar; {@code isNull} for YAML's null ({@code ~}, {@code null} or nothing after the colon). */
    record Scalar(String text, boolean isNull, int line, String envVar) implements YamlNode {}
}
