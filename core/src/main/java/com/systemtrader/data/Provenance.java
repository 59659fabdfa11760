package com.systemtrader.data;

import com.systemtrader.schema.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * Where an answer came from (peers.md 6, idea 10).
 *
 * @param tier      the tier that answered
 * @param source    whose data it is (POLYGON, ALPACA, ...)
 * @param asOfNs    the event time of the value, epoch ns (for a bar: its window start)
 * @param staleness how old the value was when answered ({@code now - asOf}; never negative)
 * @param fresh     whether the staleness was within the freshness limit; false when every tier only had
 *                  stale data and the freshest stale value was returned
 * @param attempts  every tier and source looked at, in order, including the one that answered
 */
public record Provenance(Tier tier, DataSource source, long asOfNs, Duration staleness, boolean fresh,
                         List<Attempt> attempts) {
    public Provenance {
        attempts = List.copyOf(attempts);
    }

    /** The attempts that failed or were skipped (tier down). */
    public List<Attempt> failures() {
        return attempts.stream().filter(a -> a.outcome() == Attempt.Outcome.FAILED
                || a.outcome() == Attempt.Outcome.SKIPPED).toList();
    }
}
