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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    private static final String MAX_AGE = "max_key_age_days";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * One provider's section. A key pair uses both key fields; a single key only {@code key} and {@code nextKey}.
     * Absent entries are null.
     */
    record Section(Secret key, Secret secret, Instant issuedAt, Secret nextKey, Secret nextSecret,
                   Integer rateLimitPerMinute) {
        static final Section EMPTY = new Section(null, null, null, null, null, null);
    }

    /** The file's content; {@code found} is false when there was no file. */
    record Content(boolean found, Map<Provider, Section> sections, int maxKeyAgeDays) {
        static final Content NONE = new Content(false, Map.of(), MAX_KEY_AGE_DAYS_DEFAULT);

        Content {
            sections = Map.copyOf(sections);
        }

        /** The section of {@code provider}; {@link Section#EMPTY} when the file has none. */
        Section section(Provider provider) {
            return sections.getOrDefault(provider, Section.EMPTY);
        }
    }

    private final Path file;
    private final List<CredentialSpec> specs;
    private final List<String> problems = new ArrayList<>();

    private CredentialsFile(Path file, List<CredentialSpec> specs) {
        this.file = file;
        this.specs = specs;
    }

    /**
     * Reads and validates {@code file} for the providers of {@code specs}; a missing file gives {@link Content#NONE}.
     * The section of a provider whose adapter is not installed is skipped (a file shared with a fuller installation
     * stays valid).
     */
    static Content read(Path file, List<CredentialSpec> specs) {
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
        return new CredentialsFile(file, specs).parse(root);
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
            return new Content(true, Map.of(), MAX_KEY_AGE_DAYS_DEFAULT);
        }
        Set<String> top = new TreeSet<>();
        for (Provider p : Provider.values()) top.add(p.key());
        top.add(MAX_AGE);
        if (!root.isObject()) {
            throw new CredentialsException("Credentials file " + file + ": the top level must be a mapping ("
                    + String.join(", ", top.stream().map(k -> k + ":").toList()) + ")");
        }
        checkKeys(root, "", top);
        Map<Provider, Section> sections = new EnumMap<>(Provider.class);
        for (CredentialSpec spec : specs) {
            Section s = section(root, spec);
            if (s != null) sections.put(spec.provider(), s);
        }
        Integer maxAge = whole(root.get(MAX_AGE), MAX_AGE, 36_500);
        if (!problems.isEmpty()) {
            throw new CredentialsException("Credentials file " + file + ": " + String.join("; ", problems));
        }
        return new Content(true, sections, maxAge == null ? MAX_KEY_AGE_DAYS_DEFAULT : maxAge);
    }

    /** The section of {@code spec}'s provider; null when the file has none (or it is malformed: a problem). */
    private Section section(JsonNode root, CredentialSpec spec) {
        String name = spec.section();
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) {
            problems.add(name + " must be a mapping");
            return null;
        }
        String key = spec.keyField();
        String next = "next_" + key;
        Set<String> allowed = new TreeSet<>(Set.of(key, "issued_at", next, "rate_limit_per_minute"));
        if (spec.pair()) allowed.addAll(Set.of(spec.secretField(), "next_" + spec.secretField()));
        checkKeys(n, name + ".", allowed);
        Secret id = secret(n, name, key);
        Secret nextId = secret(n, name, next);
        Secret sec = null;
        Secret nextSec = null;
        if (spec.pair()) {
            sec = secret(n, name, spec.secretField());
            pair(id, sec, name + "." + key, name + "." + spec.secretField());
            nextSec = secret(n, name, "next_" + spec.secretField());
            pair(nextId, nextSec, name + "." + next, name + ".next_" + spec.secretField());
        }
        return new Section(id, sec, instant(n, name + ".issued_at"), nextId, nextSec,
                whole(n.get("rate_limit_per_minute"), name + ".rate_limit_per_minute", TokenBucket.MAX_PER_MINUTE));
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

    private Secret secret(JsonNode section, String sectionName, String entry) {
        String path = sectionName + "." + entry;
        JsonNode n = section.get(entry);
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
