package com.systemtrader.config;

import java.util.List;

/**
 * A configuration as loaded, with how it was arrived at.
 *
 * @param config    the configuration: defaults, overlaid by the file, overlaid by the environment
 * @param source    the file read (also when it was missing), or the name given to {@link ConfigLoader#readString}
 * @param fileFound whether the file existed; when false every key not set by the environment is a default
 * @param notes     things worth one log line each: a missing file, keys set from the environment, keys accepted
 *                  for components that do not exist yet
 */
public record LoadedConfig(CollectorConfig config, String source, boolean fileFound, List<String> notes) {
    public LoadedConfig {
        notes = List.copyOf(notes);
    }
}
