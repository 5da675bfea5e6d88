package io.plugboard.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A checkpoint file: one JSON line per checkpoint, only ever appended to. The bean is this instance's file
 * ({@code plugboard.audit.checkpoint-file}), resolved once so that the writer and the verification agree on it.
 */
@Component
final class CheckpointFile {

    private final Path path;

    CheckpointFile(@Value("${plugboard.audit.checkpoint-file}") Path path) {
        this.path = path.toAbsolutePath();
    }

    Path path() {
        return path;
    }

    /** Appends one line and waits until it is on disk, so a checkpoint that was logged survives a crash. */
    void append(AuditCheckpoint checkpoint) throws IOException {
        append(path, checkpoint);
    }

    /** This instance's checkpoints; none when the file does not exist yet. */
    List<AuditCheckpoint> readAll() throws IOException {
        return Files.exists(path) ? read(path) : List.of();
    }

    static void append(Path file, AuditCheckpoint checkpoint) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap((checkpoint.line() + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /**
     * Every checkpoint in the file; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the first line that is not a checkpoint
     */
    static List<AuditCheckpoint> read(Path file) throws IOException {
        var checkpoints = new ArrayList<AuditCheckpoint>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                checkpoints.add(AuditCheckpoint.parse(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + number + ": not a checkpoint (" + e.getMessage() + ")");
            }
        }
        return checkpoints;
    }
}
