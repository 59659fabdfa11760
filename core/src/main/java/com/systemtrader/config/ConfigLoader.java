package com.systemtrader.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads {@code config/collector_config.yaml} into a {@link CollectorConfig}. Precedence: environment
 * ({@code SYSTEM_TRADER__SECTION__KEY=value}) over the file over the defaults of the records. Strict: every key
 * is either honored or rejected, and all problems are reported together in one {@link ConfigException}.
 *
 * <pre>{@code
 * CollectorConfig config = ConfigLoader.load(ConfigLoader.DEFAULT_FILE, System.getenv());
 * }</pre>
 */
public final class ConfigLoader {
    /** Where the collector looks by default, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("config", "collector_config.yaml");
    /** Prefix of the environment variables that override single keys. */
    public static final String ENV_PREFIX = EnvOverlay.PREFIX;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    /** The note of a file that sets no key. */
    private static final String EMPTY = "file is empty; using built-in defaults";

    private ConfigLoader() {}

    /**
     * Loads {@code file} with {@code env} laid over it, and logs the notes. The file must exist and set at least one
     * key: defaults apply only to the keys a file leaves out, never to a whole configuration that is not there (a
     * mistyped {@code --config} path used to run on built-in defaults, against the default database as role
     * {@code system_trader}).
     *
     * @throws ConfigException listing every problem, when the file is missing or empty, or it or the environment
     *                         has any problem
     */
    public static CollectorConfig load(Path file, Map<String, String> env) {
        LoadedConfig loaded = read(file, env);
        loaded.notes().forEach(note -> LOG.info("{}: {}", loaded.source(), note));
        return loaded.config();
    }

    /** Like {@link #load} but returns the notes instead of logging them. */
    public static LoadedConfig read(Path file, Map<String, String> env) {
        LoadedConfig loaded = readIfPresent(file, env);
        String source = file.toString();
        if (!loaded.fileFound()) {
            throw new ConfigException(source, List.of(source + ": configuration file not found (give --config FILE;"
                    + " config/collector_config.yaml is a documented starting point)"));
        }
        if (loaded.notes().contains(EMPTY)) {
            throw new ConfigException(source, List.of(source + ": the file sets no key (a configuration names at least"
                    + " one; every key it leaves out takes its default)"));
        }
        return loaded;
    }

    /**
     * Like {@link #read}, but a file that does not exist or sets nothing gives the built-in defaults (with a note):
     * for the library's default instance ({@code RealtimeData}), which works without any file. Commands use
     * {@link #load}.
     */
    public static LoadedConfig readIfPresent(Path file, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String source = file.toString();
        if (Files.notExists(file)) {   // not "!exists": an unreadable location must fail, not fall back
            return bind(null, source, false, env, "file not found; using built-in defaults");
        }
        try {
            return bind(Files.readString(file), source, true, env, null);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, List.of(source + ": not valid UTF-8"));
        } catch (IOException e) {
            throw new ConfigException(source, List.of(source + ": cannot read: " + e.getClass().getSimpleName()));
        }
    }


    /**
     * Parses YAML text as if it were the file {@code sourceName}, with {@code env} laid over it.
     *
     * @throws ConfigException listing every problem
     */
    public static CollectorConfig parse(String yaml, String sourceName, Map<String, String> env) {
        return readString(yaml, sourceName, env).config();
    }

    /** Like {@link #parse} but returns the notes too. */
    public static LoadedConfig readString(String yaml, String sourceName, Map<String, String> env) {
        return bind(Objects.requireNonNull(yaml, "yaml"), sourceName, true, Objects.requireNonNull(env, "env"), null);
    }

    private static LoadedConfig bind(String yaml, String source, boolean fileFound, Map<String, String> env, String firstNote) {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (firstNote != null) notes.add(firstNote);
        YamlNode.Mapping root = yaml == null ? YamlNode.Mapping.empty() : YamlDocument.parse(yaml, problems);
        if (yaml != null && problems.isEmpty() && root.entries().isEmpty()) notes.add(EMPTY);
        notes.addAll(EnvOverlay.apply(root, env, problems));
        Section.Context ctx = new Section.Context(problems);
        CollectorConfig config = ConfigBinder.bind(Section.root(root, ctx));
        UnknownKeys.check(root, ctx);
        if (!problems.isEmpty()) {
            List<String> lines = problems.stream()
                    .sorted(Comparator.comparingInt(p -> p.line() > 0 ? p.line() : Integer.MAX_VALUE))
                    .map(p -> p.render(source)).toList();
            throw new ConfigException(source, lines);
        }
        return new LoadedConfig(config, source, fileFound, notes);
    }
}
