package io.plugboard.database;

import io.plugboard.DatabaseSuperuser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * Crashes the embedded PostgreSQL of a running application and starts it again on the same data directory and
 * port, as an operator's {@code pg_ctl stop -m immediate} and {@code pg_ctl start} would: the postmaster gets
 * SIGQUIT (immediate shutdown: no checkpoint, every session cut), and the restart replays the write-ahead log.
 */
public final class PostgresOutage {

    private final Path dataDir;
    private final Path pgCtl;

    private PostgresOutage(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        // The server's own record of how it was started; its first word is the postgres binary, next to pg_ctl.
        String opts = Files.readString(dataDir.resolve("postmaster.opts")).strip();
        String postgres = opts.startsWith("\"") ? opts.substring(1, opts.indexOf('"', 1)) : opts.split(" ")[0];
        this.pgCtl = Path.of(postgres).resolveSibling("pg_ctl");
    }

    /** The embedded database of this application context (asked where it keeps its data, while it runs). */
    public static PostgresOutage of(ApplicationContext context) throws IOException {
        // Only a superuser (or pg_read_all_settings) may ask; the application's runtime role may not.
        String dataDir = DatabaseSuperuser.of(context).queryForObject("SHOW data_directory", String.class);
        return of(Path.of(dataDir));
    }

    public static PostgresOutage of(Path postgresDataDir) throws IOException {
        return new PostgresOutage(postgresDataDir);
    }

    /** Stops PostgreSQL at once, like a crash, and returns once the postmaster is gone. */
    public void crash() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip());
        run(List.of("kill", "-QUIT", Long.toString(pid)));
        var postmaster = ProcessHandle.of(pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (postmaster.isPresent() && postmaster.get().isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not stop");
            }
            Thread.sleep(20);
        }
    }

    /** Starts PostgreSQL again with the options it ran with, and returns once it accepts connections. */
    public void start() throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; the library starts it in a user namespace the same way.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "restart", "-D", dataDir.toString(), "-w", "-t", "60",
                "-m", "immediate", "-l", dataDir.resolveSibling("postgres-restart.log").toString()));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
