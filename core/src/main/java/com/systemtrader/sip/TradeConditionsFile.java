package com.systemtrader.sip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the versioned trade-condition table ({@code sip/trade-conditions.json}) into lookup arrays. Strict: every
 * row needs a name and the three {@code updates_*} booleans, unknown fields and duplicate keys are errors, and
 * every error names the file, the table, the row and the field. Runs once at start-up; databind is fine here.
 */
final class TradeConditionsFile {
    /** Table entry bit (beside the {@link Eligibility} bits): the extended-hours Form T rule applies. */
    static final int SESSION_RULE = 64;
    /** Entry of a code the table does not list. */
    static final byte UNKNOWN = (byte) Eligibility.MASK;
    static final int MAX_POLYGON_ID = 1023;
    static final int LETTER_TABLE_SIZE = 128;

    private static final Set<String> TOP_FIELDS = Set.of("version", "sources", "polygon", "cta", "utp");
    private static final Set<String> ROW_FIELDS = Set.of("name", "sip", "note", "updates_high_low",
            "updates_open_close", "updates_volume", "extended_hours_bar_prices");
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The parsed file: entries indexed by Polygon id or by letter (char value). */
    record Tables(String version, String sources, byte[] polygon, byte[] cta, byte[] utp) {}

    private final String name;

    private TradeConditionsFile(String name) {
        this.name = name;
    }

    static Tables read(InputStream in, String name) {
        return new TradeConditionsFile(name).read(in);
    }

    private Tables read(InputStream in) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw fail("not valid JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw fail("the top level must be a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_FIELDS.contains(f)) throw fail("unknown top-level field \"" + f + "\"");
        }
        String version = text(root, "version", "top level", true);
        String sources = text(root, "sources", "top level", true);
        return new Tables(version, sources, polygon(table(root, "polygon")), letters(table(root, "cta"), "cta"),
                letters(table(root, "utp"), "utp"));
    }

    private JsonNode table(JsonNode root, String field) {
        JsonNode t = root.get(field);
        if (t == null || !t.isObject()) throw fail("\"" + field + "\" must be an object of rows");
        return t;
    }

    private byte[] polygon(JsonNode table) {
        int max = -1;
        for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) max = Math.max(max, polygonId(it.next()));
        byte[] out = new byte[max + 1];
        Arrays.fill(out, UNKNOWN);
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            out[polygonId(row.getKey())] = entry(row.getValue(), "polygon row \"" + row.getKey() + "\"");
        }
        return out;
    }

    private int polygonId(String key) {
        int id;
        try {
            id = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw fail("polygon row \"" + key + "\": the key must be a condition id (an integer)");
        }
        if (id < 0 || id > MAX_POLYGON_ID || !Integer.toString(id).equals(key)) {
            throw fail("polygon row \"" + key + "\": the id must be written plainly and lie in 0.." + MAX_POLYGON_ID);
        }
        return id;
    }

    private byte[] letters(JsonNode table, String tableName) {
        byte[] out = new byte[LETTER_TABLE_SIZE];
        Arrays.fill(out, UNKNOWN);
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            String key = row.getKey();
            String where = tableName + " row \"" + key + "\"";
            if (key.length() != 1 || key.charAt(0) >= LETTER_TABLE_SIZE) {
                throw fail(where + ": the key must be one ASCII character");
            }
            out[key.charAt(0)] = entry(row.getValue(), where);
        }
        return out;
    }

    private byte entry(JsonNode row, String where) {
        if (!row.isObject()) throw fail(where + ": a row must be an object");
        for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ROW_FIELDS.contains(f)) throw fail(where + ": unknown field \"" + f + "\"");
        }
        text(row, "name", where, true);
        text(row, "sip", where, false);
        text(row, "note", where, false);
        int e = 0;
        if (flag(row, "updates_open_close", where, true)) e |= Eligibility.OPEN_CLOSE | Eligibility.BAR_OPEN_CLOSE;
        if (flag(row, "updates_high_low", where, true)) e |= Eligibility.HIGH_LOW | Eligibility.BAR_HIGH_LOW;
        if (flag(row, "updates_volume", where, true)) e |= Eligibility.VOLUME;
        if (flag(row, "extended_hours_bar_prices", where, false)) e |= SESSION_RULE;
        return (byte) e;
    }

    private String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null) {
            if (required) throw fail(where + ": field \"" + field + "\" is missing");
            return null;
        }
        if (!v.isTextual() || required && v.asText().isBlank()) {
            throw fail(where + ": field \"" + field + "\" must be a" + (required ? " non-blank" : "") + " string, got "
                    + v);
        }
        return v.asText();
    }

    private boolean flag(JsonNode row, String field, String where, boolean required) {
        JsonNode v = row.get(field);
        if (v == null) {
            if (required) throw fail(where + ": field \"" + field + "\" is missing");
            return false;
        }
        if (!v.isBoolean()) throw fail(where + ": field \"" + field + "\" must be true or false, got " + v);
        return v.booleanValue();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(name + ": " + message);
    }
}
