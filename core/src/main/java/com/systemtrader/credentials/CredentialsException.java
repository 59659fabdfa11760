package com.systemtrader.credentials;

/**
 * Credentials that cannot be used: a malformed or unknown entry in the credentials file, a half-configured
 * Alpaca key pair, or a provider whose keys were all rejected. The message names the file, line, path or
 * variable and never contains a credential or any file content.
 */
public final class CredentialsException extends RuntimeException {
    public CredentialsException(String message) {
        super(message);
    }
}
