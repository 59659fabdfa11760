package com.systemtrader.rest;

import com.systemtrader.credentials.Provider;

/**
 * A REST call failed. The message names the provider, the endpoint path (never the query string, so never a
 * credential), the HTTP status (0 when no response arrived) and a short, redacted excerpt of the error body.
 */
public class RestException extends RuntimeException {
    private final Provider provider;
    private final String path;
    private final int status;

    public RestException(Provider provider, String path, int status, String message, Throwable cause) {
        super(provider.displayName() + " GET " + path + ": " + message, cause);
        this.provider = provider;
        this.path = path;
        this.status = status;
    }

    /** Whose endpoint failed. */
    public Provider provider() { return provider; }

    /** The request path without query, e.g. {@code /v2/last/trade/AAPL}. */
    public String path() { return path; }

    /** The HTTP status of the last response; 0 when none arrived (timeout, connection refused, interrupted). */
    public int status() { return status; }
}
