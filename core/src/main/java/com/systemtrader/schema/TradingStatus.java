package com.systemtrader.schema;

/**
 * A trading status change (halts, resumptions, pauses). Alpaca {@code s}. Codes are the SIP's own
 * (CTA {@code 2} halt / {@code 3} resume, UTP {@code H} halt / {@code T} resume, ...).
 */
public record TradingStatus(DataSource source, String symbol, long eventTimeNs, long receiveTimeNs,
                            String statusCode, String statusMessage, String reasonCode, String reasonMessage,
                            char tape) implements MarketEvent {
    @Override public RecordType type() { return RecordType.TRADING_STATUS; }

    /** True when the status code means trading is halted or paused on either SIP. */
    public boolean isHalt() {
        return switch (statusCode) {
            case "2", "H", "P" -> true;
            default -> false;
        };
    }
}
