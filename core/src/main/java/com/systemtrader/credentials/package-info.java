/**
 * API credentials for Polygon (Massive) and Alpaca: {@link com.systemtrader.credentials.APIKeyManager} loads them
 * from the environment and {@code config/api_credentials.yaml} (environment wins), masks them everywhere
 * ({@link com.systemtrader.credentials.Secret}), rotates to a configured next key when the provider rejects the
 * active one, and shares one {@link com.systemtrader.credentials.TokenBucket} per key among all REST callers.
 * Nothing in this package ever writes a raw credential to a log line, exception message, metric tag or
 * {@code toString}.
 */
package com.systemtrader.credentials;
