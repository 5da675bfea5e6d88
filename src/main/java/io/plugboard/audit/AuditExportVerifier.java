package io.plugboard.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.core.JacksonException;

/**
 * {@code java -jar plugboard.jar audit-verify <export.jsonl>}: checks a JSON Lines audit export without the
 * database. Every event's hash is recomputed from its content; where the export holds consecutive chain
 * positions, each event must link to the hash of the one before. A filtered export has gaps between runs;
 * the links across a gap are not in the file, and the report says how many runs it checked.
 * <p>
 * With {@code --checkpoints} the export, or the live database ({@code --database}), must also match the
 * checkpoints written outside the database: that catches a history rewritten and re-hashed by whoever owns the
 * database, and newest events dropped, which the chain alone cannot show.
 */
public final class AuditExportVerifier {

    private static final String USAGE = """
            usage: plugboard audit-verify <export.jsonl> [--checkpoints <file>]... [--master-key-file <path>]
                   plugboard audit-verify --database <jdbc-url> --checkpoints <file>... [--master-key-file <path>]
            Checkpoint signatures are checked with the master key from PLUGBOARD_MASTER_KEY or --master-key-file.
            With --database the user and password come from the URL or SPRING_DATASOURCE_USERNAME/_PASSWORD.
            Exit code 0: intact and matching, 1: it does not match (the report says where), 2: usage or I/O error.""";

    /** Reads the master keyset: from the file when one is given, otherwise from the environment. */
    @FunctionalInterface
    public interface KeyLoader {
        CheckpointKeys load(@Nullable Path masterKeyFile) throws IOException;
    }

    private AuditExportVerifier() {
    }

