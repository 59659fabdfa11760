package com.systemtrader.credentials;

import com.systemtrader.credentials.CredentialResolver.Vendor;
import com.systemtrader.credentials.KeyRing.Result;
import com.systemtrader.credentials.KeyRing.Slot;
import com.systemtrader.credentials.KeyRing.State;
import com.systemtrader.vendor.VendorModule;
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
 * The API credentials of the installed providers, their rotation and their shared REST rate limits.
 *
 * <p><b>Sources</b> (the environment wins, key by key): the variables each provider's {@link CredentialSpec} names
 * (for example {@code POLYGON_API_KEY} with its alias {@code MASSIVE_API_KEY}, {@code APCA_API_KEY_ID} +
 * {@code APCA_API_SECRET_KEY}, each with a {@code _NEXT} variant for the next key); then
 * {@code config/api_credentials.yaml} (see {@code config/api_credentials.yaml.template}). A provider without
 * keys is allowed. Values are stripped of surrounding white space; blank means unset.
 *
 * <p><b>Rotation</b>: when a provider rejects the active key, call {@link #rotate}; it switches to the next key
 * (logged masked, counted) or returns false when there is none, and the caller treats the rejection as fatal. A
 * rejected key is never used again. Callers must ask for {@link #active(Provider)} and {@link #rateLimiter} per
 * request (or per connection), not keep them.
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
        return load(file, VendorModule.credentialSpecs(), env, clock, System::nanoTime);
    }

    /** As {@link #load(Path, Map, Clock)}, for the providers of {@code specs} (the installed adapters' by default). */
    public static APIKeyManager load(Path file, List<CredentialSpec> specs, Map<String, String> env, Clock clock) {
        return load(file, specs, env, clock, System::nanoTime);
    }

    /** As {@link #load(Path, Map, Clock)}, with the monotonic clock of the rate-limit buckets. */
    static APIKeyManager load(Path file, Map<String, String> env, Clock clock, LongSupplier nanoTime) {
        return load(file, VendorModule.credentialSpecs(), env, clock, nanoTime);
    }

    private static APIKeyManager load(Path file, List<CredentialSpec> specs, Map<String, String> env, Clock clock,
                                      LongSupplier nanoTime) {
        APIKeyManager m = new APIKeyManager(file, clock,
                CredentialResolver.resolve(file, specs, env, clock, nanoTime, LOG));
        if (LOG.isInfoEnabled()) LOG.info("Credentials: {}", m.summary());
        return m;
    }

    /** {@link #DEFAULT_FILE}, the process environment and the system clock. */
    public static APIKeyManager fromEnvironment() {
        return load(DEFAULT_FILE, System.getenv(), Clock.systemUTC());
    }

    /** The usable key of {@code provider}; empty when none is configured, all were rejected or it is not installed. */
    public Optional<ApiKey> key(Provider provider) {
        Vendor v = resolved.vendors().get(provider);
        return v == null ? Optional.empty() : usable(v.ring());
    }

    /** Whether {@code provider} has a usable key. */
    public boolean isConfigured(Provider provider) {
        return key(provider).isPresent();
    }

    /**
     * The active key of {@code provider}.
     *
     * @throws CredentialsException when none is configured, all were rejected or the provider is not installed
     */
    public ApiKey active(Provider provider) {
        return active(provider, ring(provider)).key();
    }

    /**
     * Puts the active key of {@code provider} on a REST request, as the provider's {@link CredentialSpec} says.
     *
     * @return the key's id, for {@link #rotate(Provider, Secret, String)} if the provider rejects it
     * @throws CredentialsException as {@link #active(Provider)}
     */
    public Secret authenticate(Provider provider, java.util.function.BiConsumer<String, String> header) {
        ApiKey key = active(provider);
        vendor(provider).spec().authenticator().authenticate(key, header);
        return key.id();
    }

    /** Whether an HTTP {@code status} from {@code provider} means it rejected the key (a rotation is due). */
    public boolean rejectsKey(Provider provider, int status) {
        return vendor(provider).spec().rejectingStatuses().contains(status);
    }

    /**
     * The provider rejected the active key (an authentication failure on its stream, or {@link #rejectsKey}): switches
     * to the next key. Returns false when there is none (the caller treats the rejection as fatal; later calls to
     * {@code active...()} then fail). Prefer {@link #rotate(Provider, Secret, String)} when several callers share
     * the key.
     *
     * @param reason why, for the log (credentials in it are redacted)
     */
    public boolean rotate(Provider provider, String reason) {
        return rotate(provider, null, reason);
    }

    /**
     * As {@link #rotate(Provider, String)}, naming the rejected key (the {@link ApiKey#id()} the caller used). When another caller has already rotated away from it, nothing changes and the result is true: use the
     * new active key.
     */
    public boolean rotate(Provider provider, Secret rejected, String reason) {
        String why = reason(reason);
        Result r = ring(provider).rotate(rejected, why);
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
        Slot active = ring(provider).state().active();
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
        for (Vendor v : resolved.vendors().values()) entries.add(entry(v));
        return new CredentialsReport(file, resolved.fileFound(), resolved.maxKeyAgeDays(), entries, resolved.warnings());
    }

    /**
     * Registers {@code credentials.rotations} (counter) and {@code credentials.key.age.days} (gauge; -1 when
     * unknown), tagged by provider only.
     */
    public void bindTo(MeterRegistry registry) {
        for (Provider p : resolved.vendors().keySet()) {
            FunctionCounter.builder("credentials.rotations", this, m -> m.rotations(p)).tag("provider", p.key())
                    .description("switches to the next API key after a rejection").register(registry);
            Gauge.builder("credentials.key.age.days", this, m -> {
                Long age = m.ageDays(m.ring(p).state().active());
                return age == null ? -1 : age;
            }).tag("provider", p.key()).description("days since the active key was issued").register(registry);
        }
    }

    private CredentialsReport.Entry entry(Vendor v) {
        Provider p = v.spec().provider();
        int limit = v.rateLimit();
        State s = v.ring().state();
        Slot a = s.active();
        if (a == null) return new CredentialsReport.Entry(p, false, null, "", "", null, limit, false, 0, false);
        return new CredentialsReport.Entry(p, true, a.source(), a.label(), a.id().masked(), ageDays(a), limit,
                s.next() != null, rotations(p), s.exhausted());
    }

    private Long ageDays(Slot slot) {
        Instant issued = slot == null ? null : slot.issuedAt();
        return issued == null ? null : Duration.between(issued, clock.instant()).toDays();
    }

    private Vendor vendor(Provider provider) {
        Vendor v = resolved.vendors().get(provider);
        if (v == null) {
            throw new CredentialsException("No " + provider.displayName() + " credentials: the "
                    + provider.displayName() + " adapter is not on the class path");
        }
        return v;
    }

    private KeyRing ring(Provider provider) {
        return vendor(provider).ring();
    }

    private static Optional<ApiKey> usable(KeyRing ring) {
        State s = ring.state();
        return s.active() == null || s.exhausted() ? Optional.empty() : Optional.of(s.active().key());
    }

    private Slot active(Provider provider, KeyRing ring) {
        State s = ring.state();
        if (s.active() == null) throw notConfigured(provider);
        if (s.exhausted()) {
            throw new CredentialsException(provider.displayName() + " key " + s.active().id().masked() + " was rejected ("
                    + s.rejection() + ") and no next key is configured");
        }
        return s.active();
    }

    private CredentialsException notConfigured(Provider provider) {
        return new CredentialsException("No " + provider.displayName() + " credentials: set "
                + vendor(provider).spec().whatToSet() + " or add them to " + file);
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
