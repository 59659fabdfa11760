package com.systemtrader.simulator.rest;

/**
 * A request the endpoint code refuses: a bad parameter (Polygon 400, Alpaca 422) or missing data (404). The
 * router turns it into the provider's error body. No stack trace: these are expected answers, not bugs.
 */
final class RestException extends RuntimeException {
    enum Kind { BAD_PARAMETER, NOT_FOUND }

    private static final long serialVersionUID = 1L;

    final Kind kind;
    /** The offending query or path parameter; null for NOT_FOUND. */
    final String parameter;

    private RestException(Kind kind, String parameter, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.parameter = parameter;
    }

    static RestException badParameter(String parameter, String message) {
        return new RestException(Kind.BAD_PARAMETER, parameter, message);
    }

    static RestException notFound(String message) {
        return new RestException(Kind.NOT_FOUND, null, message);
    }

    /** Shortens user input echoed in a message. */
    static String shown(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
