package com.systemtrader.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a migration into statements (aware of quotes, dollar quotes and comments) and fills in its
 * {@code ${name}} placeholders. Statements that must not share a transaction are sent one by one.
 */
final class SqlScript {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");

    private SqlScript() {}

    /** {@code sql} with every {@code ${name}} replaced. */
    static String fill(String sql, Map<String, String> values, String script) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new StorageException(script + ": unknown placeholder ${" + m.group(1) + "}");
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        return m.appendTail(b).toString();
    }

    /** The statements of {@code sql}, without empty ones and without their final semicolon. */
    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) end += 2;
                        else break;
                    } else {
                        end++;
                    }
                }
                i = end + 1;
            } else if (c == '$') {
                Matcher m = DOLLAR_TAG.matcher(sql).region(i, n);
                if (m.lookingAt() && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)))) {
                    String tag = m.group();
                    int end = sql.indexOf(tag, m.end());
                    i = end < 0 ? n : end + tag.length();
                } else {
                    i++;
                }
            } else if (c == ';') {
                add(out, sql.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        add(out, sql.substring(start));
        return out;
    }

    /** Adds {@code statement} without its leading comment lines, unless it is only comments. */
    private static void add(List<String> out, String statement) {
        if (onlyComments(statement)) return;
        String s = statement.strip();
        while (s.startsWith("--")) {
            int eol = s.indexOf('\n');
            s = s.substring(eol + 1).strip();
        }
        out.add(s);
    }

    private static boolean onlyComments(String s) {
        for (String line : s.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("--")) return false;
        }
        return true;
    }
}
