package com.systemtrader.storage;

/** A storage failure with a message fit for a log line or the CLI: it never holds the database password. */
public final class StorageException extends RuntimeException {
    /** The server's SQLSTATE when it answered with one (a connection it refused); null otherwise. */
    private final String sqlState;

    public StorageException(String message) {
        this(message, null, null);
    }

    public StorageException(String message, Throwable cause) {
        this(message, cause, null);
    }

    StorageException(String message, Throwable cause, String sqlState) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /**
     * True when the server refused the role or its password (SQLSTATE class 28: invalid authorization, e.g. a wrong
     * password or a role that does not exist): a configuration error, not an outage.
     */
    public boolean credentialsRejected() {
        return sqlState != null && sqlState.startsWith("28");
    }
}
