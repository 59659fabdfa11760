package com.systemtrader.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine-followable steps of deploy/systemd/README.md: every fenced block right after a
 * {@code <!-- guide-test: NAME -->} line, by name, exactly as the operator reads it.
 */
final class DeployGuide {
    static final Path FILE = Path.of("deploy/systemd/README.md");
    private static final Pattern MARKER = Pattern.compile("^<!-- guide-test: ([a-z0-9-]+) -->$");
    private static final Pattern NAME = Pattern.compile("^([A-Z_]+)=(\\S+)(?:\\s+#.*)?$");

    private final Map<String, String> blocks;

    private DeployGuide(Map<String, String> blocks) {
        this.blocks = blocks;
    }

    static DeployGuide read() throws IOException {
        List<String> lines = Files.readAllLines(FILE);
        Map<String, String> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (!m.matches()) continue;
            String name = m.group(1);
            if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
                throw new IllegalStateException(FILE + ":" + (i + 1) + ": marker " + name + " is not followed by a fence");
            }
            StringBuilder text = new StringBuilder();
            int j = i + 2;
            for (; j < lines.size() && !lines.get(j).equals("```"); j++) text.append(lines.get(j)).append('\n');
            if (j == lines.size()) throw new IllegalStateException(FILE + ": block " + name + " is not closed");
            if (blocks.put(name, text.toString()) != null) {
                throw new IllegalStateException(FILE + ": block " + name + " appears twice");
            }
            i = j;
        }
        return new DeployGuide(blocks);
    }

    /** The text of block {@code name}; fails when the guide has no such block. */
    String block(String name) {
        String b = blocks.get(name);
        if (b == null) throw new AssertionError(FILE + " has no block marked guide-test: " + name);
        return b;
    }

    /** The {@code names} block as variable to value ({@code PGDATA=/var/lib/...}). */
    Map<String, String> names() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : block("names").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = NAME.matcher(line);
            if (!m.matches()) throw new AssertionError("names block: not NAME=value: " + line);
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /**
     * Sets the keys of a {@code storage:} YAML block in {@code config} as an operator edits the file: each
     * {@code key: value} line of the block replaces the line of that key in the file's storage section.
     */
    static void applyStorageSettings(Path config, String block) throws IOException {
        List<String> file = new ArrayList<>(Files.readAllLines(config));
        int section = file.indexOf(file.stream().filter(l -> l.startsWith("storage:")).findFirst()
                .orElseThrow(() -> new AssertionError(config + " has no storage section")));
        List<String> lines = block.lines().toList();
        if (!lines.get(0).equals("storage:")) throw new AssertionError("storage block does not start with storage:");
        for (String line : lines.subList(1, lines.size())) {
            String key = line.strip().substring(0, line.strip().indexOf(':') + 1);
            int at = -1;
            for (int i = section + 1; i < file.size() && (file.get(i).startsWith(" ") || file.get(i).isBlank()); i++) {
                if (file.get(i).startsWith("  " + key + " ")) at = i;
            }
            if (at < 0) throw new AssertionError(config + ": no storage." + key + " line to set");
            file.set(at, line);
        }
        Files.write(config, file);
    }

    /** Variables of a systemd EnvironmentFile ({@code NAME=value} lines). */
    static Map<String, String> environmentFile(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 1) continue;
            out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }

    /**
     * The test's stand-in for sudo: {@code -u postgres} runs the command as postgres (initdb refuses root),
     * everything else as the test's user; the environment is kept, so PGHOST and PGPORT point psql at the
     * throwaway cluster. With {@code GUIDE_SUDO_POSTGRES=self} the postgres commands run as the test's user too
     * (an external server reached with PGUSER and PGPASSWORD).
     */
    static String sudoStandIn() {
        return """
                #!/bin/sh
                # DeployGuideTest's stand-in for sudo (see DeployGuide.sudoStandIn)
                user=
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -u) user=$2; shift 2 ;;
                    --) shift; break ;;
                    -*) echo "sudo stand-in: unsupported option $1" >&2; exit 2 ;;
                    *) break ;;
                  esac
                done
                if [ "$user" = postgres ] && [ "${GUIDE_SUDO_POSTGRES:-}" != self ]; then
                  exec runuser -u postgres -- "$@"
                fi
                exec "$@"
                """;
    }

    /** A stand-in for {@code $ST_HOME/system-trader} (the launcher builds with Maven): this build's CLI. */
    static String launcherStandIn() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return "#!/bin/sh\n# DeployGuideTest's stand-in for the launcher: this build's classes\nexec '" + java + "' -cp '"
                + System.getProperty("java.class.path") + "' com.systemtrader.cli.Main \"$@\"\n";
    }
}
