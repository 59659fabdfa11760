package com.systemtrader.cli;

import com.systemtrader.simulator.Faults;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The simulator's data-anomaly flags ({@code simulate}): extra elements injected on the wire per connection and
 * counted exactly ({@link Faults#injected()}; tagged {@code "anomaly"} in the truth file). 0 turns a flag off.
 */
final class AnomalyOptions {
    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--outlier-every", paramLabel = "N", description = "Anomaly: after every N-th trade, an extra trade at 1.6x or 0.4x its price (fresh id).")
    int outlierEvery;

    @Option(names = "--bad-print-every", paramLabel = "N", description = "Anomaly: after every N-th trade, an extra trade with price 0, size 0 or a negative price, in turn.")
    int badPrintEvery;

    @Option(names = "--crossed-quote-every", paramLabel = "N", description = "Anomaly: after every N-th quote, an extra crossed quote (bid above ask).")
    int crossedQuoteEvery;

    @Option(names = "--locked-quote-every", paramLabel = "N", description = "Anomaly: after every N-th quote, an extra locked quote (bid equal to ask).")
    int lockedQuoteEvery;

    @Option(names = "--one-sided-quote-every", paramLabel = "N", description = "Anomaly: after every N-th quote, an extra quote with bid 0 or ask 0, in turn.")
    int oneSidedQuoteEvery;

    @Option(names = "--future-timestamp-every", paramLabel = "N", description = "Anomaly: after every N-th trade, an extra trade stamped one hour ahead (fresh id).")
    int futureTimestampEvery;

    @Option(names = "--test-symbol-every", paramLabel = "N", description = "Anomaly: after every N-th trade, a trade of ZVZZT, ZXZZT or NTEST, to connections subscribed to all trades.")
    int testSymbolEvery;

    @Option(names = "--linger-after-unsubscribe", paramLabel = "K", description = "Anomaly (Alpaca): after an unsubscribe, still send the next K data messages of each dropped symbol.")
    int lingerAfterUnsubscribe;

    /** Rejects negative values, naming the flag. */
    void validate() {
        check(outlierEvery, "--outlier-every");
        check(badPrintEvery, "--bad-print-every");
        check(crossedQuoteEvery, "--crossed-quote-every");
        check(lockedQuoteEvery, "--locked-quote-every");
        check(oneSidedQuoteEvery, "--one-sided-quote-every");
        check(futureTimestampEvery, "--future-timestamp-every");
        check(testSymbolEvery, "--test-symbol-every");
        check(lingerAfterUnsubscribe, "--linger-after-unsubscribe");
    }

    /** Sets the (validated) values on {@code faults}. */
    void applyTo(Faults faults) {
        faults.outlierEvery(outlierEvery).badPrintEvery(badPrintEvery).crossedQuoteEvery(crossedQuoteEvery)
                .lockedQuoteEvery(lockedQuoteEvery).oneSidedQuoteEvery(oneSidedQuoteEvery)
                .futureTimestampEvery(futureTimestampEvery).testSymbolEvery(testSymbolEvery)
                .lingerAfterUnsubscribe(lingerAfterUnsubscribe);
    }

    private void check(int value, String flag) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), "invalid value for " + flag + ": must not be negative (0 = off)");
        }
    }
}
