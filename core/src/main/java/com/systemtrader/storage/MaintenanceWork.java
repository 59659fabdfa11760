package com.systemtrader.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What one maintenance task does on the scheduler's connection (autocommit on, {@code lock_timeout} set). An
 * implementation leaves the connection in autocommit mode, also when it throws.
 */
interface MaintenanceWork {
    MaintenanceOutcome run(Connection c, StorageMode mode) throws SQLException;
}
