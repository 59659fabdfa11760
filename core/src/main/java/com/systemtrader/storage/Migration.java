package com.systemtrader.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One migration script of a mode's folder ({@code db/postgresql/}, {@code db/timescaledb/}), listed in that folder's
 * {@code migrations.txt}. {@code V<n>__name.sql} runs once, in version order; {@code R__name.sql} runs after them
 * whenever its text with the placeholders filled in changes. A script whose first line is
 * {@code -- st:no-transaction} runs statement by statement in autocommit mode (TimescaleDB continuous aggregates).
 *
 * @param version 0 for a repeatable script
 */
record Migration(String script, int version, String description, String sql, boolean transactional) {
    static final String NO_TRANSACTION = "-- st:no-transaction";
    private static final Pattern NAME = Pattern.compile("(?:V(\\d+)|R)__([a-z0-9_]+)\\.sql");

    boolean repeatable() {
        return version == 0;
    }

    /** The migrations of {@code mode}: versioned ones by version, then repeatable ones by name. */
    static List<Migration> load(StorageMode mode) {
        String dir = mode.resourceDir();
        List<Migration> out = new ArrayList<>();
        for (String line : resource(dir + "migrations.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            Matcher m = NAME.matcher(name);
            if (!m.matches()) throw new StorageException(dir + "migrations.txt: bad migration name " + name);
            String sql = resource(dir + name);
            int version = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
            out.add(new Migration(name, version, m.group(2).replace('_', ' '), sql,
                    !sql.startsWith(NO_TRANSACTION)));
        }
        out.sort(Comparator.comparing(Migration::repeatable).thenComparingInt(Migration::version)
                .thenComparing(Migration::script));
        return out;
    }

    static String checksum(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String resource(String path) {
        try (InputStream in = Migration.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new StorageException("missing resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }
}
