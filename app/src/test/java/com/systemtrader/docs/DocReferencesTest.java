package com.systemtrader.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.systemtrader.cli.Main;
import com.systemtrader.config.ConfigException;
import com.systemtrader.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The docs name only things that exist: repository files, configuration keys, commands and their flags. A doc that
 * names something that does not exist is a bug (it sent operators to {@code config/README.config.md} and to a
 * metric that was never exported). Metrics named in the docs are checked against a live scrape in
 * {@code ServiceApiTest}.
 */
class DocReferencesTest {
    private static final List<String> TOP_DIRS = List.of("core/", "polygon/", "alpaca/", "simulator/", "tools/", "bus/", "app/", "scripts/", "config/", "deploy/", "docs/",
            "conformance/", ".ci/");

    @Test void everyRepositoryPathTheDocsNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String[] s : DocReferences.spans()) {
            for (String token : s[0].split("[\\s,()]+")) {
                String t = token.replaceAll("[.:;]+$", "").replaceAll(":(\\d+|N)$", ""); // file:line is the file
                // build outputs (a module's target/) are not repository paths: they exist once built
                if (TOP_DIRS.stream().noneMatch(t::startsWith) || t.contains("/target/") || t.contains("*") || t.contains("<")
                        || t.contains("{") || t.contains("...")) {
                    continue;
                }
                checked++;
                // a file the user makes from a committed template (git-ignored: it holds keys) exists as the template
                boolean made = Files.exists(Path.of(t + ".template"));
                if (!Files.exists(Path.of(t)) && !made) missing.add(t + " (" + s[1] + ")");
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(missing).as("paths named by the docs that do not exist").isEmpty();
    }

    @Test void everyConfigurationKeyOfTheReferenceTablesIsKnown() throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z_]+(?:\\.[a-z_0-9]+)+)` \\|");
        TreeSet<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) keys.add(m.group(1));
        }
        assertThat(keys).hasSizeGreaterThan(50);
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            String[] parts = key.split("\\.");
            StringBuilder yaml = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                yaml.append("  ".repeat(i)).append(parts[i]).append(i == parts.length - 1 ? ": x\n" : ":\n");
            }
            try {
                ConfigLoader.parse(yaml.toString(), "README", Map.of());
            } catch (ConfigException e) {
                // a known key with a wrong value is fine here; only "unknown key" means the doc names nothing
                if (e.getMessage().contains(key + ": unknown key")
                        || e.getMessage().contains(key + ": credentials do not belong")) {
                    unknown.add(key);
                }
            }
        }
        assertThat(unknown).as("configuration keys in README.md the loader does not know").isEmpty();
    }

    @Test void everyCommandAndFlagTheDocsShowExists() throws IOException {
        Pattern command = Pattern.compile("^(?:\\./)?system-trader ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)(.*)$");
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String[] s : DocReferences.spans()) {
            Matcher m = command.matcher(s[0].strip());
            if (!m.find()) continue;
            CommandLine root = Main.commandLine();
            String[] words = m.group(1).split(" ");
            CommandLine cmd = root.getSubcommands().get(words[0]);
            if (cmd == null) {
                missing.add("command " + words[0] + " (" + s[1] + ")");
                continue;
            }
            if (words.length > 1 && cmd.getSubcommands().containsKey(words[1])) cmd = cmd.getSubcommands().get(words[1]);
            checked++;
            Matcher f = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)").matcher(m.group(2));
            while (f.find()) {
                if (cmd.getCommandSpec().findOption(f.group(1)) == null) {
                    missing.add(cmd.getCommandName() + " " + f.group(1) + " (" + s[1] + ")");
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(missing).as("commands and flags the docs show that do not exist").isEmpty();
    }
}
