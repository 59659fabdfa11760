package com.systemtrader.provider.alpaca;

/**
 * The channels of the Alpaca stock stream, with their wire keys as used in subscribe/unsubscribe messages and in
 * the {@code subscription} echo. Declaration order is the key order of protocols.md §2.3, which the encoder uses.
 */
public enum AlpacaChannel {
    TRADES("trades"),
    QUOTES("quotes"),
    BARS("bars"),
    UPDATED_BARS("updatedBars"),
    DAILY_BARS("dailyBars"),
    STATUSES("statuses"),
    IMBALANCES("imbalances"),
    LULDS("lulds"),
    /** Server-managed: mirrors {@link #TRADES}; clients do not send it. */
    CORRECTIONS("corrections"),
    /** Server-managed: mirrors {@link #TRADES}; clients do not send it. */
    CANCEL_ERRORS("cancelErrors");

    private static final AlpacaChannel[] VALUES = values();

    private final String wireKey;

    AlpacaChannel(String wireKey) { this.wireKey = wireKey; }

    /** The JSON/msgpack key, e.g. {@code updatedBars}. */
    public String wireKey() { return wireKey; }

    /** The channel for a wire key, or {@code null} when the key is not a stock channel (e.g. {@code orderbooks}). */
    public static AlpacaChannel fromWireKey(String key) {
        for (AlpacaChannel c : VALUES) if (c.wireKey.equals(key)) return c;
        return null;
    }
}
