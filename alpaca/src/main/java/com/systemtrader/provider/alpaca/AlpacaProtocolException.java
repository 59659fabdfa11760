package com.systemtrader.provider.alpaca;

/**
 * A client message (auth, subscribe, unsubscribe) that is not valid Alpaca syntax. The simulator answers it with
 * {@link AlpacaError#INVALID_SYNTAX}. The message says what is wrong and never quotes the input, which may hold
 * credentials.
 */
public final class AlpacaProtocolException extends Exception {
    public AlpacaProtocolException(String reason) {
        super(reason);
    }
}
