package com.systemtrader.data;

import java.util.List;

/** No tier had any value (fresh or stale) for the request; the message lists every attempt. */
public final class DataUnavailableException extends RuntimeException {
    private final List<Attempt> attempts;

    public DataUnavailableException(String what, List<Attempt> attempts) {
        super("no data for " + what + "; tried " + (attempts.isEmpty() ? "no tier (none configured)"
                : String.join(", ", attempts.stream().map(Attempt::toString).toList())));
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }
}
