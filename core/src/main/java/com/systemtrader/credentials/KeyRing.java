package com.systemtrader.credentials;

import java.time.Instant;

/**
 * One provider's keys: the active one and an optional next one, each with its own rate-limit bucket. Rotation
 * only moves forward (next becomes active, next is cleared), so a rejected key is never used again. Reads are a
 * volatile read of an immutable state; rotation is synchronized.
 */
final class KeyRing {
    /** A key with its origin and its rate-limit bucket. */
    record Slot(ApiKey key, KeySource source, TokenBucket bucket) {
        Secret id() {
            return key.id();
        }

        String label() {
            return key.label();
        }

        Instant issuedAt() {
            return key.issuedAt();
        }

        @Override
        public String toString() {
            return key.id().masked() + " (" + source.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /** The keys now; {@code rejection} is non-null once the last key was rejected. */
    record State(Slot active, Slot next, String rejection) {
        boolean exhausted() {
            return rejection != null;
        }
    }

    /** What {@link #rotate} did. {@code from}/{@code to} are null when nothing changed. */
    record Result(Outcome outcome, Slot from, Slot to) {}

    enum Outcome {
        /** Switched from the rejected key to the next one. */
        ROTATED,
        /** The rejected key was no longer active (another caller rotated first); the active key is usable. */
        ALREADY_ROTATED,
        /** No next key: the provider has no usable key left. */
        EXHAUSTED,
        /** The provider has no credentials at all. */
        NOT_CONFIGURED
    }

    private volatile State state;
    private volatile int rotations;

    KeyRing(Slot active, Slot next) {
        this.state = new State(active, active == null ? null : next, null);
    }

    State state() {
        return state;
    }

    int rotations() {
        return rotations;
    }

    /**
     * Rejects {@code rejected} (or the active key, when null) and switches to the next key if there is one.
     *
     * @param reason already redacted
     */
    synchronized Result rotate(Secret rejected, String reason) {
        State s = state;
        if (s.active() == null) return new Result(Outcome.NOT_CONFIGURED, null, null);
        if (rejected != null && !rejected.equals(s.active().id())) {
            return new Result(s.exhausted() ? Outcome.EXHAUSTED : Outcome.ALREADY_ROTATED, null, null);
        }
        if (s.exhausted()) return new Result(Outcome.EXHAUSTED, null, null);
        if (s.next() == null) {
            state = new State(s.active(), null, reason);
            return new Result(Outcome.EXHAUSTED, s.active(), null);
        }
        state = new State(s.next(), null, null);
        rotations = rotations + 1;
        return new Result(Outcome.ROTATED, s.active(), s.next());
    }
}
