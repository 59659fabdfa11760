package com.systemtrader.credentials;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link APIKeyManager#describe()} knows, for {@code ./system-trader credentials check}: per provider whether
 * keys are configured, where from, the masked key, its age and rate limit, and whether a next key is ready.
 * Contains no credential (masked key ids only; nothing of Alpaca's secret key).
 *
 * @param file          the credentials file looked at
 * @param fileFound     whether it exists (the environment alone is fine)
 * @param maxKeyAgeDays the age warning threshold; 0 when disabled
 * @param providers     one entry per installed provider, in {@link Provider} order
 * @param warnings      the load-time warnings and notes ({@link APIKeyManager#warnings()})
 */
public record CredentialsReport(Path file, boolean fileFound, int maxKeyAgeDays, List<Entry> providers,
                                List<String> warnings) {
    public CredentialsReport {
        providers = List.copyOf(providers);
        warnings = List.copyOf(warnings);
    }

    /**
     * One provider.
     *
     * @param provider           the provider
     * @param configured         whether it has a key
     * @param source             where the active key came from; null when not configured
     * @param label              the variable or file entry of the active key; empty when not configured
     * @param maskedKey          the active key (Polygon) or key id (Alpaca), masked; empty when not configured
     * @param ageDays            days since {@code issued_at}; null when unknown
     * @param rateLimitPerMinute REST requests per minute per key; 0 = unlimited
     * @param nextKeyPresent     whether a next key is ready for rotation
     * @param rotations          rotations in this process
     * @param rejected           whether the last key was rejected and none is left
     */
    public record Entry(Provider provider, boolean configured, KeySource source, String label, String maskedKey,
                        Long ageDays, int rateLimitPerMinute, boolean nextKeyPresent, int rotations, boolean rejected) {}

    /** The entry of {@code provider}. */
    public Entry entry(Provider provider) {
        return providers.stream().filter(e -> e.provider() == provider).findFirst().orElseThrow();
    }

    /** Human-readable lines: the file, one line per provider, then the warnings. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Credentials file: " + file + (fileFound ? "" : " (not found; environment only)"));
        for (Entry e : providers) {
            if (!e.configured()) {
                out.add(e.provider().key() + ": not configured");
                continue;
            }
            out.add(e.provider().key() + ": " + e.maskedKey() + " from " + e.label()
                    + ", age " + (e.ageDays() == null ? "unknown" : e.ageDays() + " days")
                    + ", rate limit " + (e.rateLimitPerMinute() == 0 ? "unlimited" : e.rateLimitPerMinute() + "/min")
                    + ", next key " + (e.nextKeyPresent() ? "ready" : "none")
                    + (e.rotations() > 0 ? ", rotations " + e.rotations() : "")
                    + (e.rejected() ? ", REJECTED (no key left)" : ""));
        }
        for (String w : warnings) out.add("warning: " + w);
        return out;
    }
}
