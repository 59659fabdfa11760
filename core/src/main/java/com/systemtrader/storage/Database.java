package com.systemtrader.storage;

import com.systemtrader.credentials.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens connections to the configured database. The password is held as a {@link Secret} and removed from every
 * error message; errors name the URL (without its query) and the user.
 */
public final class Database {
    private final StorageConfig config;
    private final Secret password;

    public Database(StorageConfig config, Secret password) {
        this.config = config;
        this.password = password;
    }

    /** With the password from the environment ({@link StorageConfig#password}). */
    public static Database fromEnvironment(StorageConfig config, Map<String, String> env) {
        return new Database(config, StorageConfig.password(env).orElse(null));
    }

    public StorageConfig config() {
        return config;
    }

    /** The URL without its query, for messages. */
    public String where() {
        int q = config.url().indexOf('?');
        return q < 0 ? config.url() : config.url().substring(0, q);
    }

    public Connection connect() {
        if (!config.url().startsWith("jdbc:postgresql:")) {
            throw new StorageException("storage.url must start with jdbc:postgresql:, got " + where());
        }
        Properties p = new Properties();
        p.setProperty("user", config.user());
        if (password != null) p.setProperty("password", password.reveal());
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "system-trader");
        try {
            return DriverManager.getConnection(config.url(), p);
        } catch (SQLException e) {
            throw new StorageException("cannot connect to " + where() + " as " + config.user() + ": "
                    + scrub(e.getMessage()) + (password == null ? " (no password set; give it in "
                    + StorageConfig.PASSWORD_ENV + " or PGPASSWORD)" : ""), null, e.getSQLState());
        }
    }

    /** {@code message} with the password, if it appears, masked. */
    String scrub(String message) {
        if (message == null) return "unknown error";
        String m = message.replace('\n', ' ').strip();
        return password == null ? m : Secret.scrub(m, password.reveal());
    }
}
