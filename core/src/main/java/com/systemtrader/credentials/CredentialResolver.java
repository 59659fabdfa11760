package com.systemtrader.credentials;

import com.systemtrader.credentials.CredentialsFile.Content;
import com.systemtrader.credentials.CredentialsFile.Section;
import com.systemtrader.credentials.KeyRing.Slot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Merges the environment and the credentials file (environment wins, per key), checks file permissions and key
 * ages, and builds the key rings. Collects every problem before failing, and every warning and note (logged as it
 * is found). No message contains a credential.
 */
final class CredentialResolver {
    private static final Set<PosixFilePermission> PRIVATE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    /**
     * A key as found in one place: {@code id} is the key (or key id of a pair), {@code secret} the pair's secret
     * key; {@code name} is the variable or the file path.
     */
    private record Candidate(Secret id, Secret secret, KeySource source, String name) {
        String label() {
            return (source == KeySource.ENV ? "env " : "file ") + name;
        }
    }

    /** One provider's resolved keys and the rate limit per key. */
    record Vendor(CredentialSpec spec, KeyRing ring, int rateLimit) {}

    /** What {@link #resolve} produced: one {@link Vendor} per spec, in {@link Provider} order. */
    record Resolved(Map<Provider, Vendor> vendors, int maxKeyAgeDays, boolean fileFound, List<String> warnings,
                    Map<Secret, String> redactions) {}

    private final Path file;
    private final Map<String, String> env;
    private final Instant now;
    private final LongSupplier nanoTime;
    private final Logger log;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<Secret, String> redactions = new HashMap<>();

    private CredentialResolver(Path file, Map<String, String> env, Clock clock, LongSupplier nanoTime, Logger log) {
        this.file = file;
        this.env = env;
        this.now = clock.instant();
        this.nanoTime = nanoTime;
        this.log = log;
    }

    static Resolved resolve(Path file, List<CredentialSpec> specs, Map<String, String> env, Clock clock,
                            LongSupplier nanoTime, Logger log) {
        return new CredentialResolver(file, env, clock, nanoTime, log).run(specs);
    }

    private Resolved run(List<CredentialSpec> specs) {
        Content content = CredentialsFile.read(file, specs);
        if (content.found()) checkPermissions();
        Map<Provider, Vendor> vendors = new EnumMap<>(Provider.class);
        for (CredentialSpec spec : specs) {
            Section s = content.section(spec.provider());
            String keyPath = spec.section() + "." + spec.keyField();
            Candidate active = pick(fromEnv(spec.keyVariables(), spec.secretVariable()),
                    fromFile(s.key(), s.secret(), keyPath));
            Candidate next = pick(fromEnv(spec.nextKeyVariables(), spec.nextSecretVariable()),
                    fromFile(s.nextKey(), s.nextSecret(), spec.section() + ".next_" + spec.keyField()));
            next = checkNext(spec.provider(), active, next);
            int limit = s.rateLimitPerMinute() == null ? spec.defaultRateLimit() : s.rateLimitPerMinute();
            Instant issued = issuedAt(active, s);
            checkAge(spec.provider(), active, issued, spec.section() + ".issued_at", content.maxKeyAgeDays());
            vendors.put(spec.provider(), new Vendor(spec, new KeyRing(slot(active, issued, limit),
                    slot(next, null, limit)), limit));
        }
        if (!problems.isEmpty()) throw new CredentialsException("Credentials: " + String.join("; ", problems));
        return new Resolved(vendors, content.maxKeyAgeDays(), content.found(), List.copyOf(warnings),
                Map.copyOf(redactions));
    }

    private void checkPermissions() {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!PRIVATE.containsAll(perms)) {
                warn("Credentials file " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (or unreadable attributes): nothing to check
        }
    }

