package com.systemtrader.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, one per line, each prefixed by the
 * configuration source ({@code config/collector_config.yaml:12: polygon.websocket.url: ...}); values of
 * credential-looking keys are never included.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> problems;

    /**
     * @param source   the file (or name) the configuration was read from
     * @param problems one line per problem, each already prefixed by {@code source}
     */
    public ConfigException(String source, List<String> problems) {
        super(problems.size() == 1 ? "invalid configuration:\n" + problems.getFirst()
                : "invalid configuration (" + problems.size() + " problems):\n" + String.join("\n", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or name) the configuration was read from. */
    public String source() {
        return source;
    }

    /** Every problem, one line each, in file order (environment problems last). */
    public List<String> problems() {
        return problems;
    }
}
