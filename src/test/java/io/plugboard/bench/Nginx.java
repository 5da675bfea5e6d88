package io.plugboard.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * nginx as a plain reverse proxy in front of the benchmark's upstream, configured the way one would run it in
 * production for this job: keep-alive connections to the upstream, HTTP/1.1 upstream requests, the auth header
 * set by the proxy, no access log, a worker per core. The configuration is generated under
 * {@code target/benchmarks/nginx}; the process is stopped on {@link #close()}.
 */
final class Nginx implements AutoCloseable {

    static final String INSTALL_HINT = "nginx is not installed, so the nginx column is skipped; on Debian/Ubuntu: "
            + "apt-get install -y nginx-light (or nginx), or point -Dbench.nginx=/path/to/nginx at one";

    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The nginx binary: {@code -Dbench.nginx}, else the first on the PATH or in /usr/sbin. */
    static Optional<Path> binary() {
        String configured = System.getProperty("bench.nginx");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        Stream<String> dirs = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                Stream.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"));
        return dirs.filter(d -> !d.isBlank()).map(d -> Path.of(d, "nginx")).filter(Files::isExecutable).findFirst();
    }

    static Nginx start(Path binary, int upstreamPort, String authorization) throws IOException, InterruptedException {
        Path prefix = Path.of("target", "benchmarks", "nginx").toAbsolutePath();
        Files.createDirectories(prefix.resolve("logs"));
        int port = freePort();
        Files.writeString(prefix.resolve("nginx.conf"), """
                daemon off;
                master_process on;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream bench_upstream {
                        server 127.0.0.1:%2$d;
                        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://bench_upstream;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Authorization "%4$s";
                        }
                    }
                }
                """.formatted(prefix, upstreamPort, port, authorization));
        Process process = new ProcessBuilder(List.of(binary.toString(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("logs/error.log").toString()))
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/console.log").toFile()).start();
        var nginx = new Nginx(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx did not start: " + Files.readString(prefix.resolve("logs/console.log"))
                        + Files.readString(prefix.resolve("logs/error.log")));
            }
            try (var probe = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        nginx.close();
        throw new IllegalStateException("nginx did not listen on port " + port + " within 10 s");
    }

    int port() {
        return port;
    }

    /** The master and its workers, for their CPU time. */
    List<ProcessHandle> processes() {
        return ProcessCpu.tree(process.toHandle());
    }

    /** {@code nginx -v}, which prints to stderr. */
    static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "nginx (version unknown)";
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