    /**
     * The key in the environment: the first of {@code idNames} that is set (a different value under a later alias is
     * warned about), with the secret of {@code secretName} for a pair (one of the two alone is a problem).
     */
    private Candidate fromEnv(List<String> idNames, String secretName) {
        String idName = null;
        String id = null;
        for (String name : idNames) {
            String v = var(name);
            if (v == null) continue;
            if (id == null) {
                id = v;
                idName = name;
            } else if (!v.equals(id)) {
                warn(idName + " and " + name + " are both set, to different keys; using " + idName);
            }
        }
        if (secretName == null) return id == null ? null : candidate(id, null, KeySource.ENV, idName);
        String secret = var(secretName);
        String shown = idName == null ? idNames.get(0) : idName;
        if (id != null && secret == null) problems.add(secretName + " is not set but " + shown + " is; set both or neither");
        if (id == null && secret != null) problems.add(shown + " is not set but " + secretName + " is; set both or neither");
        return id == null || secret == null ? null : candidate(id, secret, KeySource.ENV, idName);
    }

    private String var(String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return null;
        v = v.strip();
        if (Secret.hasControlCharacters(v)) {
            problems.add(name + " contains control characters");
            return null;
        }
        if (v.startsWith(CredentialsFile.PLACEHOLDER_PREFIX)) {
            problems.add(name + " still holds the template's placeholder; set the real key or unset it");
            return null;
        }
        return v;
    }

    private Candidate candidate(String id, String secret, KeySource source, String name) {
        return remember(new Candidate(Secret.of(id), secret == null ? null : Secret.of(secret), source, name));
    }

    private Candidate fromFile(Secret id, Secret secret, String path) {
        return id == null ? null : remember(new Candidate(id, secret, KeySource.FILE, path));
    }

    private Candidate remember(Candidate c) {
        redactions.putIfAbsent(c.id(), c.id().masked());
        if (c.secret() != null) redactions.putIfAbsent(c.secret(), "****");
        return c;
    }

    private Candidate pick(Candidate fromEnv, Candidate fromFile) {
        if (fromEnv != null && fromFile != null) {
            String same = fromEnv.id().equals(fromFile.id()) && Objects.equals(fromEnv.secret(), fromFile.secret())
                    ? "the same key" : "different keys";
            info(fromEnv.name() + " and " + fromFile.name() + " in " + file
                    + " are both set (" + same + "); the environment wins");
        }
        return fromEnv != null ? fromEnv : fromFile;
    }

    private Candidate checkNext(Provider provider, Candidate active, Candidate next) {
        if (next == null) return null;
        if (active == null) {
            problems.add(next.name() + " is set but there is no active "
                    + provider.displayName() + " key");
            return null;
        }
        if (next.id().equals(active.id())) {
            warn(provider.displayName() + " next key " + next.id().masked() + " (" + next.label()
                    + ") is the active key; no rotation is possible");
            return null;
        }
        return next;
    }

    /** The file's issued_at belongs to the file's key: it applies when that key is the active one. */
    private static Instant issuedAt(Candidate active, Section section) {
        if (active == null || section.issuedAt() == null) return null;
        return active.id().equals(section.key()) ? section.issuedAt() : null;
    }

    private void checkAge(Provider provider, Candidate active, Instant issued, String path, int maxDays) {
        if (active == null || issued == null) return;
        if (issued.isAfter(now.plus(Duration.ofDays(1)))) {
            warn(path + " in " + file + " is in the future; the key's age is unknown");
            return;
        }
        long days = Duration.between(issued, now).toDays();
        if (maxDays > 0 && days > maxDays) {
            warn(provider.displayName() + " key " + active.id().masked() + " is " + days + " days old (issued "
                    + issued + "), older than max_key_age_days " + maxDays + ": rotate it");
        }
    }

    private Slot slot(Candidate c, Instant issued, int limit) {
        if (c == null) return null;
        return new Slot(new ApiKey(c.id(), c.secret(), issued, c.label()), c.source(), new TokenBucket(limit, nanoTime));
    }

    private void warn(String message) {
        warnings.add(message);
        log.warn(message);
    }

    private void info(String message) {
        warnings.add(message);
        log.info(message);
    }
}
