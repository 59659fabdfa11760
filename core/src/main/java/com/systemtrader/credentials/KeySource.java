package com.systemtrader.credentials;

/** Where a key came from. The environment wins over the file. */
public enum KeySource {
    /** An environment variable ({@code POLYGON_API_KEY}, {@code APCA_API_KEY_ID}, ...). */
    ENV,
    /** {@code config/api_credentials.yaml}. */
    FILE
}
