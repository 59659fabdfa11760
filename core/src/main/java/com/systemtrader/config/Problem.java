package com.systemtrader.config;

/**
 * One thing wrong with the configuration, located by key path and by file line or environment variable.
 *
 * @param path    dotted key path ({@code polygon.websocket.url}); empty for problems of the whole file
 * @param line    1-based line in the file, or 0
 * @param envVar  the environment variable the value came from, or null
 * @param message what is wrong; never contains the value of a credential
 */
record Problem(String path, int line, String envVar, String message) {

    static Problem at(String path, YamlNode node, String message) {
        return node == null ? new Problem(path, 0, null, message) : new Problem(path, node.line(), node.envVar(), message);
    }

    /** The line shown to the user: {@code source:line: path: message}. */
    String render(String source) {
        if (envVar != null) {
            return source + ": " + (path.isEmpty() ? envVar : path + " (from " + envVar + ")") + ": " + message;
        }
        String where = line > 0 ? source + ":" + line : source;
        return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
