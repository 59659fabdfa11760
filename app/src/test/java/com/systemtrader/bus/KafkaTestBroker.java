package com.systemtrader.bus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process) for tests: a child JVM
 * running {@code kafka.Kafka} from the Maven Central artifacts on the test classpath ({@code org.apache.kafka:
 * kafka_2.13}), listening on loopback only, on free ports, with its log directory in a temporary directory. No
 * Docker, nothing shared with other tests. A child JVM rather than in-process: the broker's threads, heap and
 * logging stay out of the test JVM, and a test can stop it (an outage) or kill it like a real server.
 *
 * <p>The constructor starts nothing. {@link #start()} formats the log directory (the first time) and starts the
 * broker, then waits until it answers ({@code describeCluster} lists it), failing fast when the process exits.
 * {@link #stop()} stops the process and keeps the log directory and ports, so {@link #start()} brings the same
 * broker back with its data (an outage); {@link #close()} stops it and deletes the directory.
 */
public final class KafkaTestBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** The broker JVM's flags for tests: small, quick to start (the quick JIT tier only). */
    static final List<String> TEST_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /**
     * The broker JVM's flags for benchmarks ({@link #main}): those of Kafka's own {@code kafka-server-start.sh}
     * ({@code KAFKA_HEAP_OPTS} and {@code KAFKA_JVM_PERFORMANCE_OPTS} defaults), the full JIT.
     */
    static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent");

    private final Path dir;
    private final boolean ownDir;
    private List<String> jvmOptions = TEST_JVM;
    /** The SASL/PLAIN user and password of the authenticated listener, or null for none. */
    private String saslUser, saslPassword;
    private int port;
    private int saslPort;
    private int controllerPort;
    private boolean formatted;
    private Process process;

    /** A broker in a new temporary directory (deleted by {@link #close()}). */
    public KafkaTestBroker() {
        try {
            this.dir = Files.createTempDirectory("kafka-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.ownDir = true;
    }

    /** A broker whose files live in {@code dir} (left there by {@link #close()}). */
    public KafkaTestBroker(Path dir) {
        this.dir = dir;
        this.ownDir = false;
    }

    /** The broker JVM's flags (before {@link #start()}); {@link #TEST_JVM} unless set. */
    public KafkaTestBroker jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /**
     * Adds (before {@link #start()}) a second client listener that requires SASL/PLAIN authentication of
     * {@code user} with {@code password} ({@link #saslBootstrapServers()}); the plain listener stays for the test's
     * own admin client.
     */
    public KafkaTestBroker withSaslPlain(String user, String password) {
        this.saslUser = user;
        this.saslPassword = password;
        return this;
    }

    /**
     * A broker for {@code scripts/bench-bus.sh}, run on the test classpath: starts one in a new temporary directory
     * with {@link #SERVER_JVM} flags, prints {@code bootstrap=host:port} on a line of its own, and runs until this
     * process is stopped (SIGTERM: the broker is stopped and its directory deleted).
     */
    public static void main(String[] args) throws Exception {
        KafkaTestBroker broker = new KafkaTestBroker().jvmOptions(SERVER_JVM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("kafka test broker: close failed: " + e);
            }
        }));
        broker.start();
        System.out.println("bootstrap=" + broker.bootstrapServers());
        System.out.println("log=" + broker.dir.resolve("broker.log"));
        System.out.flush();
        Thread.currentThread().join(); // until stopped
    }

    /**
     * Starts the broker (formatting its log directory the first time) and waits until it answers. The first start
     * tries new ports up to three times when another process took one between choosing and binding it.
     */
    public synchronized KafkaTestBroker start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException("the broker is running");
        for (int attempt = 1; ; attempt++) {
            boolean first = !formatted;
            try {
                startOnce();
                return this;
            } catch (IllegalStateException e) {
                boolean portTaken = String.valueOf(e.getMessage()).contains("Address already in use");
                if (!first || !portTaken || attempt == 3) throw e;
                formatted = false; // new ports, a new log directory
                deleteTree(dir.resolve("data"));
                Files.deleteIfExists(dir.resolve("broker.log"));
            }
        }
    }

    private void startOnce() throws IOException, InterruptedException {
        if (!formatted) {
            Files.createDirectories(dir);
            port = freePort();
            controllerPort = freePort();
            saslPort = saslUser == null ? 0 : freePort();
            Path props = writeProperties();
            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                    props.toString()), dir.resolve("format.log"));
            formatted = true;
        }
        process = launch(List.of("kafka.Kafka", dir.resolve("server.properties").toString()),
                dir.resolve("broker.log"));
        awaitReady();
    }

    /** {@code host:port} of the broker's listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** {@code host:port} of the listener that requires SASL/PLAIN ({@link #withSaslPlain}). */
    public String saslBootstrapServers() {
        if (saslUser == null) throw new IllegalStateException("no SASL listener: call withSaslPlain before start");
        return "127.0.0.1:" + saslPort;
    }

    /** Creates the topics with {@code partitions} partitions each and waits until every partition has a leader. */
    public void createTopics(int partitions, String... names) throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) topics.add(new NewTopic(n, partitions, (short) 1));
            admin.createTopics(topics).all().get();
            long until = System.nanoTime() + START_TIMEOUT.toNanos();
            while (true) {
                Map<String, TopicDescription> d = admin.describeTopics(List.of(names)).allTopicNames().get();
                boolean led = d.values().stream().allMatch(t -> t.partitions().size() == partitions
                        && t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (led) return;
                if (System.nanoTime() - until > 0) throw new IllegalStateException("topics have no leader: " + d);
                TimeUnit.MILLISECONDS.sleep(50); // a poll interval while the controller elects leaders
            }
        }
    }

    /** An admin client of this broker (the caller closes it). */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    /** Stops the broker process (SIGTERM, then SIGKILL after 60 s); its data and ports are kept for a restart. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Stops the broker and deletes its directory when it made it. */
    @Override public synchronized void close() throws InterruptedException, IOException {
        stop();
        if (ownDir) deleteTree(dir);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private Path writeProperties() throws IOException {
        String sasl = saslUser == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
        String saslSettings = saslUser == null ? "" : """
                sasl.enabled.mechanisms=PLAIN
                listener.name.sasl_plaintext.plain.sasl.jaas.config=%s
                """.formatted("org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "user_%s=\"%s\";".formatted(saslUser, saslPassword));
        String props = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d%4$s
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d%4$s
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                num.network.threads=2
                num.io.threads=2
                background.threads=2
                """.formatted(port, controllerPort, dir.resolve("data"), sasl) + saslSettings;
        Files.writeString(dir.resolve("logback-broker.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                  <logger name="kafka.server" level="INFO"/>
                </configuration>
                """);
        return Files.writeString(dir.resolve("server.properties"), props);
    }

    /** A child JVM on the test classpath running {@code mainAndArgs}, its output to {@code log}. */
    private Process launch(List<String> mainAndArgs, Path log) throws IOException {
        Path argFile = dir.resolve("jvm.args");
        String cp = System.getProperty("java.class.path");
        Files.writeString(argFile, "-cp \"" + cp.replace("\\", "\\\\") + "\"\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argFile));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Djava.net.preferIPv4Stack=true", "-Dlogback.configurationFile=" + dir.resolve("logback-broker.xml")));
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                log.toFile())).start();
    }

    /** Runs a child JVM to completion (bounded). */
    private void run(List<String> mainAndArgs, Path log) throws IOException, InterruptedException {
        Process p = launch(mainAndArgs, log);
        if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(mainAndArgs.get(0) + " did not finish: " + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(mainAndArgs.get(0) + " exited " + p.exitValue() + ": " + tail(log));
        }
    }

    /** Waits until the broker lists itself in {@code describeCluster}; fails when the process exits first. */
    private void awaitReady() throws InterruptedException, IOException {
        long until = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited " + process.exitValue() + " while "
                            + "starting: " + tail(dir.resolve("broker.log")));
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not answering yet
                }
                if (System.nanoTime() - until > 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the Kafka broker did not answer within " + START_TIMEOUT + ": "
                            + tail(dir.resolve("broker.log")));
                }
                TimeUnit.MILLISECONDS.sleep(100); // a poll interval between checks, not a wait for readiness
            }
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no output)";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
