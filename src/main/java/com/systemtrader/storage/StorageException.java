package com.systemtrader.storage;

/** A storage failure with a message fit for a log line or the CLI: it never holds the database password. */
public final class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
