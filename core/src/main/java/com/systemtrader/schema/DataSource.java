package com.systemtrader.schema;

/** Where a record came from. */
public enum DataSource {
    POLYGON,
    ALPACA,
    /** Built inside System Trader (for example bars built from trades). */
    DERIVED,
    /** Loaded from storage. */
    DATABASE,
    SIMULATOR;

    /**
     * A market-data provider by the name users type: {@code polygon} (or its new brand {@code massive}) or
     * {@code alpaca}, any case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static DataSource provider(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "polygon", "massive" -> POLYGON;
            case "alpaca" -> ALPACA;
            default -> throw new IllegalArgumentException("unknown source '" + name + "' (polygon, alpaca)");
        };
    }
}
