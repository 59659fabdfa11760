package com.systemtrader.credentials;

import com.systemtrader.credentials.KeyRing.Result;
import com.systemtrader.credentials.KeyRing.Slot;
import com.systemtrader.credentials.KeyRing.State;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API credentials of both providers, their rotation and their shared REST rate limits.
 *
 * <p><b>Sources</b> (the environment wins, key by key): {@code POLYGON_API_KEY} (alias {@code MASSIVE_API_KEY}),
 * {@code POLYGON_API_KEY_NEXT} (alias {@code MASSIVE_API_KEY_NEXT}), {@code APCA_API_KEY_ID} +
 * {@code APCA_API_SECRET_KEY}, {@code APCA_API_KEY_ID_NEXT} + {@code APCA_API_SECRET_KEY_NEXT}; then
 * {@code config/api_credentials.yaml} (see {@code config/api_credentials.yaml.template}). A provider without
 * keys is allowed. Values are stripped of surrounding white space; blank means unset.
 *
 * <p><b>Rotation</b>: when a provider rejects the active key, call {@link #rotate}; it switches to the next key
 * (logged masked, counted) or returns false when there is none, and the caller treats the rejection as fatal. A
 * rejected key is never used again. Callers must ask for {@link #activePolygon()} / {@link #activeAlpaca()} and
 * {@link #rateLimiter} per request (or per connection), not keep them.
 *
 * <p><b>Masking</b>: no log line, exception message, metric tag or {@code toString} of this package contains a
 * credential; {@link #redact} does the same for other text (a URL with {@code apiKey=}, an error body).
 * Thread-safe.
 */
public final class APIKeyManager {
    /** Where the credentials file is by default (relative to the working directory). */
    public static final Path DEFAULT_FILE = Path.of("config", "api_credentials.yaml");
    private static final Logger LOG = LoggerFactory.getLogger(APIKeyManager.class);
    private static final int MAX_REASON = 200;

    private final Path file;
    private final Clock clock;
    private final CredentialResolver.Resolved resolved;
    private final List<Map.Entry<Secret, String>> redactions;

    private APIKeyManager(Path file, Clock clock, CredentialResolver.Resolved resolved) {
        this.file = file;
        this.clock = clock;
        this.resolved = resolved;
        this.redactions = resolved.redactions().entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<Secret, String> e) -> e.getKey().length()).reversed())
                .toList();
    }

    /**
     * Loads the credentials.
     *
     * @param file  the credentials file; a missing file means environment only
     * @param env   the environment ({@link System#getenv()})
     * @param clock for key ages
     * @throws CredentialsException when the file is malformed or has unknown entries, or a key pair is incomplete
     */
    public static APIKeyManager load(Path file, Map<String, String> env, Clock clock) {
        return load(file, env, clock, System::nanoTime);
    }

    /** As {@link #load(Path, Map, Clock)}, with the monotonic clock of the rate-limit buckets. */
    static APIKeyManager load(Path file, Map<String, String> env, Clock clock, LongSupplier nanoTime) {
        APIKeyManager m = new APIKeyManager(file, clock, CredentialResolver.resolve(file, env, clock, nanoTime, LOG));
        if (LOG.isInfoEnabled()) LOG.info("Credentials: {}", m.summary());
        return m;
    }

    /** {@link #DEFAULT_FILE}, the process environment and the system clock. */
    public static APIKeyManager fromEnvironment() {
        return load(DEFAULT_FILE, System.getenv(), Clock.systemUTC());
    }

    /** The usable Polygon key; empty when none is configured or all were rejected. */
    public Optional<PolygonKey> polygon() {
        return usable(resolved.polygon());
    }

    /** The usable Alpaca key pair; empty when none is configured or all were rejected. */
    public Optional<AlpacaKey> alpaca() {
        return usable(resolved.alpaca());
    }

    /** Whether {@code provider} has a usable key. */
    public boolean isConfigured(Provider provider) {
        return usable(ring(provider)).isPresent();
    }

    /**
     * The active Polygon key.
     *
     * @throws CredentialsException when none is configured or all were rejected
     */
    public PolygonKey activePolygon() {
        return active(Provider.POLYGON, resolved.polygon()).key();
    }

    /**
     * The active Alpaca key pair.
     *
     * @throws CredentialsException when none is configured or all were rejected
     */
    public AlpacaKey activeAlpaca() {
        return active(Provider.ALPACA, resolved.alpaca()).key();
    }

    /**
     * The provider rejected the active key (Polygon {@code auth_failed} or 401, Alpaca 402 or 403): switches to the
     * next key. Returns false when there is none (the caller treats the rejection as fatal; later calls to
     * {@code active...()} then fail). Prefer {@link #rotate(Provider, Secret, String)} when several callers share
     * the key.
     *
     * @param reason why, for the log (credentials in it are redacted)
     */
    public boolean rotate(Provider provider, String reason) {
        return rotate(provider, null, reason);
    }

    /**
     * As {@link #rotate(Provider, String)}, naming the rejected key (the Polygon key or Alpaca key id the caller
     * used). When another caller has already rotated away from it, nothing changes and the result is true: use the
     * new active key.
     */
    public boolean rotate(Provider provider, Secret rejected, String reason) {
        String why = reason(reason);
        Result<?> r = ring(provider).rotate(rejected, why);
        switch (r.outcome()) {
            case ROTATED -> LOG.warn("{} key {} rejected ({}); switched to the next key {} (rotation {})",
                    provider.displayName(), r.from().id().masked(), why, r.to().id().masked(), rotations(provider));
            case EXHAUSTED -> {
                if (r.from() != null) {
                    LOG.error("{} key {} rejected ({}) and no next key is configured", provider.displayName(),
                            r.from().id().masked(), why);
                }
            }
            case ALREADY_ROTATED, NOT_CONFIGURED -> { }
        }
        return r.outcome() == KeyRing.Outcome.ROTATED || r.outcome() == KeyRing.Outcome.ALREADY_ROTATED;
    }

    /** Rotations of {@code provider}'s key in this process. */
    public int rotations(Provider provider) {
        return ring(provider).rotations();
    }

    /**
     * The rate limit of {@code provider}'s active key, shared by every REST caller. A rotated key has its own bucket,
     * so ask again after a rotation.
     *
     * @throws CredentialsException when the provider has no credentials
     */
    public TokenBucket rateLimiter(Provider provider) {
        Slot<?> active = ring(provider).state().active();
        if (active == null) throw notConfigured(provider);
        return active.bucket();
    }

    /** Load-time warnings (file permissions, key age, conflicting aliases) and notes (key in env and file). */
    public List<String> warnings() {
        return resolved.warnings();
    }

    /** The key age that triggers a warning, in days; 0 when disabled. */
    public int maxKeyAgeDays() {
        return resolved.maxKeyAgeDays();
    }

    /** The credentials file looked at. */
    public Path file() {
        return file;
    }

    /** Replaces every known credential in {@code text} with its masked form (an Alpaca secret key with {@code ****}). */
    public String redact(CharSequence text) {
        if (text == null) return "null";
        String s = text.toString();
        for (Map.Entry<Secret, String> e : redactions) {
            String raw = e.getKey().reveal();
            if (s.contains(raw)) s = s.replace(raw, e.getValue());
        }
        return s;
    }

    /** Everything {@code credentials check} shows, without network access. */
    public CredentialsReport describe() {
        List<CredentialsReport.Entry> entries = new ArrayList<>();
        entries.add(entry(Provider.POLYGON, resolved.polygonLimit()));
        entries.add(entry(Provider.ALPACA, resolved.alpacaLimit()));
        return new CredentialsReport(file, resolved.fileFound(), resolved.maxKeyAgeDays(), entries, resolved.warnings());
    }

    /**
     * Registers {@code credentials.rotations} (counter) and {@code credentials.key.age.days} (gauge; -1 when
     * unknown), tagged by provider only.
     */
    public void bindTo(MeterRegistry registry) {
        for (Provider p : Provider.values()) {
            FunctionCounter.builder("credentials.rotations", this, m -> m.rotations(p)).tag("provider", p.key())
                    .description("switches to the next API key after a rejection").register(registry);
            Gauge.builder("credentials.key.age.days", this, m -> {
                Long age = m.ageDays(m.ring(p).state().active());
                return age == null ? -1 : age;
            }).tag("provider", p.key()).description("days since the active key was issued").register(registry);
        }
    }

    private CredentialsReport.Entry entry(Provider p, int limit) {
        State<?> s = ring(p).state();
        Slot<?> a = s.active();
        if (a == null) return new CredentialsReport.Entry(p, false, null, "", "", null, limit, false, 0, false);
        return new CredentialsReport.Entry(p, true, a.source(), a.label(), a.id().masked(), ageDays(a), limit,
                s.next() != null, rotations(p), s.exhausted());
    }

    private Long ageDays(Slot<?> slot) {
        Instant issued = slot == null ? null : slot.issuedAt();
        return issued == null ? null : Duration.between(issued, clock.instant()).toDays();
    }

    private KeyRing<?> ring(Provider provider) {
        return switch (provider) {
            case POLYGON -> resolved.polygon();
            case ALPACA -> resolved.alpaca();
        };
    }

    private static <K> Optional<K> usable(KeyRing<K> ring) {
        State<K> s = ring.state();
        return s.active() == null || s.exhausted() ? Optional.empty() : Optional.of(s.active().key());
    }

    private <K> Slot<K> active(Provider provider, KeyRing<K> ring) {
        State<K> s = ring.state();
        if (s.active() == null) throw notConfigured(provider);
        if (s.exhausted()) {
            throw new CredentialsException(provider.displayName() + " key " + s.active().id().masked() + " was rejected ("
                    + s.rejection() + ") and no next key is configured");
        }
        return s.active();
    }

    private CredentialsException notConfigured(Provider provider) {
        return new CredentialsException("No " + provider.displayName() + " credentials: set "
                + (provider == Provider.POLYGON ? "POLYGON_API_KEY" : "APCA_API_KEY_ID and APCA_API_SECRET_KEY")
                + " or add them to " + file);
    }

    private String reason(String reason) {
        String r = redact(reason == null ? "no reason given" : reason);
        StringBuilder b = new StringBuilder(Math.min(r.length(), MAX_REASON));
        for (int i = 0; i < r.length() && b.length() < MAX_REASON; i++) {
            char c = r.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }

    private String summary() {
        return describe().providers().stream().map(e -> e.provider().key() + " " + (e.configured()
                ? e.maskedKey() + " (" + e.label() + (e.nextKeyPresent() ? ", next key ready" : "") + ")"
                : "not configured")).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "APIKeyManager[" + summary() + "]";
    }
}
