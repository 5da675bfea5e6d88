package io.plugboard.proxy;

import io.plugboard.PlugboardApplication;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.SecretBinding;
import io.plugboard.crypto.SecretVault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second Plugboard instance in its own JVM, on the shared test context's database with the same master
 * key: a real second app instance for the cross-instance tests (proxy refresh, portal sessions ending), and a JVM with a small heap
 * ({@value #HEAP}) for the streaming test. Its own JVM because each Spring application with Vaadin installs
 * its own JVM-wide security-context strategy, which would disturb the shared context's tests. Started once per
 * test JVM and stopped when it exits (or, if the test JVM dies, when its stdin closes).
 */
public final class SecondInstance {

    static final String HEAP = "-Xmx256m";
    private static final String READY = "PLUGBOARD_SECOND_INSTANCE_PORT=";
    private static final Pattern PORT = Pattern.compile(READY + "(\\d+) MAX_HEAP=(\\d+)");
    private static SecondInstance running;

    private final Process process;
    private final Path log;
    private final int port;
    private final long maxHeap;

    private SecondInstance(Process process, Path log, int port, long maxHeap) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.maxHeap = maxHeap;
    }

    /** The second instance on {@code shared}'s database, started on first use. */
    public static synchronized SecondInstance on(ApplicationContext shared) throws IOException, InterruptedException {
        if (running == null || !running.process.isAlive()) {
            running = start(shared);
        }
        return running;
    }

    private static SecondInstance start(ApplicationContext shared) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of("target"), "second-instance-", ".log");
        // The shared context's webhook tests count who delivers; this instance is for the proxy tests.
        Process process = launch(shared, log, List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"),
                "--plugboard.webhooks.worker-enabled=false");
        int port = awaitPort(process, log);
        Matcher ready = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return new SecondInstance(process, log, port, ready.find() ? Long.parseLong(ready.group(2)) : -1);
    }

    /**
     * Starts another instance in its own JVM on {@code shared}'s database, with its master key and a data directory of
     * its own, writing its output to {@code log}. Like the shared context it connects as the runtime role and migrates
     * as the owner (no user in the address). {@code settings} are added to the common ones (each key once).
     */
    public static Process launch(ApplicationContext shared, Path log, List<String> jvmOptions, String... settings)
            throws IOException {
        String url = "jdbc:postgresql://localhost:" + shared.getBean(EmbeddedPostgres.class).getPort() + "/postgres";
        // Without empty entries: one would put the working directory (the project, with its db/) on the classpath.
        String classpath = java.util.Arrays.stream(System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")).split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        Path ownDataDir = Files.createTempDirectory(Path.of("target"), "second-instance-data-");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, Main.class.getName(),
                "--spring.datasource.url=" + url, "--spring.datasource.username=plugboard_app",
                "--spring.liquibase.user=plugboard_owner",
                "--plugboard.master-key=" + masterKeyOf(shared), "--plugboard.data-dir=" + ownDataDir,
                "--server.port=0", "--plugboard.demo.enabled=false",
                "--plugboard.connectors.allow-http=true", "--plugboard.proxy.allow-private-addresses=true",
                "--vaadin.devmode.devTools.enabled=false", "--spring.main.banner-mode=off"));
        command.addAll(List.of(settings));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** The port of an instance {@link #launch}ed, once it listens (four minutes at most). */
    public static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The instance exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("The instance did not start in time; see " + log);
    }

    /**
     * The shared context's master key. Its {@code plugboard.data-dir} holds {@code ${random.uuid}}, which
     * resolves anew on every read, so the generated key file is not in the directory the property names now
     * (nor beside the database files): it is the key file under {@code target/test-data} that opens what the
     * shared context's vault seals.
     */
    private static String masterKeyOf(ApplicationContext shared) throws IOException {
        String configured = shared.getEnvironment().getProperty("plugboard.master-key", "");
        if (!configured.isBlank()) {
            return configured;
        }
        var binding = new SecretBinding("test.second-instance-probe", UUID.randomUUID(), "probe");
        byte[] probe = shared.getBean(SecretVault.class).seal(binding, "probe");
        try (Stream<Path> dirs = Files.list(Path.of("target", "test-data"))) {
            for (Path key : dirs.map(d -> d.resolve("master-key.b64")).filter(Files::isRegularFile).toList()) {
                String candidate = Files.readString(key, StandardCharsets.UTF_8).strip();
                try {
                    if ("probe".equals(new SecretVault(MasterKeys.decode(candidate)).open(binding, probe))) {
                        return candidate;
                    }
                } catch (RuntimeException notThisOne) {
                    // another test context's key
                }
            }
        }
        throw new IllegalStateException("The shared context's master key was not found under target/test-data");
    }

    public int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The most heap the instance's JVM will use, as it reports it ({@code Runtime.maxMemory()}). */
    long maxHeap() {
        return maxHeap;
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Runs in the second JVM: starts the application and says on which port it listens. */
    public static final class Main {

        private Main() {
        }

        public static void main(String[] args) throws IOException {
            ConfigurableApplicationContext context = SpringApplication.run(PlugboardApplication.class, args);
            System.out.println(READY + context.getEnvironment().getProperty("local.server.port")
                    + " MAX_HEAP=" + Runtime.getRuntime().maxMemory());
            System.out.flush();
            // The test JVM holds our stdin; when it goes away, so do we.
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    System.in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // closed: exit below
                }
                context.close();
                System.exit(0);
            });
        }
    }
}
