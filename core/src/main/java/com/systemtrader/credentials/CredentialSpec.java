package com.systemtrader.credentials;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the core needs to know of one provider's credentials; the provider's adapter supplies it. The names of the
 * next key follow from the active key's: the variables get {@code _NEXT} appended, the file entries {@code next_}
 * prepended ({@code POLYGON_API_KEY_NEXT}, {@code alpaca.next_secret_key}).
 *
 * @param provider           whose credentials these are; its {@link Provider#key()} names the file's section
 * @param keyVariables       the environment variables of the key (or key id), the documented name first, then aliases
 * @param secretVariable     the environment variable of the secret key of a pair; null for a single key
 * @param keyField           the file entry of the key (or key id) in the provider's section
 * @param secretField        the file entry of the secret key; null for a single key
 * @param defaultRateLimit   REST requests per minute per key when the file says nothing; 0 = unlimited
 * @param authenticator      how a REST request carries the key (headers only: never the URL)
 * @param rejectingStatuses  the HTTP statuses by which the provider rejects a key (a rotation is due)
 */
public record CredentialSpec(Provider provider, List<String> keyVariables, String secretVariable, String keyField,
                             String secretField, int defaultRateLimit, Authenticator authenticator,
                             Set<Integer> rejectingStatuses) {
    /** Puts a key on a REST request as headers. */
    @FunctionalInterface
    public interface Authenticator {
        void authenticate(ApiKey key, BiConsumer<String, String> header);
    }

    public CredentialSpec {
        Objects.requireNonNull(provider, "provider");
        keyVariables = List.copyOf(keyVariables);
        if (keyVariables.isEmpty()) throw new IllegalArgumentException("keyVariables is empty");
        Objects.requireNonNull(keyField, "keyField");
        if ((secretVariable == null) != (secretField == null)) {
            throw new IllegalArgumentException("a key pair names both its secret variable and its secret field");
        }
        Objects.requireNonNull(authenticator, "authenticator");
        rejectingStatuses = Set.copyOf(rejectingStatuses);
    }

    /** Whether a key comes with a secret key. */
    public boolean pair() {
        return secretVariable != null;
    }

    /** The credentials file's section: {@code polygon}, {@code alpaca}. */
    public String section() {
        return provider.key();
    }

    /** The variables of the next key. */
    public List<String> nextKeyVariables() {
        return keyVariables.stream().map(v -> v + "_NEXT").toList();
    }

    /** The variable of the next key's secret; null for a single key. */
    public String nextSecretVariable() {
        return pair() ? secretVariable + "_NEXT" : null;
    }

    /** What to set, for a message about missing credentials. */
    public String whatToSet() {
        return pair() ? keyVariables.get(0) + " and " + secretVariable : keyVariables.get(0);
    }
}
