package io.plugboard.audit.ui;

import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.plugboard.audit.AuditFilter;
import io.plugboard.audit.AuditJsonLines;
import io.plugboard.audit.AuditLog;
import io.plugboard.ui.Formats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Streams the filtered range as JSON Lines, every field exactly as hashed, for offline verification with
 * {@code java -jar plugboard.jar audit-verify <file>}.
 */
final class AuditJsonLinesExport implements DownloadHandler {

    private final AuditLog audit;
    private final Supplier<AuditFilter> filter;

    AuditJsonLinesExport(AuditLog audit, Supplier<AuditFilter> filter) {
        this.audit = audit;
        this.filter = filter;
    }

    @Override
    public void handleDownloadRequest(DownloadEvent event) throws IOException {
        event.setFileName("plugboard-audit-" + Formats.dateTime(Instant.now()).replaceAll("[^0-9]", "") + ".jsonl");
        event.setContentType("application/jsonl; charset=utf-8");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8))) {
            audit.export(filter.get(), "jsonl", e -> {
                try {
                    out.write(AuditJsonLines.line(e));
                    out.write('\n');
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
