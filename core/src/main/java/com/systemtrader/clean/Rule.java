package com.systemtrader.clean;

/**
 * The cleaner's named rules. Each has one effect: it rejects the event (to the quarantine), flags it (kept, marked
 * with {@link #flag}) or filters it (dropped on purpose, counted). Counters are kept per rule, per rule and symbol,
 * and exported as metrics under the rule's {@link #label()}.
 */
public enum Rule {
    // structure and types (validate_data)
    MALFORMED_FRAME("malformed-frame", Effect.REJECT, 0, "the frame could not be decoded"),
    MISSING_FIELD("missing-field", Effect.REJECT, 0, "a required field (trade id) is absent; checked always"),
    SYMBOL_FORMAT("symbol-format", Effect.REJECT, 0, "the symbol is not a ticker"),
    NON_FINITE("non-finite", Effect.REJECT, 0, "a price or size is NaN or infinite"),
    PRICE_RANGE("price-range", Effect.REJECT, 0, "a price is zero, negative or absurdly large"),
    SIZE_RANGE("size-range", Effect.REJECT, 0, "a size is zero, negative or absurdly large"),
    BAR_SHAPE("bar-shape", Effect.REJECT, 0, "high below low, open or close outside [low, high], or negative volume"),
    BAND_SHAPE("band-shape", Effect.REJECT, 0, "LULD limit down above limit up, or a negative limit"),
    TIME_FUTURE("time-future", Effect.REJECT, 0, "the event time is too far ahead of the receive time"),
    TIME_TOO_OLD("time-too-old", Effect.REJECT, 0, "the event time is older than the maximum event age"),
    // cleaning (clean_data)
    DUPLICATE("duplicate", Effect.REJECT, 0, "a trade with this provider identity was already received"),
    OUT_OF_ORDER("out-of-order", Effect.FLAG, Flags.OUT_OF_ORDER, "event time below the symbol's latest trade"),
    LATE("late", Effect.FLAG, Flags.LATE, "late-report condition, or reported long after the event"),
    OUTLIER("outlier", Effect.FLAG, Flags.SUSPICIOUS, "price far from the recent traded range"),
    OUTSIDE_LULD("outside-luld", Effect.FLAG, Flags.SUSPICIOUS | Flags.OUTSIDE_LULD, "price outside the LULD band"),
    CROSSED("crossed", Effect.FLAG, Flags.CROSSED, "bid above ask"),
    LOCKED("locked", Effect.FLAG, Flags.LOCKED, "bid equal to ask"),
    ONE_SIDED("one-sided", Effect.FLAG, Flags.ONE_SIDED, "bid or ask is zero"),
    EMPTY_QUOTE("empty-quote", Effect.FLAG, Flags.EMPTY_QUOTE, "bid and ask are zero"),
    DURING_HALT("during-halt", Effect.FLAG, Flags.DURING_HALT, "trade while the symbol is halted"),
    UNKNOWN_CONDITION("unknown-condition", Effect.FLAG, Flags.UNKNOWN_CONDITION, "a condition code not in the table"),
    TEST_SYMBOL("test-symbol", Effect.FILTER, 0, "an exchange test symbol from the configured list"),
    // always on
    UNSUBSCRIBED("unsubscribed", Effect.FILTER, 0, "data for a symbol that is not (or no longer) subscribed"),
    UNKNOWN_TYPE("unknown-type", Effect.FILTER, 0, "a message type this version does not know");

    /** What a rule does to the event it fires on. */
    public enum Effect { REJECT, FLAG, FILTER }

    private final String label;
    private final Effect effect;
    final int flag;
    private final String description;

    Rule(String label, Effect effect, int flag, String description) {
        this.label = label;
        this.effect = effect;
        this.flag = flag;
        this.description = description;
    }

    public String label() { return label; }

    public Effect effect() { return effect; }

    public String description() { return description; }

    static final Rule[] ALL = values();
}
