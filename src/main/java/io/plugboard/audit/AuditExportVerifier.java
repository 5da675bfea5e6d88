package io.plugboard.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * {@code java -jar plugboard.jar audit-verify <export.jsonl>}: checks a JSON Lines audit export without the
 * database. Every event's hash is recomputed from its content; where the export holds consecutive chain
 * positions, each event must link to the hash of the one before. A filtered export has gaps between runs;
 * the links across a gap are not in the file, and the report says how many runs it checked.
 */
public final class AuditExportVerifier {

    private AuditExportVerifier() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: plugboard audit-verify <export.jsonl>");
            return 2;
        }
        try (BufferedReader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            Result result = verify(reader);
            out.println(result.message());
            return result.intact() ? 0 : 1;
        } catch (IOException e) {
            err.println("audit-verify: " + e.getMessage());
            return 2;
        }
    }

    record Result(boolean intact, String message) {
    }

    static Result verify(BufferedReader reader) throws IOException {
        long lineNumber = 0;
        long events = 0;
        long runs = 0;
        long unsealed = 0;
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
            lastIndex = event.chainIndex();
            lastHash = event.hash();
        }
        String gaps = runs <= 1 ? "" : " (" + (runs - 1) + (runs == 2 ? " gap" : " gaps")
                + " in the chain positions: expected only if the export was filtered)";
        return new Result(true, "Intact: " + (events - unsealed) + " events match their hashes, linked in " + runs
                + (runs == 1 ? " run" : " runs") + gaps + (unsealed == 0 ? "" : "; " + unsealed
                + " not sealed yet when exported"));
    }
}
