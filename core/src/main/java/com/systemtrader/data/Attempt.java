package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import java.util.Locale;

/**
 * One look at one tier (and source) while answering: what it gave. Answers carry every attempt, so a caller can
 * see why a lower tier answered (the memory value was stale, Redis was down, ...).
 *
 * @param source null when the tier was looked at for all sources at once (or skipped as a whole)
 * @param detail a short human-readable reason (the error, the age of a stale value); empty when there is none
 */
public record Attempt(Tier tier, DataSource source, Outcome outcome, String detail) {
    /** What the look gave. */
    public enum Outcome {
        /** A fresh value: this attempt answered. */
        FRESH,
        /** A value older than the freshness limit (kept as a candidate if nothing fresh turns up). */
        STALE,
        /** Nothing held for the symbol. */
        EMPTY,
        /** The tier threw (down, timed out, rate limited after its own retries). */
        FAILED,
        /** Not asked: the tier failed recently and is cooling down. */
        SKIPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Attempt {
        detail = detail == null ? "" : detail;
    }

    @Override public String toString() {
        return tier.label() + (source == null ? "" : "/" + source.name().toLowerCase(Locale.ROOT)) + ": "
                + outcome.label() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
