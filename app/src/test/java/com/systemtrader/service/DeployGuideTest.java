package com.systemtrader.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.systemtrader.simulator.ExchangeSimulator;
import com.systemtrader.simulator.SimulatorConfig;
import com.systemtrader.simulator.market.MarketConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/README.md followed from an empty data directory to a ready service: the guide's marked blocks
 * ({@link DeployGuide}) run with bash as they are written, in a throwaway cluster of the guide's PostgreSQL
 * ({@code PGBIN}) on a free port, in temporary directories instead of the {@code names} block's (which must match the
 * units). Test-only differences, all outside the blocks: {@code sudo} is a stand-in ({@link DeployGuide#sudoStandIn});
 * the cluster is started with pg_ctl instead of the unit; the launcher runs this build; environment overrides point
 * the feeds at the exchange simulator, the storage URL at the free port and the HTTP API at any free port. Where
 * TimescaleDB is not installed for that PostgreSQL, the plain-PostgreSQL variant is followed (the output says so) and
 * the TimescaleDB settings block is checked with {@code postgres -C} on a copy of postgresql.conf. Skipped, saying
 * so, without initdb/pg_ctl, without root (the steps run as root and as postgres) or without a postgres user.
 */
class DeployGuideTest {
    private static final Duration STEP = Duration.ofSeconds(300);
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");

    @TempDir Path dir;

    @Test void theGuideTakesAnEmptyClusterToARunningService() throws Exception {
        DeployGuide guide = DeployGuide.read();
        Map<String, String> names = guide.names();
        namesMatchTheUnits(names);
        Path pgbin = Path.of(names.get("PGBIN"));
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            assumeTrue(Files.isExecutable(pgbin.resolve(tool)),
                    pgbin.resolve(tool) + " (the guide's PGBIN) is not installed here: no cluster to follow the guide in");
        }
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the guide's steps run as root and as postgres (sudo -u postgres); this test runs them so only as root");
        assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"))
                && Stream.of("/usr/sbin/runuser", "/sbin/runuser").anyMatch(p -> Files.isExecutable(Path.of(p))),
                "no postgres user or no runuser here: sudo -u postgres cannot be stood in for");
        String missing = timescaleMissing(pgbin);
        boolean timescale = missing == null;
        say(timescale ? "TimescaleDB is installed for " + pgbin + ": following the TimescaleDB steps"
                : "TimescaleDB is not installed for " + pgbin + " (" + missing + "): following the plain-PostgreSQL "
                + "variant; the TimescaleDB settings are checked with postgres -C, the extension step is not run");

        Map<String, String> env = layout(pgbin);
        Path etc = Path.of(env.get("ST_ETC"));
        Path home = Path.of(env.get("ST_HOME"));
        Path environment = etc.resolve("environment");
        Path pgdata = dir.resolve("var/lib/system-trader/timescaledb");
        Path run = postgresOwned(Files.createDirectories(dir.resolve("pg-run")));
        int port = ThrowawayPostgres.freePort();
        env.put("PGDATA", pgdata.toString());
        env.put("PGHOST", run.toString());
        env.put("PGPORT", String.valueOf(port));
        Map<String, String> storage = values(guide.block("storage-settings"));
        String url = storage.get("url");
        assertThat(url).as("the guide's storage.url names the unit's server").contains("//127.0.0.1:5432/");
        String database = url.substring(url.lastIndexOf('/') + 1);
        Map<String, String> overrides = overrides(url.replace(":5432/", ":" + port + "/"));
        env.putAll(overrides);
        say("test-only environment overrides: " + overrides);

        List<String> ran = new ArrayList<>();
        try {
            bash("initdb", guide.block("initdb"), env);
            ran.add("initdb");
            Path checked = pgdata;
            if (!timescale) {
                checked = postgresOwned(Files.createDirectories(dir.resolve("settings-check")));
                Files.copy(pgdata.resolve("postgresql.conf"), checked.resolve("postgresql.conf"));
                Files.copy(pgdata.resolve("PG_VERSION"), checked.resolve("PG_VERSION"));
                postgresOwned(checked.resolve("postgresql.conf"));
                Files.setPosixFilePermissions(checked, PosixFilePermissions.fromString("rwx------"));
            }
            Map<String, String> settingsEnv = new HashMap<>(env);
            settingsEnv.put("PGDATA", checked.toString());
            bash("timescaledb-settings", guide.block("timescaledb-settings"), settingsEnv);
            workerSettingsFitTimescale(pgbin, checked);
            ran.add(timescale ? "timescaledb-settings" : "timescaledb-settings (checked on a copy)");

            asPostgres(STEP, pgbin.resolve("pg_ctl").toString(), "start", "-D", pgdata.toString(), "-l",
                    run.resolve("server.log").toString(), "-w", "-t", "180", "-o",
                    "-p " + port + " -k " + run + " -c listen_addresses=127.0.0.1");
            bash("role-and-database", guide.block("role-and-database"), env);
            ran.add("role-and-database");
            if (timescale) {
                bash("timescaledb-extension", guide.block("timescaledb-extension"), env);
                ran.add("timescaledb-extension");
            }
            Path config = etc.resolve("collector_config.yaml");
            DeployGuide.applyStorageSettings(config, guide.block("storage-settings"));
            if (!timescale) DeployGuide.applyStorageSettings(config, guide.block("storage-settings-postgresql"));
            ran.add("storage-settings" + (timescale ? "" : " + storage-settings-postgresql"));
            String mode = timescale ? "timescaledb" : "postgresql";
            assertThat(Files.readString(config)).contains("  mode: " + mode);

            String migrated = bash("migrate", guide.block("migrate"), env);
            assertThat(migrated).contains("mode:     " + mode, "applied:  V1__");
            assertThat(bash("migrate", guide.block("migrate"), env)).contains("applied:  nothing, up to date");
            ran.add("migrate (twice)");

            String role = storage.get("user");
            String password = DeployGuide.environmentFile(environment).get("SYSTEM_TRADER_DB_PASSWORD");
            assertThat(password).as("the guide put the role's password into the environment file").isNotBlank();
            String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
            try (Connection c = DriverManager.getConnection(jdbc, role, password)) {
                assertThat(row(c, "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"))
                        .as("the service's role is neither superuser nor creates databases or roles")
                        .isEqualTo("f f f");
                assertThat(row(c, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                        .isEqualTo(role);
                assertThat(row(c, "SELECT string_agg(DISTINCT mode, ',') FROM schema_version")).isEqualTo(mode);
            }

            runAsTheUnitDoes(env, environment, etc, home, jdbc, role, password);
            ran.add("run as the unit's ExecStart, /ready 200, SIGTERM exit 0");
            say("followed: " + String.join(", ", ran));
        } finally {
            stopCluster(pgbin, pgdata);
        }
    }

    /**
     * The role, extension, storage-settings and migrate steps on a real TimescaleDB server, when
     * SYSTEM_TRADER_TIMESCALEDB_URL names one (as for TimescaleLiveTest): psql reaches it as
     * SYSTEM_TRADER_TIMESCALEDB_USER (default postgres, a superuser; password from SYSTEM_TRADER_DB_PASSWORD or
     * PGPASSWORD), and the server must take password logins over TCP from new roles. The guide's names
     * {@code system_trader} become a fresh {@code st_guide_<random>} role and database, both dropped afterwards.
     */
    @Test void theGuidesRoleExtensionAndMigrateStepsOnARealTimescaleDb() throws Exception {
        String server = System.getenv("SYSTEM_TRADER_TIMESCALEDB_URL");
        assumeTrue(server != null && !server.isBlank(), "SYSTEM_TRADER_TIMESCALEDB_URL is not set: no TimescaleDB "
                + "server to follow the role, extension and migrate steps on (the throwaway-cluster test follows the "
                + "plain-PostgreSQL variant)");
        DeployGuide guide = DeployGuide.read();
        URI uri = URI.create(server.substring("jdbc:".length()));
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String admin = System.getenv().getOrDefault("SYSTEM_TRADER_TIMESCALEDB_USER", "postgres");
        String adminPassword = System.getenv().getOrDefault("SYSTEM_TRADER_DB_PASSWORD",
                System.getenv().getOrDefault("PGPASSWORD", ""));
        String name = "st_guide_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> env = layout(Path.of(guide.names().get("PGBIN")));
        Path etc = Path.of(env.get("ST_ETC"));
        env.put("PGHOST", host);
        env.put("PGPORT", String.valueOf(port));
        env.put("PGUSER", admin);
        if (!adminPassword.isEmpty()) env.put("PGPASSWORD", adminPassword);
        env.put("GUIDE_SUDO_POSTGRES", "self");
        String jdbc = "jdbc:postgresql://" + host + ":" + port + "/" + name;
        env.putAll(overrides(jdbc));
        try {
            bash("role-and-database", guide.block("role-and-database").replace("system_trader", name), env);
            bash("timescaledb-extension", guide.block("timescaledb-extension").replace("system_trader", name), env);
            DeployGuide.applyStorageSettings(etc.resolve("collector_config.yaml"),
                    guide.block("storage-settings").replace("system_trader", name));
            String migrated = bash("migrate", guide.block("migrate"), env);
            assertThat(migrated).contains("mode:     timescaledb", "applied:  V1__");
            String password = DeployGuide.environmentFile(etc.resolve("environment")).get("SYSTEM_TRADER_DB_PASSWORD");
            try (Connection c = DriverManager.getConnection(jdbc, name, password)) {
                assertThat(row(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("f");
                assertThat(row(c, "SELECT string_agg(hypertable_name, ',' ORDER BY hypertable_name) "
                        + "FROM timescaledb_information.hypertables")).isEqualTo("market_data,websocket_data");
                assertThat(row(c, "SELECT count(*) FROM timescaledb_information.jobs WHERE job_id >= 1000"))
                        .isEqualTo("8");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(server, admin, adminPassword);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                s.execute("DROP ROLE IF EXISTS " + name);
            }
        }
    }

    /**
     * The test's stand-ins for step 1 of the guide (which installs the program and a user, as a test cannot): the
     * committed configuration copied to ST_ETC, an environment file with the simulator's Polygon key, the sudo and
     * launcher stand-ins. Returns the environment the blocks run in: the names and PATH.
     */
    private Map<String, String> layout(Path pgbin) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(dir.resolve("etc/system-trader"));
        Path home = Files.createDirectories(dir.resolve("opt/system-trader"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(Path.of("config/collector_config.yaml"), etc.resolve("collector_config.yaml"));
        Path environment = Files.writeString(etc.resolve("environment"),
                "POLYGON_API_KEY=" + SimulatorConfig.DEFAULT_POLYGON_KEY + "\n");
        Files.setPosixFilePermissions(environment, PosixFilePermissions.fromString("rw-------"));
        executable(bin.resolve("sudo"), DeployGuide.sudoStandIn());
        executable(home.resolve("system-trader"), DeployGuide.launcherStandIn());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ST_HOME", home.toString());
        env.put("ST_ETC", etc.toString());
        env.put("PGBIN", pgbin.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH") + ":" + pgbin);
        return env;
    }

    /** The names block is what the units use: the data directory, the binaries, the program and its config. */
    private static void namesMatchTheUnits(Map<String, String> names) throws IOException {
        assertThat(names).containsOnlyKeys("ST_HOME", "ST_ETC", "PGBIN", "PGDATA");
        String database = Files.readString(Path.of("deploy/systemd/system-trader-timescaledb.service"));
        String service = Files.readString(Path.of("deploy/systemd/system-trader.service"));
        assertThat(database).contains("Environment=PGDATA=" + names.get("PGDATA") + "\n",
                "ExecStart=" + names.get("PGBIN") + "/postgres -D ${PGDATA}\n");
        assertThat(service).contains("WorkingDirectory=" + names.get("ST_HOME") + "\n",
                "EnvironmentFile=-" + names.get("ST_ETC") + "/environment\n",
                "ExecStart=" + names.get("ST_HOME") + "/system-trader run --config " + names.get("ST_ETC")
                        + "/collector_config.yaml\n");
        // systemd chowns everything below a StateDirectory it finds owned by another user at the service's start:
        // when the database's data directory is below the service's, the guide hands that directory over first
        String state = "/var/lib/" + service.lines().filter(l -> l.startsWith("StateDirectory=")).findFirst()
                .orElseThrow().substring("StateDirectory=".length());
        if (names.get("PGDATA").startsWith(state + "/")) {
            String text = Files.readString(DeployGuide.FILE);
            String handOver = "sudo install -d -o system-trader -g system-trader " + state + "\n";
            assertThat(text).contains(handOver);
            assertThat(text.indexOf(handOver)).isLessThan(text.indexOf("<!-- guide-test: initdb -->"));
        }
    }

    /** Null when the timescaledb extension is installed for this PostgreSQL, else why not. */
    private static String timescaleMissing(Path pgbin) throws Exception {
        if (!Files.isExecutable(pgbin.resolve("pg_config"))) return "no " + pgbin.resolve("pg_config") + " to ask";
        Process p = new ProcessBuilder(pgbin.resolve("pg_config").toString(), "--sharedir").start();
        String share = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path control = Path.of(share, "extension", "timescaledb.control");
        return Files.exists(control) ? null : "no " + control;
    }

    /** The settings block, read back by PostgreSQL: preloaded, and enough worker processes for TimescaleDB. */
    private static void workerSettingsFitTimescale(Path pgbin, Path data) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        for (String name : List.of("shared_preload_libraries", "max_worker_processes",
                "timescaledb.max_background_workers", "max_parallel_workers")) {
            s.put(name, asPostgres(Duration.ofSeconds(60), pgbin.resolve("postgres").toString(), "-D", data.toString(),
                    "-C", name).strip());
        }
        say("TimescaleDB settings as PostgreSQL reads them: " + s);
        assertThat(s.get("shared_preload_libraries")).contains("timescaledb");
        int workers = Integer.parseInt(s.get("max_worker_processes"));
        int needed = Integer.parseInt(s.get("timescaledb.max_background_workers"))
                + Integer.parseInt(s.get("max_parallel_workers")) + 3;
        assertThat(workers).as("max_worker_processes >= background workers + parallel workers + 3 built-in")
                .isGreaterThanOrEqualTo(needed).isGreaterThan(8);
    }

    /**
     * The unit's ExecStart with its EnvironmentFile and its SYSTEM_TRADER__ Environment lines (paths mapped into the
     * temporary directory), feeds on the simulator: ready, storing ticks as the guide's role, and exit 0 on SIGTERM.
     */
    private void runAsTheUnitDoes(Map<String, String> env, Path environment, Path etc, Path home, String jdbc,
                                  String role, String password) throws Exception {
        String unit = Files.readString(Path.of("deploy/systemd/system-trader.service"));
        Map<String, String> process = new HashMap<>(env);
        process.putAll(DeployGuide.environmentFile(environment));
        for (String line : unit.lines().toList()) {
            if (!line.startsWith("Environment=\"SYSTEM_TRADER__")) continue;
            String kv = line.substring("Environment=\"".length(), line.length() - 1)
                    .replace("/var/lib/system-trader", dir.resolve("var/lib/system-trader").toString());
            process.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length()).replace("/opt/system-trader", home.toString())
                .replace("/etc/system-trader", etc.toString());
        Path log = dir.resolve("run.log");
        try (ExchangeSimulator sim = ExchangeSimulator.start(SimulatorConfig.builder(
                MarketConfig.defaults(17, SYMBOLS).withBarIntervalMs(1_000).withHalts(0)).rate(200).build())) {
            process.put("SYSTEM_TRADER__POLYGON__WEBSOCKET__URL", "ws://127.0.0.1:" + sim.port() + "/stocks");
            process.put("SYSTEM_TRADER__POLYGON__REST__URL", "http://127.0.0.1:" + sim.port());
            ProcessBuilder pb = new ProcessBuilder(List.of(execStart.split(" "))).directory(home.toFile());
            pb.environment().clear();
            pb.environment().putAll(process);
            Process p = RunProcess.start(etc.resolve("collector_config.yaml"), dir, log, pb);
            try {
                int httpPort = RunProcess.awaitStartLine(p, log, Duration.ofSeconds(180));
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready")).build();
                await("/ready answers 200").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                        .until(() -> p.isAlive() && http.send(ready, HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 200);
                await("ticks stored as " + role).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            try (Connection c = DriverManager.getConnection(jdbc, role, password)) {
                                return Long.parseLong(row(c, "SELECT count(*) FROM websocket_data")) > 0;
                            }
                        });
            } finally {
                p.destroy(); // SIGTERM, as systemctl stop (the stand-in launcher exec'd java)
                if (!p.waitFor(180, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("system-trader stopped");
        }
    }

    /** Where the test differs from the server: the feeds, the storage URL's port and the HTTP port. */
    private static Map<String, String> overrides(String storageUrl) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("SYSTEM_TRADER__STORAGE__URL", storageUrl);
        o.put("SYSTEM_TRADER__POLYGON__WEBSOCKET__SYMBOLS", String.join(",", SYMBOLS));
        o.put("SYSTEM_TRADER__ALPACA__WEBSOCKET__ENABLED", "false");
        o.put("SYSTEM_TRADER__REDIS__ENABLED", "false");
        o.put("SYSTEM_TRADER__SERVICE__HTTP_PORT", "0");
        return o;
    }

    /** Runs one block of the guide with bash (errexit, nounset, pipefail); returns its output. */
    private String bash(String step, String script, Map<String, String> env) throws Exception {
        Path out = dir.resolve("step-" + step + "-" + UUID.randomUUID().toString().substring(0, 4) + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-u", "-o", "pipefail", "-c", script)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        for (String v : List.of("PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "SYSTEM_TRADER_DB_PASSWORD",
                "GUIDE_SUDO_POSTGRES")) {
            pb.environment().remove(v);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("guide step " + step + " did not finish within " + STEP + ":\n" + Files.readString(out));
        }
        String text = Files.readString(out);
        assertThat(p.exitValue()).as("guide step " + step + ":\n" + script + "--- output:\n" + text).isZero();
        say("step " + step + ": ok" + (text.isBlank() ? "" : "\n" + text.strip()));
        return text;
    }

    /** Runs a command as postgres (runuser); returns its standard output, fails on a non-zero exit. */
    private static String asPostgres(Duration timeout, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(command));
        Path err = Files.createTempFile("deploy-guide", ".err");
        try {
            Process p = new ProcessBuilder(c).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(c + " did not finish within " + timeout);
            }
            assertThat(p.exitValue()).as(c + ": " + out + Files.readString(err)).isZero();
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** pg_ctl stop (fast); if the postmaster is still there after that, it is killed. */
    private static void stopCluster(Path pgbin, Path pgdata) throws Exception {
        Path pid = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pid)) return;
        try {
            asPostgres(Duration.ofSeconds(180), pgbin.resolve("pg_ctl").toString(), "stop", "-D", pgdata.toString(),
                    "-m", "fast", "-w", "-t", "120");
        } catch (AssertionError e) {
            say("pg_ctl stop failed (" + e.getMessage() + "); killing the postmaster");
            if (Files.exists(pid)) {
                long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).strip());
                ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static Path postgresOwned(Path p) throws IOException {
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
        return p;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The {@code key: value} lines of a YAML block (comments dropped). */
    private static Map<String, String> values(String yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : yaml.lines().toList()) {
            if (!line.startsWith("  ")) continue;
            String kv = line.contains(" #") ? line.substring(0, line.indexOf(" #")) : line;
            out.put(kv.substring(0, kv.indexOf(':')).strip(), kv.substring(kv.indexOf(':') + 1).strip());
        }
        return out;
    }

    private static String row(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).as(sql).isTrue();
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) b.append(i > 1 ? " " : "").append(r.getString(i));
            return b.toString();
        }
    }

    private static void say(String line) {
        System.out.println("DeployGuideTest: " + line);
    }
}
