package io.plugboard.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real application, started from its jar ({@code -Dplugboard.jar}) on a free port with a fresh embedded database
 * in a temporary directory, in demo mode: the demo tenant's API client ID and secret are set here through
 * {@code PLUGBOARD_DEMO_CLIENT_ID}/{@code _SECRET}, so the tests know them. Operator connector files
 * ({@code PLUGBOARD_CONNECTORS_DIR}) may point a connector at a local upstream.
 */
final class RunningPlugboard implements AutoCloseable {

    /** A first start creates the database and runs every migration; a busy CI machine needs a while. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

    final String baseUrl;
    final String clientId = "pb_client_it";
    final String clientSecret;
    final Path jar;
    private final Path log;
    private final Process process;
    /** Stops the application should the test JVM end without {@link #close()} (a killed or timed-out build). */
    private final Thread orphanGuard;

    private RunningPlugboard(Path jar, Path work, Map<String, String> settings) throws IOException {
        this.jar = jar;
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        this.clientSecret = HexFormat.of().formatHex(random);
        int port = freePort();
        this.baseUrl = "http://127.0.0.1:" + port;
        this.log = work.resolve("plugboard.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-Xmx768m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        var env = builder.environment();
        env.put("PORT", Integer.toString(port));
        env.put("PLUGBOARD_PUBLIC_URL", baseUrl);
        env.put("PLUGBOARD_DATA_DIR", work.resolve("data").toString());
        env.put("PLUGBOARD_DATABASE_DURABLE", "false");
        env.put("PLUGBOARD_DEMO_ENABLED", "true");
        env.put("PLUGBOARD_DEMO_CLIENT_ID", clientId);
        env.put("PLUGBOARD_DEMO_CLIENT_SECRET", clientSecret);
        env.putAll(settings);
        this.process = builder.start();
        this.orphanGuard = new Thread(process::destroy, "stop-plugboard");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
    }

    /** Starts the application and waits until it reports healthy. */
    static RunningPlugboard start(Path work, Map<String, String> settings) throws Exception {
        String property = System.getProperty("plugboard.jar");
        Path jar = property == null ? null : Path.of(property);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("The application jar " + property + " does not exist: build it first "
                    + "(./mvnw package at the repository root) or pass -Dplugboard.jar=<path>");
        }
        var plugboard = new RunningPlugboard(jar, work, settings);
        try {
            plugboard.awaitHealthy();
        } catch (Exception | AssertionError e) {
            plugboard.close();
            throw e;
        }
        return plugboard;
    }

    private void awaitHealthy() throws Exception {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("Plugboard exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Plugboard was not healthy after " + START_TIMEOUT + ":\n" + logTail());
    }

    PlugboardClient client() {
        return PlugboardClient.builder().baseUrl(baseUrl).clientId(clientId).clientSecret(clientSecret).build();
    }

    String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it as an operator would (SIGTERM, so it shuts its embedded database down), forcibly only if it hangs. */
    @Override
    public void close() throws InterruptedException {
        Runtime.getRuntime().removeShutdownHook(orphanGuard);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
