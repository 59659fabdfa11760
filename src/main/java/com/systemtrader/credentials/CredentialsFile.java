package com.systemtrader.credentials;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code config/api_credentials.yaml} into plain values. Every problem names the file and the entry's path
 * (or the line, for malformed YAML); no message quotes a value or any file content, and the YAML parser's own
 * exception (whose message may echo content) is not attached as a cause.
 */
final class CredentialsFile {
    /** Values starting with this are the template's placeholders, not keys. */
    static final String PLACEHOLDER_PREFIX = "REPLACE_WITH_";
    static final int MAX_KEY_AGE_DAYS_DEFAULT = 90;
    private static final Pattern PRINTABLE_NAME = Pattern.compile("[a-z_]{1,40}");
    private static final Set<String> TOP = Set.of("polygon", "alpaca", "max_key_age_days");
    private static final Set<String> POLYGON = Set.of("api_key", "issued_at", "next_api_key", "rate_limit_per_minute");
    private static final Set<String> ALPACA = Set.of("key_id", "secret_key", "issued_at", "next_key_id",
            "next_secret_key", "rate_limit_per_minute");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * One provider's section. Alpaca uses both key fields of a pair; Polygon only {@code key} and {@code nextKey}.
     * Absent entries are null.
     */
    record Section(Secret key, Secret secret, Instant issuedAt, Secret nextKey, Secret nextSecret,
                   Integer rateLimitPerMinute) {
        static final Section EMPTY = new Section(null, null, null, null, null, null);
    }

    /** The file's content; {@code found} is false when there was no file. */
    record Content(boolean found, Section polygon, Section alpaca, int maxKeyAgeDays) {
        static final Content NONE = new Content(false, Section.EMPTY, Section.EMPTY, MAX_KEY_AGE_DAYS_DEFAULT);
    }

    private final Path file;
    private final List<String> problems = new ArrayList<>();

    private CredentialsFile(Path file) {
        this.file = file;
    }

    /** Reads and validates {@code file}; a missing file gives {@link Content#NONE}. */
    static Content read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Content.NONE;
        } catch (IOException e) {
            throw new CredentialsException("Cannot read credentials file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode root;
        try (JsonParser parser = YAML.createParser(bytes)) {
            root = YAML.readTree(parser);
            if (parser.nextToken() != null) {
                throw new CredentialsException("Credentials file " + file + ": more than one YAML document; keep one");
            }
        } catch (JacksonException e) {
            throw new CredentialsException(malformed(file, e));
        } catch (IOException e) {
            throw new CredentialsException("Cannot read credentials file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return new CredentialsFile(file).parse(root);
    }

    private static String malformed(Path file, JacksonException e) {
        String where = "";
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) where = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        for (Throwable c = e; c != null; c = c.getCause()) {
            // SnakeYAML's problem mark is where the error is; Jackson's location is the last token read
            if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                where = " at line " + (m.getProblemMark().getLine() + 1) + ", column " + (m.getProblemMark().getColumn() + 1);
                break;
            }
        }
        String what = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field") ? "duplicate key" : "malformed YAML";
        return "Credentials file " + file + ": " + what + where + " (content not shown)";
    }

    private Content parse(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Content(true, Section.EMPTY, Section.EMPTY, MAX_KEY_AGE_DAYS_DEFAULT);
        }
        if (!root.isObject()) {
            throw new CredentialsException("Credentials file " + file + ": the top level must be a mapping "
                    + "(polygon:, alpaca:, max_key_age_days:)");
        }
        checkKeys(root, "", TOP);
        Section polygon = polygon(section(root, "polygon"));
        Section alpaca = alpaca(section(root, "alpaca"));
        Integer maxAge = whole(root.get("max_key_age_days"), "max_key_age_days", 36_500);
        if (!problems.isEmpty()) {
            throw new CredentialsException("Credentials file " + file + ": " + String.join("; ", problems));
        }
        return new Content(true, polygon, alpaca, maxAge == null ? MAX_KEY_AGE_DAYS_DEFAULT : maxAge);
    }

    private JsonNode section(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) {
            problems.add(name + " must be a mapping");
            return null;
        }
        checkKeys(n, name + ".", name.equals("polygon") ? POLYGON : ALPACA);
        return n;
    }

    private Section polygon(JsonNode n) {
        if (n == null) return Section.EMPTY;
        return new Section(secret(n, "polygon.api_key"), null, instant(n, "polygon.issued_at"),
                secret(n, "polygon.next_api_key"), null,
                whole(n.get("rate_limit_per_minute"), "polygon.rate_limit_per_minute", TokenBucket.MAX_PER_MINUTE));
    }

    private Section alpaca(JsonNode n) {
        if (n == null) return Section.EMPTY;
        Secret id = secret(n, "alpaca.key_id");
        Secret sec = secret(n, "alpaca.secret_key");
        pair(id, sec, "alpaca.key_id", "alpaca.secret_key");
        Secret nextId = secret(n, "alpaca.next_key_id");
        Secret nextSec = secret(n, "alpaca.next_secret_key");
        pair(nextId, nextSec, "alpaca.next_key_id", "alpaca.next_secret_key");
        return new Section(id, sec, instant(n, "alpaca.issued_at"), nextId, nextSec,
                whole(n.get("rate_limit_per_minute"), "alpaca.rate_limit_per_minute", TokenBucket.MAX_PER_MINUTE));
    }

    private void pair(Secret a, Secret b, String aPath, String bPath) {
        if (a != null && b == null) problems.add(bPath + " is missing (" + aPath + " is set); set both or neither");
        if (a == null && b != null) problems.add(aPath + " is missing (" + bPath + " is set); set both or neither");
    }

    private void checkKeys(JsonNode n, String prefix, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!allowed.contains(e.getKey())) {
                problems.add("unknown key " + prefix + printableName(e.getKey()) + " (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A key name as given when it looks like a setting name; otherwise masked (it may be a pasted credential). */
    static String printableName(String name) {
        return PRINTABLE_NAME.matcher(name).matches() ? name : "<" + Secret.mask(name) + ">";
    }

    private Secret secret(JsonNode section, String path) {
        JsonNode n = section.get(path.substring(path.indexOf('.') + 1));
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) {
            problems.add(path + " must be a string (put it in quotes)");
            return null;
        }
        String v = n.textValue().strip();
        if (v.isEmpty()) return null;
        if (v.startsWith(PLACEHOLDER_PREFIX)) {
            problems.add(path + " still holds the template's placeholder; put the key there or remove the entry");
            return null;
        }
        if (Secret.hasControlCharacters(v)) {
            problems.add(path + " contains control characters");
            return null;
        }
        return Secret.of(v);
    }

    private Instant instant(JsonNode section, String path) {
        JsonNode n = section.get("issued_at");
        if (n == null || n.isNull()) return null;
        String text = n.isTextual() ? n.textValue().strip() : "";
        try {
            if (text.length() == 10) return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            return OffsetDateTime.parse(text.replace(' ', 'T').toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(path + " must be a date (YYYY-MM-DD) or an RFC 3339 timestamp");
            return null;
        }
    }

    private Integer whole(JsonNode n, String path, int max) {
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() > max) {
            problems.add(path + " must be a whole number from 0 to " + max);
            return null;
        }
        return n.intValue();
    }
}
