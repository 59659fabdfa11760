package com.systemtrader.cli;

import com.systemtrader.config.CollectorConfig;
import com.systemtrader.config.ConfigException;
import com.systemtrader.config.ConfigLoader;
import com.systemtrader.credentials.APIKeyManager;
import com.systemtrader.credentials.CredentialsException;
import com.systemtrader.credentials.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The configuration and API keys a long-running command ({@code run}, {@code backfill}) works with. A wrong
 * configuration or credentials file, or a provider without keys, is printed as {@code system-trader <command>: ...}
 * and ends the command with {@link #EXIT_CONFIG}.
 */
record CommandInputs(String command, CollectorConfig config, APIKeyManager keys, Path credentialsFile) {
    /** Exit code for configuration and credentials errors. */
    static final int EXIT_CONFIG = 2;

    /** Loads both files; null (after printing why) when either is wrong. */
    static CommandInputs load(String command, Path configFile, Path credentialsFile, Map<String, String> env,
                              PrintWriter err) {
        try {
            return new CommandInputs(command, ConfigLoader.load(configFile, env),
                    APIKeyManager.load(credentialsFile, env, Clock.systemUTC()), credentialsFile);
        } catch (ConfigException | CredentialsException e) {
            err.println("system-trader " + command + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * True when {@code p} has keys; otherwise prints {@code <provider> <why>: <how to add them>} and returns false.
     */
    boolean hasKeys(Provider p, String why, PrintWriter err) {
        if (keys.isConfigured(p)) return true;
        err.println("system-trader " + command + ": " + p.key() + " " + why + ": "
                + TestWebsocketFeeds.missingCredentials(p, credentialsFile));
        return false;
    }
}
