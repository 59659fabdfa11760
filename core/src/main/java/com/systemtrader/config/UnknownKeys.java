package com.systemtrader.config;

import com.systemtrader.config.YamlNode.Mapping;
import com.systemtrader.support.Suggestions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rejects every key the binder did not ask for, so that no key is silently ignored: a near miss gets
 * "did you mean", a key of another section says where it belongs, a credential-looking key gets the
 * credentials message. Runs after {@link ConfigBinder}, which registered the known keys in the context.
 */
final class UnknownKeys {
    private UnknownKeys() {}

    static void check(Mapping root, Section.Context ctx) {
        walk(root, "", ctx);
    }

    private static void walk(Mapping m, String path, Section.Context ctx) {
        Set<String> known = ctx.known(path);
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            String key = e.getKey();
            String p = path.isEmpty() ? key : path + "." + key;
            YamlNode child = e.getValue();
            if (Section.looksLikeCredential(key)) {
                ctx.problems.add(Problem.at(p, child, Section.CREDENTIALS));
            } else if (!known.contains(key)) {
                ctx.problems.add(Problem.at(p, child, "unknown key" + hint(key, path, p, child, ctx)));
                if (child instanceof Mapping nested) credentialsOnly(nested, p, ctx);
            } else if (ctx.sections.contains(p) && child instanceof Mapping nested) {
                walk(nested, p, ctx);
            }
        }
    }

    /** Inside an unknown section only credential-looking keys are reported (the section itself already was). */
    private static void credentialsOnly(Mapping m, String path, Section.Context ctx) {
        m.entries().forEach((key, child) -> {
            String p = path + "." + key;
            if (Section.looksLikeCredential(key)) ctx.problems.add(Problem.at(p, child, Section.CREDENTIALS));
            else if (child instanceof Mapping nested) credentialsOnly(nested, p, ctx);
        });
    }

    private static String hint(String key, String sectionPath, String keyPath, YamlNode node, Section.Context ctx) {
        Set<String> siblings = ctx.known(sectionPath);
        String best = Suggestions.closest(key, siblings);
        if (best != null) {
            if (node.envVar() == null) return " (did you mean " + best + "?)";
            int depth = keyPath.split("\\.").length - 1;
            return " (did you mean " + EnvOverlay.withSegment(node.envVar(), depth, best) + "?)";
        }
        List<String> elsewhere = new ArrayList<>();
        ctx.known.forEach((section, keys) -> {
            if (keys.contains(key)) elsewhere.add(section.isEmpty() ? "the top level" : section);
        });
        if (!elsewhere.isEmpty()) return " (" + key + " belongs under " + String.join(" or ", elsewhere) + ")";
        return siblings.isEmpty() ? "" : " (known keys here: " + String.join(", ", siblings) + ")";
    }
}