    public static int run(String[] args, KeyLoader keyLoader, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage().isEmpty() ? USAGE : "audit-verify: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        try {
            CheckpointCheck check = null;
            if (!arguments.checkpointFiles().isEmpty()) {
                var checkpoints = new ArrayList<AuditCheckpoint>();
                for (Path file : arguments.checkpointFiles()) {
                    checkpoints.addAll(CheckpointFile.read(file));
                }
                check = new CheckpointCheck(checkpoints, keyLoader.load(arguments.masterKeyFile()));
            }
            Result result = arguments.database() != null
                    ? verifyDatabase(arguments.database(), check)
                    : verifyExport(arguments.export(), check);
            out.println(result.message());
            return result.intact() ? 0 : 1;
        } catch (NoSuchFileException e) {
            err.println("audit-verify: no such file: " + e.getFile());
            return 2;
        } catch (IOException | IllegalArgumentException | DataAccessException e) {
            err.println("audit-verify: " + e.getMessage());
            return 2;
        }
    }

    record Result(boolean intact, String message) {
    }

    private record Arguments(@Nullable Path export, @Nullable String database, List<Path> checkpointFiles,
                             @Nullable Path masterKeyFile) {

        static Arguments parse(String[] args) {
            Path export = null;
            String database = null;
            Path masterKeyFile = null;
            var checkpoints = new ArrayList<Path>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--checkpoints" -> checkpoints.add(Path.of(value(args, ++i, "--checkpoints")));
                    case "--database" -> database = value(args, ++i, "--database");
                    case "--master-key-file" -> masterKeyFile = Path.of(value(args, ++i, "--master-key-file"));
                    default -> {
                        if (args[i].startsWith("--") || export != null) {
                            throw new IllegalArgumentException("");
                        }
                        export = Path.of(args[i]);
                    }
                }
            }
            if ((export == null) == (database == null)) {
                throw new IllegalArgumentException("");
            }
            if (database != null && checkpoints.isEmpty()) {
                throw new IllegalArgumentException("--database needs --checkpoints: the database alone is checked by the "
                        + "application's own verification");
            }
            return new Arguments(export, database, checkpoints, masterKeyFile);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }

    private static Result verifyExport(@Nullable Path export, @Nullable CheckpointCheck check) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(Path.of(String.valueOf(export)), StandardCharsets.UTF_8)) {
            return verify(reader, check);
        }
    }

    /** The whole sealed chain, read in one read-only transaction, hashes and links and then the checkpoints. */
    private static Result verifyDatabase(String url, @Nullable CheckpointCheck check) {
        var dataSource = new SingleConnectionDataSource(url, System.getenv("SPRING_DATASOURCE_USERNAME"),
                System.getenv("SPRING_DATASOURCE_PASSWORD"), true);
        // A cursor needs a transaction; without one the driver would load the whole table at once.
        dataSource.setAutoCommit(false);
        try {
            // The chain links every tenant's events. Row-level security shows the runtime role none without a scope,
            // so the verifier asks for the platform scope on its connection (the owner role is not subject to it).
            new JdbcTemplate(dataSource).execute("SET plugboard.platform = 'on'");
            return verifyChain(new AuditEventStore(dataSource), check);
        } finally {
            dataSource.destroy();
        }
    }

    /** Walks the sealed chain in the database; with a check, also compares it with the checkpoints. */
    static Result verifyChain(AuditEventStore store, @Nullable CheckpointCheck check) {
        var walk = new AuditLog.ChainWalk();
        store.streamChain(event -> {
            walk.accept(event);
            if (check != null) {
                check.accept(event);
            }
        });
        ChainVerification chain = walk.result(java.time.Instant.now());
        return combine(new Result(chain.intact(), chain.message()), check, true);
    }

    static Result verify(BufferedReader reader) throws IOException {
        return verify(reader, null);
    }

    static Result verify(BufferedReader reader, @Nullable CheckpointCheck check) throws IOException {
        long lineNumber = 0;
        long events = 0;
        long runs = 0;
        long unsealed = 0;
        @Nullable Long firstIndex = null;
        @Nullable Long lastIndex = null;
        @Nullable String lastHash = null;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            AuditEvent event;
            try {
                event = AuditJsonLines.parse(line);
            } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
                return new Result(false, "line " + lineNumber + ": not an audit event (" + e.getMessage() + ")");
            }
            events++;
            if (event.hash() == null || event.chainIndex() == null) {
                unsealed++;
                continue;
            }
            if (!ChainHasher.hash(event).equals(event.hash())) {
                return new Result(false, "line " + lineNumber + ": event " + event.seq()
                        + " does not match its hash: it was altered after it was written");
            }
            if (lastIndex != null && event.chainIndex() == lastIndex + 1) {
                if (!event.prevHash().equals(lastHash)) {
                    return new Result(false, "line " + lineNumber + ": event " + event.seq()
                            + " does not link to the event before it: one was removed or altered");
                }
            } else {
                runs++;
            }
            if (firstIndex == null) {
                firstIndex = event.chainIndex();
            }
            if (check != null) {
                check.accept(event);
            }
            lastIndex = event.chainIndex();
            lastHash = event.hash();
        }
        String gaps = runs <= 1 ? "" : " (" + (runs - 1) + (runs == 2 ? " gap" : " gaps")
                + " in the chain positions: expected only if the export was filtered)";
        var chain = new Result(true, "Intact: " + (events - unsealed) + " events match their hashes, linked in " + runs
                + (runs == 1 ? " run" : " runs") + gaps + (unsealed == 0 ? "" : "; " + unsealed
                + " not sealed yet when exported"));
        boolean wholeChain = runs <= 1 && (firstIndex == null || firstIndex == 1);
        return combine(chain, check, wholeChain);
    }

    private static Result combine(Result chain, @Nullable CheckpointCheck check, boolean wholeChain) {
        if (check == null || !chain.intact()) {
            return chain;
        }
        CheckpointCheck.Result checkpoints = check.result(wholeChain);
        return new Result(checkpoints.matches(), chain.message() + "\n" + checkpoints.message());
    }
}
